"""Small image operations shared by the degradation families (OpenCV and Pillow, imported lazily).

All take and return float32 RGB in [0, 1]. They are deterministic: no threads
whose order could change a result, no global random state.
"""

from __future__ import annotations

import numpy as np

from core.imageio import to_uint


def _cv2():
    import cv2  # lazy: the GUI must start without it

    return cv2


def resize(
    pixels: np.ndarray, width: int, height: int, method: str = "area", clip: bool = True
) -> np.ndarray:
    """Resize to ``width`` x ``height`` (``area``, ``bilinear``, ``bicubic``, ``nearest``, ``lanczos``).

    ``clip`` keeps images in [0, 1] (bicubic overshoots); fields of signed values pass False.
    """
    cv2 = _cv2()
    flags = {
        "area": cv2.INTER_AREA,
        "bilinear": cv2.INTER_LINEAR,
        "bicubic": cv2.INTER_CUBIC,
        "nearest": cv2.INTER_NEAREST,
        "lanczos": cv2.INTER_LANCZOS4,
    }
    out = cv2.resize(
        np.ascontiguousarray(pixels, np.float32),
        (max(1, int(width)), max(1, int(height))),
        interpolation=flags[method],
    )
    if out.ndim == 2 and pixels.ndim == 3:
        out = out[..., None]
    out = np.clip(out, 0.0, 1.0) if clip else out
    return out.astype(np.float32, copy=False)


def down_up(
    pixels: np.ndarray, factor: float, down: str = "area", up: str = "bicubic"
) -> np.ndarray:
    """Shrink by ``factor`` then scale back to the original size (detail is lost, size kept)."""
    if factor <= 1.0:
        return pixels
    height, width = pixels.shape[:2]
    small = resize(pixels, round(width / factor), round(height / factor), down)
    return resize(small, width, height, up)


def gaussian_blur(pixels: np.ndarray, sigma: float) -> np.ndarray:
    """Gaussian blur of an (H, W) or (H, W, C) float image, reflected borders."""
    if sigma <= 0:
        return pixels
    cv2 = _cv2()
    out = cv2.GaussianBlur(
        np.ascontiguousarray(pixels, np.float32),
        (0, 0),
        sigmaX=float(sigma),
        sigmaY=float(sigma),
        borderType=cv2.BORDER_REFLECT_101,
    )
    return out.reshape(pixels.shape).astype(np.float32, copy=False)


def convolve(pixels: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """Convolve every channel with a normalised 2-D ``kernel`` (reflected borders)."""
    cv2 = _cv2()
    kernel = np.asarray(kernel, np.float32)
    kernel = kernel / kernel.sum()
    out = cv2.filter2D(
        np.ascontiguousarray(pixels, np.float32), -1, kernel, borderType=cv2.BORDER_REFLECT_101
    )
    return out.reshape(pixels.shape).astype(np.float32, copy=False)


def jpeg(pixels: np.ndarray, quality: int, subsampling: int = 2) -> np.ndarray:
    """Encode as JPEG at ``quality`` (Pillow/libjpeg) and decode again.

    ``subsampling``: 0 = 4:4:4, 1 = 4:2:2, 2 = 4:2:0 (what most web images use).
    """
    from core.imageio import jpeg_round_trip

    return jpeg_round_trip(pixels, quality, subsampling)


def quantize8(pixels: np.ndarray) -> np.ndarray:
    """Round to 8-bit levels (what a camera or a PNG would keep)."""
    return to_uint(pixels, 8).astype(np.float32) / 255.0


def line_kernel(length: float, angle_deg: float) -> np.ndarray:
    """An anti-aliased line of ``length`` pixels at ``angle_deg`` (0 = horizontal), normalised."""
    cv2 = _cv2()
    length = max(1.0, float(length))
    size = int(np.ceil(length)) | 1
    scale = 8  # draw large, then area-average, for a sub-pixel accurate line
    big = np.zeros((size * scale, size * scale), np.float32)
    centre = (size * scale - 1) / 2.0
    theta = np.deg2rad(angle_deg)
    dx, dy = np.cos(theta) * (length * scale - 1) / 2.0, -np.sin(theta) * (length * scale - 1) / 2.0
    shift = 4
    p1 = (int(round((centre - dx) * (1 << shift))), int(round((centre - dy) * (1 << shift))))
    p2 = (int(round((centre + dx) * (1 << shift))), int(round((centre + dy) * (1 << shift))))
    cv2.line(big, p1, p2, 1.0, thickness=scale, lineType=cv2.LINE_AA, shift=shift)
    kernel = cv2.resize(big, (size, size), interpolation=cv2.INTER_AREA)
    kernel = 0.5 * (kernel + kernel[::-1, ::-1])  # exactly centred: blurring must not shift
    return kernel / max(float(kernel.sum()), 1e-12)


def disk_kernel(radius: float) -> np.ndarray:
    """A uniform disk of ``radius`` pixels with an anti-aliased rim (defocus point spread)."""
    radius = max(0.5, float(radius))
    half = int(np.ceil(radius)) + 1
    y, x = np.mgrid[-half : half + 1, -half : half + 1].astype(np.float32)
    kernel = np.clip(radius + 0.5 - np.sqrt(x * x + y * y), 0.0, 1.0)
    return kernel / kernel.sum()
