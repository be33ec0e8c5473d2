"""The degradation registry: one line per kind, modules imported when a kind is first used.

The ``family`` and ``title`` metadata let menus list kinds without importing
them; :func:`describe_all` imports every kind to report its parameters.
"""

from __future__ import annotations

from typing import Any

from core.degrade.base import Degradation
from core.registry import Registry

DEGRADATIONS: Registry[Degradation] = Registry("degradation")

# One line per kind, grouped by family: registration order is the order of menus and sheets.
_register = DEGRADATIONS.register_lazy
_register("gaussian_blur", "core.degrade.blur:GAUSSIAN_BLUR", family="blur", title="Gaussian blur")
_register("defocus_blur", "core.degrade.blur:DEFOCUS_BLUR", family="blur", title="Defocus blur")
_register("motion_blur", "core.degrade.blur:MOTION_BLUR", family="blur", title="Motion blur")
_register(
    "jpeg", "core.degrade.compression:JPEG", family="compression", title="JPEG (resize chain)"
)
_register(
    "web_reencode",
    "core.degrade.compression:WEB_REENCODE",
    family="compression",
    title="Web re-encoding",
)
_register(
    "gaussian_noise", "core.degrade.noise:GAUSSIAN_NOISE", family="noise", title="Gaussian noise"
)
_register(
    "poisson_gaussian_noise",
    "core.degrade.noise:POISSON_GAUSSIAN_NOISE",
    family="noise",
    title="Poisson-Gaussian noise",
)
_register("film_grain", "core.degrade.noise:FILM_GRAIN", family="noise", title="Film grain")
_register("low_light", "core.degrade.lowlight:LOW_LIGHT", family="low_light", title="Low light")
_register("haze", "core.degrade.haze:HAZE", family="haze", title="Haze")
_register("rain", "core.degrade.rain:RAIN", family="rain", title="Rain")
_register("moire", "core.degrade.moire:MOIRE", family="moire", title="Moire")
_register("flare", "core.degrade.optics:FLARE", family="flare", title="Flare / glare")
_register("reflection", "core.degrade.optics:REFLECTION", family="reflection", title="Reflection")
_register("old_photo", "core.degrade.vintage:OLD_PHOTO", family="old_photo", title="Old photo")
_register(
    "surveillance",
    "core.degrade.capture:SURVEILLANCE",
    family="surveillance",
    title="Surveillance camera",
)
_register(
    "digital_zoom", "core.degrade.capture:DIGITAL_ZOOM", family="digital_zoom", title="Digital zoom"
)
del _register


def kinds_in_order() -> list[str]:
    """Kind names grouped by family: ``DEGRADATIONS.names()``, kept for existing callers."""
    return DEGRADATIONS.names()


def get_degradation(name: str) -> Degradation:
    """The degradation called ``name``; unknown names raise an error listing the known ones."""
    return DEGRADATIONS.get(name)


def describe_all() -> list[dict[str, Any]]:
    """Every kind with its parameters, grouped by family (``iris degrade --list --json``)."""
    return [DEGRADATIONS.get(name).describe() for name in kinds_in_order()]
