"""Blur: Gaussian (soft optics, web resampling), defocus (a disk PSF) and linear motion."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from core.degrade.base import Degradation, Param
from core.degrade.ops import convolve, disk_kernel, gaussian_blur, line_kernel


def _gaussian(
    px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping
) -> np.ndarray:
    return gaussian_blur(px, p["sigma"])


def _defocus(px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping) -> np.ndarray:
    return convolve(px, disk_kernel(p["radius"]))


def _motion(px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping) -> np.ndarray:
    return convolve(px, line_kernel(p["length"], p["angle"]))


GAUSSIAN_BLUR = Degradation(
    name="gaussian_blur",
    family="blur",
    title="Gaussian blur",
    summary="Isotropic Gaussian blur, as soft optics or web resampling leave.",
    params=(
        Param(
            "sigma",
            "float",
            "standard deviation",
            levels=(0.8, 1.5, 2.5, 3.5, 5.0),
            minimum=0.1,
            maximum=50.0,
            unit="px",
        ),
    ),
    fn=_gaussian,
)

DEFOCUS_BLUR = Degradation(
    name="defocus_blur",
    family="blur",
    title="Defocus blur",
    summary="Out-of-focus blur: convolution with a uniform disk (the lens aperture).",
    params=(
        Param(
            "radius",
            "float",
            "disk radius",
            levels=(1.5, 3.0, 4.5, 6.0, 8.0),
            minimum=0.5,
            maximum=50.0,
            unit="px",
        ),
    ),
    fn=_defocus,
)

MOTION_BLUR = Degradation(
    name="motion_blur",
    family="blur",
    title="Motion blur",
    summary="Linear camera or object motion: convolution with an anti-aliased line.",
    params=(
        Param(
            "length",
            "float",
            "blur length",
            levels=(5.0, 9.0, 15.0, 21.0, 31.0),
            minimum=1.0,
            maximum=201.0,
            unit="px",
        ),
        Param(
            "angle",
            "float",
            "direction, 0 = horizontal, counter-clockwise",
            default=30.0,
            minimum=0.0,
            maximum=180.0,
            unit="deg",
        ),
    ),
    fn=_motion,
)
