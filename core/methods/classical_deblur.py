"""Classical deblurring: unsharp masking and Richardson-Lucy / Wiener deconvolution.

The point spread function is either a Gaussian (defocus) or a line (motion),
built here so the same PSF can degrade a test image and undo it.
"""

from __future__ import annotations

import numpy as np

from core.jobs import check_cancelled
from core.methods.base import Method, MethodOutput, Param


def gaussian_psf(sigma: float, size: int = 0) -> np.ndarray:
    """A normalised 2-D Gaussian kernel; ``size`` 0 picks 6 sigma, odd."""
    size = size or int(2 * np.ceil(3 * sigma) + 1)
    size |= 1
    axis = np.arange(size) - size // 2
    g = np.exp(-(axis**2) / (2.0 * sigma**2))
    kernel = np.outer(g, g)
    return (kernel / kernel.sum()).astype(np.float32)


def motion_psf(length: int, angle_deg: float) -> np.ndarray:
    """A normalised line of ``length`` pixels at ``angle_deg`` (0 = horizontal), anti-aliased."""
    import cv2

    length = max(1, int(length))
    size = length | 1
    kernel = np.zeros((size * 4, size * 4), dtype=np.float32)
    centre = size * 2
    dx = np.cos(np.deg2rad(angle_deg)) * (length - 1) * 2
    dy = -np.sin(np.deg2rad(angle_deg)) * (length - 1) * 2
    p0 = (int(round(centre - dx)), int(round(centre - dy)))
    p1 = (int(round(centre + dx)), int(round(centre + dy)))
    cv2.line(kernel, p0, p1, 1.0, thickness=4, lineType=cv2.LINE_AA)
    kernel = cv2.resize(kernel, (size, size), interpolation=cv2.INTER_AREA)
    return (kernel / kernel.sum()).astype(np.float32)


def make_psf(params: dict) -> np.ndarray:
    if params["psf"] == "motion":
        return motion_psf(int(params["length"]), float(params["angle"]))
    return gaussian_psf(float(params["sigma"]))


def blur(pixels: np.ndarray, psf: np.ndarray) -> np.ndarray:
    """Convolve every channel with ``psf`` (reflected borders), as a camera would."""
    import cv2

    return cv2.filter2D(pixels, -1, psf[::-1, ::-1], borderType=cv2.BORDER_REFLECT)


def richardson_lucy(pixels, psf, iterations, *, progress, cancel) -> np.ndarray:
    """Multiplicative RL updates with reflected borders (no ringing from zero padding)."""
    import cv2

    observed = np.maximum(pixels, 1e-4)
    estimate = observed.copy()
    flipped = psf[::-1, ::-1].copy()
    for i in range(iterations):
        check_cancelled(cancel)
        progress(i, iterations)
        reblurred = cv2.filter2D(estimate, -1, flipped, borderType=cv2.BORDER_REFLECT)
        ratio = observed / np.maximum(reblurred, 1e-6)
        estimate *= cv2.filter2D(ratio, -1, psf, borderType=cv2.BORDER_REFLECT)
    return estimate


def wiener(pixels: np.ndarray, psf: np.ndarray, balance: float) -> np.ndarray:
    """Frequency-domain Wiener filter with a constant noise-to-signal ``balance``.

    The image is reflect-padded first so the periodic FFT sees no hard edges.
    """
    import cv2

    pad = max(psf.shape) * 2
    padded = cv2.copyMakeBorder(pixels, pad, pad, pad, pad, cv2.BORDER_REFLECT)
    h, w = padded.shape[:2]
    otf_field = np.zeros((h, w), dtype=np.float32)
    kh, kw = psf.shape
    otf_field[:kh, :kw] = psf
    otf_field = np.roll(otf_field, (-(kh // 2), -(kw // 2)), axis=(0, 1))
    otf = np.fft.rfft2(otf_field)
    gain = np.conj(otf) / (np.abs(otf) ** 2 + balance)
    out = np.empty_like(padded)
    for c in range(padded.shape[2]):
        out[:, :, c] = np.fft.irfft2(np.fft.rfft2(padded[:, :, c]) * gain, s=(h, w))
    return out[pad:-pad, pad:-pad]


def run_deconvolve(pixels, params, *, progress, cancel, context) -> MethodOutput:
    psf = make_psf(params)
    if params["algorithm"] == "wiener":
        progress(0, 1)
        out = wiener(pixels, psf, float(params["balance"]))
        progress(1, 1)
    else:
        iterations = int(params["iterations"])
        out = richardson_lucy(pixels, psf, iterations, progress=progress, cancel=cancel)
        progress(iterations, iterations)
    return MethodOutput(out, meta={"psf_shape": list(psf.shape)})


def run_unsharp(pixels, params, *, progress, cancel, context) -> MethodOutput:
    import cv2

    progress(0, 1)
    blurred = cv2.GaussianBlur(pixels, (0, 0), float(params["radius"]))
    detail = pixels - blurred
    if params["threshold"] > 0:
        detail = np.where(np.abs(detail) >= params["threshold"], detail, 0.0)
    out = pixels + float(params["amount"]) * detail
    progress(1, 1)
    return MethodOutput(out.astype(np.float32))


UNSHARP = Method(
    name="unsharp",
    kind="classical",
    title="Unsharp masking",
    description="Adds back the difference between the image and its Gaussian blur.",
    targets="mild blur",
    params=(
        Param("radius", "float", 1.5, "Gaussian sigma in pixels", 0.3, 20.0),
        Param("amount", "float", 1.0, "how much detail to add back", 0.0, 5.0),
        Param("threshold", "float", 0.0, "ignore detail below this (0-1 units)", 0.0, 0.5),
    ),
    run=run_unsharp,
)

DECONVOLVE = Method(
    name="deconvolve",
    kind="classical",
    title="Deconvolution (Richardson-Lucy / Wiener)",
    description="Non-blind deconvolution with a Gaussian (defocus) or motion PSF.",
    targets="defocus or motion blur",
    params=(
        Param("algorithm", "choice", "richardson_lucy", choices=("richardson_lucy", "wiener")),
        Param("psf", "choice", "gaussian", "point spread function", choices=("gaussian", "motion")),
        Param("sigma", "float", 2.0, "Gaussian PSF sigma in pixels", 0.3, 20.0),
        Param("length", "int", 9, "motion PSF length in pixels", 2, 101),
        Param("angle", "float", 0.0, "motion PSF angle in degrees", -180.0, 180.0),
        Param("iterations", "int", 30, "Richardson-Lucy iterations", 1, 500),
        Param("balance", "float", 0.01, "Wiener noise-to-signal ratio", 1e-5, 1.0),
    ),
    run=run_deconvolve,
)
