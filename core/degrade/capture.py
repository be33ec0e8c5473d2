"""Capture pipelines: a surveillance camera, and digital zoom (crop-then-upscale)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from core.degrade.base import Degradation, Param, luminance
from core.degrade.noise import gaussian_noise
from core.degrade.ops import down_up, gaussian_blur, jpeg, resize

UPSCALERS = ("bicubic", "bilinear", "nearest", "lanczos")


def _surveillance(
    px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping
) -> np.ndarray:
    height, width = px.shape[:2]
    gray = luminance(px)[..., None]
    out = px * (1.0 - p["desaturate"]) + gray * p["desaturate"]  # cheap sensors, washed colour
    out = gaussian_blur(out, 0.6)  # cheap optics
    small_w, small_h = round(width / p["downscale"]), round(height / p["downscale"])
    out = resize(out, small_w, small_h, "area")
    out = gaussian_noise(out, rng, p["noise"] / 255.0, "color")
    out = jpeg(out, p["quality"], 2)
    return resize(out, width, height, "bilinear")


def _digital_zoom(
    px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping
) -> np.ndarray:
    out = down_up(px, p["factor"], "area", p["upscaler"])
    if p["sharpen"] > 0:  # phone pipelines sharpen the upscaled crop: halos
        out = out + p["sharpen"] * (out - gaussian_blur(out, 1.5))
    return out


SURVEILLANCE = Degradation(
    name="surveillance",
    family="surveillance",
    title="Surveillance camera",
    summary="Low resolution, sensor noise, washed colour and heavy JPEG, scaled back up.",
    params=(
        Param(
            "downscale",
            "float",
            "resolution reduction factor",
            levels=(2.0, 3.0, 4.0, 5.0, 6.0),
            minimum=1.0,
            maximum=32.0,
        ),
        Param(
            "noise",
            "float",
            "sensor noise in 8-bit levels",
            levels=(4, 7, 10, 14, 18),
            minimum=0.0,
            maximum=255.0,
            unit="/255",
        ),
        Param(
            "quality", "int", "JPEG quality", levels=(50, 40, 30, 22, 15), minimum=1, maximum=100
        ),
        Param(
            "desaturate",
            "float",
            "colour lost (0 = full colour)",
            default=0.3,
            minimum=0.0,
            maximum=1.0,
        ),
    ),
    fn=_surveillance,
)

DIGITAL_ZOOM = Degradation(
    name="digital_zoom",
    family="digital_zoom",
    title="Digital zoom",
    summary="Too few pixels stretched: downscale, then interpolate back up, optionally sharpened.",
    params=(
        Param(
            "factor",
            "float",
            "zoom factor (shrink, then enlarge back)",
            levels=(1.5, 2.0, 3.0, 4.0, 6.0),
            minimum=1.0,
            maximum=32.0,
        ),
        Param(
            "upscaler",
            "choice",
            "interpolation used to enlarge",
            default="bicubic",
            choices=UPSCALERS,
        ),
        Param(
            "sharpen",
            "float",
            "unsharp-mask amount after enlarging",
            default=0.5,
            minimum=0.0,
            maximum=5.0,
        ),
    ),
    fn=_digital_zoom,
)
