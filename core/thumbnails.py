"""Small previews of image files for browsers and filmstrips (fast: JPEG draft decoding)."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def make_thumbnail(path: str | Path, size: int = 160) -> np.ndarray:
    """An RGB uint8 array whose longer side is at most ``size``, orientation applied.

    Decoded through the one entrance (:func:`core.imageio.load_preview`): the same
    allow-list, limits and orientation as every other read.
    """
    from core.imageio import load_preview

    return load_preview(path, size)
