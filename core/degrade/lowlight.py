"""Low light: brightness attenuation, a darkening gamma, then sensor noise and 8-bit quantisation.

RealRestorer synthesises low light by attenuation plus gamma; a dark exposure
also collects few photons, so shot and read noise follow, and the few 8-bit
levels left in the shadows band visibly when brightened.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from core.degrade.base import Degradation, Param
from core.degrade.noise import poisson_gaussian
from core.degrade.ops import quantize8


def _low_light(
    px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping
) -> np.ndarray:
    dark = p["attenuation"] * np.power(np.clip(px, 0.0, 1.0), p["gamma"])
    if p["peak"] > 0:
        dark = poisson_gaussian(dark, rng, p["peak"], p["read_sigma"] / 255.0)
    return quantize8(dark)


LOW_LIGHT = Degradation(
    name="low_light",
    family="low_light",
    title="Low light",
    summary="Under-exposure: scale brightness down, darken with a gamma > 1, add sensor noise.",
    params=(
        Param(
            "attenuation",
            "float",
            "brightness multiplier",
            levels=(0.6, 0.45, 0.3, 0.2, 0.12),
            minimum=0.01,
            maximum=1.0,
        ),
        Param(
            "gamma",
            "float",
            "gamma applied before attenuation (> 1 darkens)",
            levels=(1.2, 1.4, 1.6, 1.8, 2.0),
            minimum=0.2,
            maximum=5.0,
        ),
        Param(
            "peak",
            "float",
            "photons at full white before darkening (0 = no shot noise)",
            levels=(2000.0, 1200.0, 800.0, 500.0, 300.0),
            minimum=0.0,
            maximum=1e6,
        ),
        Param(
            "read_sigma",
            "float",
            "read noise in 8-bit levels",
            levels=(0.5, 1.0, 1.5, 2.0, 3.0),
            minimum=0.0,
            maximum=255.0,
            unit="/255",
        ),
    ),
    fn=_low_light,
)
