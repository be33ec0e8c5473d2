"""Moire: one to several fused periodic interference patterns, curved and colour-fringed.

Photographing a screen beats the display's pixel grid against the sensor's,
giving curved bands whose colour shifts because the sub-pixels sit apart.
Following the practice of fusing several patterns into a clean image
(RealRestorer, after UniDemoire), each pattern here is a cosine with a random
orientation and period whose phase bends with a random quadratic warp; the
red, green and blue channels see shifted phases.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from core.degrade.base import Degradation, Param


def moire_field(height: int, width: int, rng: np.random.Generator, p: dict[str, Any]) -> np.ndarray:
    """The fused pattern, (H, W, 3) in about [-1, 1]."""
    scale = float(max(height, width))
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    x, y = x - width / 2.0, y - height / 2.0
    field = np.zeros((height, width, 3), np.float32)
    count = p["patterns"]
    for _ in range(count):
        theta = rng.uniform(0, np.pi)
        period = p["period"] * rng.uniform(0.7, 1.5)
        u = x * np.cos(theta) + y * np.sin(theta)
        v = -x * np.sin(theta) + y * np.cos(theta)
        bend = p["curvature"] * rng.uniform(-1, 1, 3) * np.float32(2 * np.pi / scale)
        phase = 2 * np.pi * u / period + bend[0] * v * v / period + bend[1] * u * v / period
        phase = phase + bend[2] * u * u / period + rng.uniform(0, 2 * np.pi)
        weight = rng.uniform(0.7, 1.0)
        for channel, shift in enumerate((-1.0, 0.0, 1.0)):
            field[..., channel] += weight * np.cos(phase + shift * p["color"] * 2.1)
    return field / np.float32(np.sqrt(count))


def _moire(px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping) -> np.ndarray:
    height, width = px.shape[:2]
    field = moire_field(height, width, rng, p)
    # multiplicative: the pattern modulates what the screen shows; a small additive part
    # keeps it visible in dark areas, as on a photographed screen
    return px * (1.0 + p["strength"] * field) + 0.25 * p["strength"] * field


MOIRE = Degradation(
    name="moire",
    family="moire",
    title="Moire",
    summary="Fused curved interference bands with colour fringes (a photographed screen).",
    params=(
        Param(
            "strength",
            "float",
            "band contrast",
            levels=(0.06, 0.1, 0.15, 0.21, 0.28),
            minimum=0.0,
            maximum=1.0,
        ),
        Param(
            "patterns",
            "int",
            "number of fused patterns",
            levels=(1, 2, 2, 3, 3),
            minimum=1,
            maximum=8,
        ),
        Param(
            "period",
            "float",
            "mean band period",
            default=9.0,
            minimum=2.0,
            maximum=500.0,
            unit="px",
        ),
        Param(
            "curvature",
            "float",
            "how much the bands bend (0 = straight)",
            default=1.0,
            minimum=0.0,
            maximum=20.0,
        ),
        Param(
            "color",
            "float",
            "colour fringing (0 = grey bands)",
            default=1.0,
            minimum=0.0,
            maximum=1.0,
        ),
    ),
    fn=_moire,
)
