"""Segmentation painted in a requested colour ("segment X in pure yellow"): a mask per colour."""

from __future__ import annotations

import numpy as np

from core.depth.codecs import to_uint8_rgb
from core.errors import IrisError


def parse_colour(text: str | tuple) -> tuple[int, int, int]:
    """``"255,255,0"``, ``"#ffff00"`` or a tuple -> an 8-bit RGB triple."""
    if isinstance(text, tuple | list):
        values = [int(v) for v in text]
    elif text.startswith("#") and len(text) == 7:
        values = [int(text[i : i + 2], 16) for i in (1, 3, 5)]
    else:
        try:
            values = [int(v) for v in text.split(",")]
        except ValueError:
            values = []
    if len(values) != 3 or not all(0 <= v <= 255 for v in values):
        raise IrisError(f"colour {text!r} must be R,G,B in 0..255 or #rrggbb")
    return values[0], values[1], values[2]


def colour_mask(
    pixels: np.ndarray, colour: str | tuple, *, tolerance: float = 60.0, clean: bool = True
) -> np.ndarray:
    """Pixels within ``tolerance`` (Euclidean, 8-bit units) of ``colour``; optionally cleaned.

    Cleaning is a 3x3 opening then closing, which drops isolated JPEG specks and
    fills pinholes without moving the outline.
    """
    target = np.array(parse_colour(colour), dtype=np.int32)
    diff = to_uint8_rgb(pixels).astype(np.int32) - target
    mask = (diff * diff).sum(axis=2) <= tolerance * tolerance
    if clean:
        import cv2

        kernel = np.ones((3, 3), np.uint8)
        cleaned = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, kernel)
        mask = cv2.morphologyEx(cleaned, cv2.MORPH_CLOSE, kernel).astype(bool)
    return mask
