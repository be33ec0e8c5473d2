"""Colour maps for error images (256-entry uint8 lookup tables) and the exposure/levels table."""

from __future__ import annotations

import numpy as np

from core.pixels import to_uint8
from core.registry import Registry

COLORMAPS: Registry = Registry("colour map")

# Anchor colours, interpolated linearly in RGB to 256 entries.
_ANCHORS = {
    # A perceptually ordered dark-to-bright map close to matplotlib's "inferno".
    "inferno": [
        (0, 0, 4),
        (40, 11, 84),
        (101, 21, 110),
        (159, 42, 99),
        (212, 72, 66),
        (245, 125, 21),
        (250, 193, 39),
        (252, 255, 164),
    ],
    # A diverging blue-white-red map close to "coolwarm"; white is exactly the middle entry.
    "coolwarm": [(59, 76, 192), (141, 176, 254), (247, 247, 247), (244, 154, 123), (180, 4, 38)],
    "gray": [(0, 0, 0), (255, 255, 255)],
}


def _lut(anchors: list[tuple[int, int, int]]) -> np.ndarray:
    points = np.asarray(anchors, dtype=np.float64)
    where = np.linspace(0.0, 1.0, len(points))
    t = np.linspace(0.0, 1.0, 256)
    lut = np.stack([np.interp(t, where, points[:, c]) for c in range(3)], axis=1)
    if len(points) % 2 == 1:  # odd anchor count: pin the centre anchor onto entries 127/128
        middle = points[len(points) // 2]
        lut[127] = lut[128] = middle
    return np.round(lut).astype(np.uint8)


for _name, _anchors in _ANCHORS.items():
    COLORMAPS.register(_name, _lut(_anchors))


def colormap(name: str) -> np.ndarray:
    """The (256, 3) uint8 table of a registered colour map."""
    return COLORMAPS.get(name)


def levels_lut(exposure: float = 0.0, black: float = 0.0, white: float = 1.0) -> np.ndarray:
    """A (256,) uint8 table: multiply by 2**exposure, then stretch [black, white] to [0, 1]."""
    if white <= black:
        raise ValueError(f"white level {white} must be above black level {black}")
    values = np.arange(256, dtype=np.float64) / 255.0 * (2.0**exposure)
    values = np.clip((values - black) / (white - black), 0.0, 1.0)
    return to_uint8(values)


def is_identity(lut: np.ndarray) -> bool:
    return bool(np.array_equal(lut, np.arange(256, dtype=np.uint8)))
