"""Image pyramids: 8-bit pixels halved level by level, so a zoomed-out view never resamples full size.

Level 0 is the image itself. Each next level averages 2x2 blocks (an odd last
row or column is averaged with itself), down to ``min_size``. Levels are
either RGB (H, W, 3) or *packed* (H, W, 4) in B, G, R, 255 byte order, the
memory layout of a 32-bit ``0xffRRGGBB`` pixel that Qt draws fastest.
Packed levels take 4/3 x 4/3 = 1.78 times the image's own 8-bit RGB size.
"""

from __future__ import annotations

import math
import threading

import numpy as np

from core.imageio import load_image, to_uint
from core.jobs import check_cancelled

MIN_LEVEL_SIZE = 32


def to_rgb8(pixels: np.ndarray) -> np.ndarray:
    """Canonical float (or uint8) RGB as contiguous uint8 (H, W, 3)."""
    if pixels.dtype == np.uint8:
        return np.ascontiguousarray(pixels[..., :3])
    return np.ascontiguousarray(to_uint(pixels[..., :3], 8))


def pack_xrgb(rgb8: np.ndarray) -> np.ndarray:
    """(H, W, 3) RGB as (H, W, 4) bytes B, G, R, 255 (Qt's RGB32 on little-endian machines)."""
    h, w = rgb8.shape[:2]
    packed = np.empty((h, w, 4), np.uint8)
    packed[..., 0] = rgb8[..., 2]
    packed[..., 1] = rgb8[..., 1]
    packed[..., 2] = rgb8[..., 0]
    packed[..., 3] = 255
    return packed


def rgb_view(level: np.ndarray) -> np.ndarray:
    """An RGB view (no copy) of an RGB or packed level."""
    return level[..., 2::-1] if level.shape[2] == 4 else level


def halve(level: np.ndarray) -> np.ndarray:
    """The next pyramid level: the rounded mean of each 2x2 block."""
    h, w = level.shape[:2]
    if h % 2:
        level = np.concatenate([level, level[-1:]], axis=0)
    if w % 2:
        level = np.concatenate([level, level[:, -1:]], axis=1)
    total = level[0::2, 0::2].astype(np.uint16)
    total += level[1::2, 0::2]
    total += level[0::2, 1::2]
    total += level[1::2, 1::2]
    return ((total + 2) >> 2).astype(np.uint8)


def build_pyramid(
    rgb8: np.ndarray, min_size: int = MIN_LEVEL_SIZE, cancel: threading.Event | None = None
) -> list[np.ndarray]:
    """All levels of ``rgb8``, level 0 first (the array itself, not a copy)."""
    levels = [rgb8]
    while min(levels[-1].shape[:2]) > min_size:
        check_cancelled(cancel)
        levels.append(halve(levels[-1]))
    return levels


def choose_level(scale: float, count: int) -> int:
    """The level to draw at ``scale`` screen px per level-0 px: about 1:1 at that level.

    Above 1:1 it is level 0 (drawn nearest-neighbour); below, the level whose
    own scale lies in (0.71, 1.41], so a smooth draw never skips pixels.
    """
    if scale >= 1.0 or count <= 1:
        return 0
    return max(0, min(count - 1, math.floor(math.log2(1.0 / scale) + 0.5)))


def load_pyramid(path: str, max_pixels: int | None = None, packed: bool = True) -> list[np.ndarray]:
    """Decode an image file and build its (packed) pyramid; runs off the GUI thread."""
    loaded = load_image(path, max_pixels=max_pixels)
    rgb8 = to_rgb8(loaded.pixels)
    del loaded
    return build_pyramid(pack_xrgb(rgb8) if packed else rgb8)


def nbytes(levels: list[np.ndarray]) -> int:
    return int(sum(level.nbytes for level in levels))
