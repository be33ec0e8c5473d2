"""Canonical float pixels to integer samples: the one rounding rule IRIS uses (numpy only).

Values are clipped to [0, 1], scaled and rounded half to even (``np.round``), so a
float image that came from 8 or 16 bits returns to exactly those integers.
"""

from __future__ import annotations

import numpy as np


def to_uint(pixels: np.ndarray, bit_depth: int = 8) -> np.ndarray:
    """Canonical float pixels to uint8 or uint16, rounded and clipped."""
    if bit_depth not in (8, 16):
        raise ValueError(f"bit depth must be 8 or 16, got {bit_depth}")
    top = 255.0 if bit_depth == 8 else 65535.0
    dtype = np.uint8 if bit_depth == 8 else np.uint16
    return np.round(np.clip(pixels, 0.0, 1.0) * top).astype(dtype)


def to_uint8(pixels: np.ndarray) -> np.ndarray:
    """Canonical float pixels to uint8 (display, thumbnails, 8-bit encoders)."""
    return to_uint(pixels, 8)
