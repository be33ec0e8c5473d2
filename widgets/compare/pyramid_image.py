"""An image pyramid as QImages that wrap packed numpy levels (no pixel is copied to draw)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from core.compare.pyramid import choose_level, pack_xrgb, rgb_view


def wrap_packed(array: np.ndarray) -> QImage:
    """A 32-bit QImage sharing a packed (H, W, 4) array's memory (keep the array alive)."""
    if not array.flags.c_contiguous or array.shape[2] != 4:
        raise ValueError("expected a C-contiguous (H, W, 4) packed array")
    h, w = array.shape[:2]
    return QImage(array.data, w, h, 4 * w, QImage.Format.Format_RGB32)


class PyramidImage:
    """The levels of one image and 32-bit QImages over them.

    ``levels`` are RGB views (for numpy: readouts, differences, figures);
    ``packed`` the (H, W, 4) arrays the QImages share. RGB levels given to the
    constructor are packed once.
    """

    def __init__(self, levels: list[np.ndarray]) -> None:
        if not levels:
            raise ValueError("a pyramid needs at least one level")
        self.packed = [lv if lv.shape[2] == 4 else pack_xrgb(lv) for lv in levels]
        self.levels = [rgb_view(lv) for lv in self.packed]
        self.qimages = [wrap_packed(lv) for lv in self.packed]

    @property
    def width(self) -> int:
        return int(self.packed[0].shape[1])

    @property
    def height(self) -> int:
        return int(self.packed[0].shape[0])

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    @property
    def pixels(self) -> np.ndarray:
        """Level 0 as an (H, W, 3) RGB view."""
        return self.levels[0]

    def level_for(self, scale: float) -> int:
        """The level to draw at ``scale`` screen px per pixel."""
        return choose_level(scale, len(self.levels))

    def level_factor(self, k: int) -> tuple[float, float]:
        """Level-k pixels per level-0 pixel on each axis."""
        level = self.packed[k]
        return level.shape[1] / self.width, level.shape[0] / self.height

    def pixel(self, x: int, y: int) -> tuple[int, int, int] | None:
        if 0 <= x < self.width and 0 <= y < self.height:
            r, g, b = self.levels[0][y, x]
            return int(r), int(g), int(b)
        return None

    @property
    def nbytes(self) -> int:
        return int(sum(level.nbytes for level in self.packed))
