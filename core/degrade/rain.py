"""Rain: bright, motion-blurred streaks at an angle, splashes of droplets, and a wet veil.

Streak count scales with the image area (``density`` per 10,000 pixels) so a
recipe means the same on a thumbnail and on a 4K frame; lengths are in pixels.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from core.degrade.base import Degradation, Param
from core.degrade.ops import convolve, gaussian_blur, line_kernel


def _streak_layer(
    height: int, width: int, rng: np.random.Generator, p: dict[str, Any]
) -> np.ndarray:
    import cv2  # lazy

    count = int(round(p["density"] * height * width / 10_000))
    layer = np.zeros((height, width), np.float32)
    theta = np.deg2rad(p["angle"])
    dx, dy = np.sin(theta), np.cos(theta)  # angle measured from vertical, falling downwards
    xs = rng.uniform(-0.2 * width, 1.2 * width, count)
    ys = rng.uniform(-0.1 * height, height, count)
    lengths = p["length"] * rng.uniform(0.6, 1.4, count)
    levels = rng.uniform(0.5, 1.0, count)
    shift = 4
    scale = 1 << shift
    for x, y, length, level in zip(xs, ys, lengths, levels, strict=True):
        p1 = (int(x * scale), int(y * scale))
        p2 = (int((x + dx * length) * scale), int((y + dy * length) * scale))
        cv2.line(layer, p1, p2, float(level), thickness=1, lineType=cv2.LINE_AA, shift=shift)
    # streaks are drops moving during the exposure: soften them along their direction
    layer = convolve(layer[..., None], line_kernel(max(3.0, p["length"] / 4), 90.0 - p["angle"]))
    return layer[..., 0]


def _splash_layer(
    height: int, width: int, rng: np.random.Generator, p: dict[str, Any]
) -> np.ndarray:
    import cv2  # lazy

    count = int(round(p["splashes"] * height * width / 10_000))
    layer = np.zeros((height, width), np.float32)
    xs = rng.uniform(0, width, count)
    ys = rng.uniform(0.35 * height, height, count)  # drops hit the ground and surfaces below
    radii = rng.uniform(1.0, 2.5 + p["length"] / 12, count)
    levels = rng.uniform(0.4, 0.9, count)
    for x, y, radius, level in zip(xs, ys, radii, levels, strict=True):
        axes = (max(1, int(round(radius))), max(1, int(round(radius * 0.45))))
        cv2.ellipse(layer, (int(x), int(y)), axes, 0, 180, 360, float(level), 1, cv2.LINE_AA)
        # a few droplets thrown up around the impact
        for _ in range(2):
            ox, oy = rng.normal(0, radius), -abs(rng.normal(radius, radius / 2))
            cv2.circle(layer, (int(x + ox), int(y + oy)), 0, float(level), -1, cv2.LINE_AA)
    return gaussian_blur(layer, 0.6)


def _rain(px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping) -> np.ndarray:
    height, width = px.shape[:2]
    streaks = _streak_layer(height, width, rng, p)
    splashes = _splash_layer(height, width, rng, p) if p["splashes"] > 0 else 0.0
    rain = np.clip(p["opacity"] * (streaks + splashes), 0.0, 1.0)[..., None]
    veiled = px * (1.0 - p["veil"]) + np.float32(0.75 * p["veil"])
    return 1.0 - (1.0 - veiled) * (1.0 - rain)  # screen blend: rain only brightens


RAIN = Degradation(
    name="rain",
    family="rain",
    title="Rain",
    summary="Rain streaks (angle, length, density) with splashes and a wet, low-contrast veil.",
    params=(
        Param(
            "density",
            "float",
            "streaks per 10,000 pixels",
            levels=(4.0, 8.0, 12.0, 18.0, 26.0),
            minimum=0.0,
            maximum=200.0,
        ),
        Param(
            "length",
            "float",
            "mean streak length",
            levels=(10.0, 14.0, 18.0, 24.0, 30.0),
            minimum=1.0,
            maximum=500.0,
            unit="px",
        ),
        Param(
            "angle",
            "float",
            "streak angle from vertical",
            default=15.0,
            minimum=-80.0,
            maximum=80.0,
            unit="deg",
        ),
        Param(
            "opacity",
            "float",
            "streak brightness",
            levels=(0.5, 0.6, 0.7, 0.8, 0.9),
            minimum=0.0,
            maximum=1.0,
        ),
        Param(
            "splashes",
            "float",
            "splashes per 10,000 pixels",
            levels=(0.5, 1.0, 1.5, 2.0, 3.0),
            minimum=0.0,
            maximum=50.0,
        ),
        Param(
            "veil",
            "float",
            "wet-air contrast loss",
            levels=(0.02, 0.04, 0.06, 0.09, 0.12),
            minimum=0.0,
            maximum=1.0,
        ),
    ),
    fn=_rain,
)
