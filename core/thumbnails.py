"""Small previews of image files for browsers and filmstrips (fast: JPEG draft decoding)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from core.errors import ImageLoadError
from core.limits import max_pixels_from_env


def make_thumbnail(path: str | Path, size: int = 160) -> np.ndarray:
    """An RGB uint8 array whose longer side is at most ``size``, EXIF orientation applied."""
    try:
        with Image.open(path) as im:
            if im.size[0] * im.size[1] > max_pixels_from_env():
                raise ImageLoadError(
                    path, "too-large", f"{im.size[0]}x{im.size[1]} exceeds the pixel limit"
                )
            im.draft("RGB", (size, size))  # JPEG decodes at a reduced scale
            im = ImageOps.exif_transpose(im)
            if im.mode in {"I;16", "I;16B", "I;16L", "I"}:
                im = Image.fromarray(
                    (np.asarray(im, dtype=np.float32) / 257.0).clip(0, 255).astype(np.uint8)
                )
            im = im.convert("RGB")
            im.thumbnail((size, size), Image.Resampling.BILINEAR)
            return np.ascontiguousarray(np.asarray(im, dtype=np.uint8))
    except (OSError, SyntaxError, ValueError) as exc:
        raise ImageLoadError(path, "unreadable", f"thumbnail failed: {exc}") from exc
