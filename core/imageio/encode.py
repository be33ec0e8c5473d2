"""Writing canonical float pixels as PNG (8 or 16 bits), and atomic file writes."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import numpy as np
from PIL import Image


def to_uint(pixels: np.ndarray, bit_depth: int = 8) -> np.ndarray:
    """Canonical float pixels to uint8 or uint16, rounded and clipped."""
    if bit_depth not in (8, 16):
        raise ValueError(f"bit depth must be 8 or 16, got {bit_depth}")
    top = 255.0 if bit_depth == 8 else 65535.0
    dtype = np.uint8 if bit_depth == 8 else np.uint16
    return np.round(np.clip(pixels, 0.0, 1.0) * top).astype(dtype)


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


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file normal permissions
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
