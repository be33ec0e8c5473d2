"""Preview helpers: a reduced copy of an image to try a recipe on quickly.

Two modes, because neither is faithful for every kind: ``fit`` shrinks the
whole image (global effects such as flare, haze or reflection look right but
pixel-sized parameters, a 3 px blur, look stronger), ``crop`` takes the centre
at full resolution (pixel-sized effects look right, global ones are cut).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.degrade.ops import resize
from core.degrade.recipe import Recipe, apply_recipe
from core.imageio import load_image

PREVIEW_MODES = ("fit", "crop")


def reduce_for_preview(pixels: np.ndarray, mode: str = "fit", max_side: int = 320) -> np.ndarray:
    """The part of ``pixels`` a preview shows, at most ``max_side`` pixels on each side."""
    height, width = pixels.shape[:2]
    if mode == "crop":
        top, left = max(0, (height - max_side) // 2), max(0, (width - max_side) // 2)
        return np.ascontiguousarray(pixels[top : top + max_side, left : left + max_side])
    scale = min(1.0, max_side / max(height, width))
    if scale >= 1.0:
        return pixels
    return resize(pixels, max(2, round(width * scale)), max(2, round(height * scale)), "area")


def load_preview_source(path: str | Path, mode: str = "fit", max_side: int = 320) -> np.ndarray:
    """Read an image file and reduce it for previews (run off the GUI thread)."""
    return reduce_for_preview(load_image(path).pixels, mode, max_side)


def render_preview(source: np.ndarray, recipe: Recipe, seed: int) -> np.ndarray:
    """The degraded preview: the same function the batch uses, on the reduced source."""
    return apply_recipe(source, recipe, seed)
