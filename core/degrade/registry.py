"""The degradation registry: one line per kind, modules imported when a kind is first used.

The ``family`` and ``title`` metadata let menus list kinds without importing
them; :func:`describe_all` imports every kind to report its parameters.
"""

from __future__ import annotations

from typing import Any

from core.degrade.base import Degradation
from core.registry import Registry

DEGRADATIONS: Registry[Degradation] = Registry("degradation")

# (name, "module:attribute", family, title), grouped by family: the order of menus and sheets.
_KINDS = (
    ("gaussian_blur", "core.degrade.blur:GAUSSIAN_BLUR", "blur", "Gaussian blur"),
    ("defocus_blur", "core.degrade.blur:DEFOCUS_BLUR", "blur", "Defocus blur"),
    ("motion_blur", "core.degrade.blur:MOTION_BLUR", "blur", "Motion blur"),
    ("jpeg", "core.degrade.compression:JPEG", "compression", "JPEG (resize chain)"),
    ("web_reencode", "core.degrade.compression:WEB_REENCODE", "compression", "Web re-encoding"),
    ("gaussian_noise", "core.degrade.noise:GAUSSIAN_NOISE", "noise", "Gaussian noise"),
    (
        "poisson_gaussian_noise",
        "core.degrade.noise:POISSON_GAUSSIAN_NOISE",
        "noise",
        "Poisson-Gaussian noise",
    ),
    ("film_grain", "core.degrade.noise:FILM_GRAIN", "noise", "Film grain"),
    ("low_light", "core.degrade.lowlight:LOW_LIGHT", "low_light", "Low light"),
    ("haze", "core.degrade.haze:HAZE", "haze", "Haze"),
    ("rain", "core.degrade.rain:RAIN", "rain", "Rain"),
    ("moire", "core.degrade.moire:MOIRE", "moire", "Moire"),
    ("flare", "core.degrade.optics:FLARE", "flare", "Flare / glare"),
    ("reflection", "core.degrade.optics:REFLECTION", "reflection", "Reflection"),
    ("old_photo", "core.degrade.vintage:OLD_PHOTO", "old_photo", "Old photo"),
    ("surveillance", "core.degrade.capture:SURVEILLANCE", "surveillance", "Surveillance camera"),
    ("digital_zoom", "core.degrade.capture:DIGITAL_ZOOM", "digital_zoom", "Digital zoom"),
)
for _name, _target, _family, _title in _KINDS:
    DEGRADATIONS.register_lazy(_name, _target, family=_family, title=_title)


def kinds_in_order() -> list[str]:
    """Kind names grouped by family, in registration order (``names()`` sorts them)."""
    return [name for name in (entry[0] for entry in _KINDS) if name in DEGRADATIONS] + sorted(
        set(DEGRADATIONS.names()) - {entry[0] for entry in _KINDS}
    )


def get_degradation(name: str) -> Degradation:
    """The degradation called ``name``; unknown names raise an error listing the known ones."""
    return DEGRADATIONS.get(name)


def describe_all() -> list[dict[str, Any]]:
    """Every kind with its parameters, grouped by family (``iris degrade --list --json``)."""
    return [DEGRADATIONS.get(name).describe() for name in kinds_in_order()]
