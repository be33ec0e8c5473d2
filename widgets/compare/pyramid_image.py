"""An image pyramid as QImages that wrap the numpy levels (no pixel is copied)."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage

from core.compare.pyramid import choose_level


def wrap_rgb8(array: np.ndarray) -> QImage:
    """A QImage sharing ``array``'s memory (keep the array alive as long as the image)."""
    if not array.flags.c_contiguous:
        raise ValueError("the array must be C-contiguous to be wrapped")
    h, w = array.shape[:2]
    return QImage(array.data, w, h, 3 * w, QImage.Format.Format_RGB888)


class PyramidImage:
    """The levels of one image (level 0 = its 8-bit pixels) and QImages over them."""

    def __init__(self, levels: list[np.ndarray]) -> None:
        if not levels:
            raise ValueError("a pyramid needs at least one level")
        self.levels = levels
        self.qimages = [wrap_rgb8(level) for level in levels]

    @property
    def width(self) -> int:
        return int(self.levels[0].shape[1])

    @property
    def height(self) -> int:
        return int(self.levels[0].shape[0])

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height

    @property
    def pixels(self) -> np.ndarray:
        return self.levels[0]

    def level_for(self, scale: float) -> int:
        """The level to draw at ``scale`` screen px per pixel."""
        return choose_level(scale, len(self.levels))

    def level_factor(self, k: int) -> tuple[float, float]:
        """Level-k pixels per level-0 pixel on each axis."""
        level = self.levels[k]
        return level.shape[1] / self.width, level.shape[0] / self.height

    def pixel(self, x: int, y: int) -> tuple[int, int, int] | None:
        if 0 <= x < self.width and 0 <= y < self.height:
            r, g, b = self.levels[0][y, x]
            return int(r), int(g), int(b)
        return None

    @property
    def nbytes(self) -> int:
        return int(sum(level.nbytes for level in self.levels))
