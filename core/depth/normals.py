"""Surface normals painted as RGB: R = (1 - x)/2, G = (1 + y)/2, B = (1 + z)/2 (camera space).

Camera space is +x right, +y up, +z toward the camera. Each axis flip is
configurable because other generators use other conventions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.depth.codecs import to_uint8_rgb
from core.pixels import to_uint8

DEFAULT_FLIPS = (True, False, False)  # x is stored flipped: R = (1 - x) / 2


@dataclass
class NormalDecoding:
    """Unit normals (H, W, 3) float32 (NaN where invalid) and the validity mask."""

    normals: np.ndarray
    valid: np.ndarray

    def stats(self) -> dict:
        valid = self.normals[self.valid]
        mean = valid.mean(axis=0) if len(valid) else np.full(3, np.nan)
        median = np.median(valid, axis=0) if len(valid) else np.full(3, np.nan)
        return {
            "width": int(self.valid.shape[1]),
            "height": int(self.valid.shape[0]),
            "valid_fraction": float(self.valid.mean()),
            "mean": [float(v) for v in mean],
            "median": [float(v) for v in median],
        }


def decode_normals(
    pixels: np.ndarray,
    *,
    flips: tuple[bool, bool, bool] = DEFAULT_FLIPS,
    length_tolerance: float = 0.35,
) -> NormalDecoding:
    """Normals from an RGB image; a pixel is valid when its raw vector has length 1 +- tolerance.

    The raw vector of a true normal has unit length (up to 8-bit rounding), so
    backgrounds painted black, white or grey fall outside the tolerance.
    """
    rgb = to_uint8_rgb(pixels).astype(np.float32) / 255.0
    raw = 2.0 * rgb - 1.0
    signs = np.array([-1.0 if flip else 1.0 for flip in flips], dtype=np.float32)
    raw *= signs
    length = np.sqrt((raw * raw).sum(axis=2))
    valid = np.abs(length - 1.0) <= length_tolerance
    with np.errstate(invalid="ignore", divide="ignore"):
        normals = raw / length[..., None]
    normals[~valid] = np.nan
    return NormalDecoding(normals.astype(np.float32), valid)


def encode_normals(
    normals: np.ndarray, *, flips: tuple[bool, bool, bool] = DEFAULT_FLIPS
) -> np.ndarray:
    """(H, W, 3) uint8 colours of unit normals (the inverse of :func:`decode_normals`)."""
    signs = np.array([-1.0 if flip else 1.0 for flip in flips])
    rgb = (np.asarray(normals, dtype=np.float64) * signs + 1.0) / 2.0
    return to_uint8(rgb)
