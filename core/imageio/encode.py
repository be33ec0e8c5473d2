"""Writing canonical float pixels as PNG (8 or 16 bits), and atomic file writes."""

from __future__ import annotations

import io
import os

import numpy as np
from PIL import Image

from core.files import write_atomic
from core.pixels import to_uint


def encode_png(pixels: np.ndarray, bit_depth: int = 8, compress_level: int = 4) -> bytes:
    """PNG bytes of an (H, W) or (H, W, 3) float image at 8 or 16 bits per channel."""
    if pixels.ndim not in (2, 3) or (pixels.ndim == 3 and pixels.shape[2] not in (3, 4)):
        raise ValueError(f"expected (H, W), (H, W, 3) or (H, W, 4) pixels, got {pixels.shape}")
    values = to_uint(pixels, bit_depth)
    if bit_depth == 8 or values.ndim == 2:
        buffer = io.BytesIO()  # uint8 -> L/RGB/RGBA, 2-D uint16 -> I;16
        Image.fromarray(values).save(buffer, format="PNG", compress_level=compress_level)
        return buffer.getvalue()
    import cv2  # Pillow cannot write 16-bit colour PNG

    bgr = values[..., 2::-1] if values.shape[2] == 3 else values[..., [2, 1, 0, 3]]
    ok, encoded = cv2.imencode(
        ".png", np.ascontiguousarray(bgr), [cv2.IMWRITE_PNG_COMPRESSION, compress_level]
    )
    if not ok:
        raise ValueError("OpenCV could not encode the 16-bit PNG")
    return encoded.tobytes()


def save_png(path: str | os.PathLike, pixels: np.ndarray, bit_depth: int = 8) -> None:
    """Save canonical float pixels as an 8- or 16-bit PNG, atomically."""
    write_atomic(path, encode_png(pixels, bit_depth))


def jpeg_round_trip(pixels: np.ndarray, quality: int, subsampling: int | None = None) -> np.ndarray:
    """Canonical pixels after one JPEG encode and decode, in memory (degradations, editors).

    ``pixels`` are canonical floats, or uint8 values used as they are.

    ``subsampling``: 0 = 4:4:4, 1 = 4:2:2, 2 = 4:2:0; None keeps Pillow's default for the quality.
    """
    options = {"quality": int(quality), "optimize": False}
    if subsampling is not None:
        options["subsampling"] = int(subsampling)
    buffer = io.BytesIO()
    values = pixels if pixels.dtype == np.uint8 else to_uint(pixels, 8)
    Image.fromarray(values).save(buffer, format="JPEG", **options)
    from core.imageio.decode import load_image

    return load_image(buffer.getvalue(), name="JPEG round trip").pixels
