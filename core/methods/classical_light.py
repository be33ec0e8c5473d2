"""Classical tone and haze corrections: CLAHE, gamma and dark-channel-prior dehazing."""

from __future__ import annotations

import numpy as np

from core.jobs import check_cancelled
from core.methods.base import Method, MethodOutput, Param
from core.methods.classical_denoise import from_u8, to_u8


def run_clahe(pixels, params, *, progress, cancel, context) -> MethodOutput:
    """Contrast-limited adaptive histogram equalisation of the LAB lightness channel."""
    import cv2

    progress(0, 1)
    lab = cv2.cvtColor(to_u8(pixels), cv2.COLOR_RGB2LAB)
    grid = int(params["tile_grid"])
    clahe = cv2.createCLAHE(clipLimit=float(params["clip_limit"]), tileGridSize=(grid, grid))
    lab[:, :, 0] = clahe.apply(lab[:, :, 0])
    out = from_u8(cv2.cvtColor(lab, cv2.COLOR_LAB2RGB))
    progress(1, 1)
    return MethodOutput(out)


def run_gamma(pixels, params, *, progress, cancel, context) -> MethodOutput:
    """``out = in ** (1 / gamma)``; gamma 0 picks the one that maps mean luminance to ``target``."""
    progress(0, 1)
    gamma = float(params["gamma"])
    if gamma <= 0:
        luma = float(np.clip((pixels @ np.array([0.299, 0.587, 0.114])).mean(), 1e-3, 0.999))
        gamma = float(np.log(luma) / np.log(params["target_mean"]))
        gamma = float(np.clip(gamma, 0.2, 10.0))
    out = np.power(np.clip(pixels, 0.0, 1.0), 1.0 / gamma)
    progress(1, 1)
    return MethodOutput(out.astype(np.float32), meta={"gamma_used": round(gamma, 4)})


def dark_channel(pixels: np.ndarray, patch: int) -> np.ndarray:
    import cv2

    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (patch, patch))
    return cv2.erode(pixels.min(axis=2), kernel)


def guided_filter(guide: np.ndarray, src: np.ndarray, radius: int, eps: float) -> np.ndarray:
    """He et al.'s guided filter with a grey guide (box filters, O(N))."""
    import cv2

    size = (2 * radius + 1, 2 * radius + 1)

    def box(x: np.ndarray) -> np.ndarray:
        return cv2.boxFilter(x, -1, size, borderType=cv2.BORDER_REFLECT)

    mean_i, mean_p = box(guide), box(src)
    cov = box(guide * src) - mean_i * mean_p
    var = box(guide * guide) - mean_i * mean_i
    a = cov / (var + eps)
    b = mean_p - a * mean_i
    return box(a) * guide + box(b)


def run_dehaze(pixels, params, *, progress, cancel, context) -> MethodOutput:
    """Dark channel prior dehazing (He, Sun, Tang 2009) with guided-filter refinement."""
    patch = int(params["patch"]) | 1
    progress(0, 3)
    dark = dark_channel(pixels, patch)
    flat = dark.ravel()
    count = max(1, int(flat.size * 0.001))
    # The haziest 0.1% by dark channel, ties broken by brightness: argpartition's tie order
    # differs between NumPy releases, and flat regions tie.
    brightest = np.lexsort((pixels.reshape(-1, 3).sum(axis=1), flat))[-count:]
    airlight = pixels.reshape(-1, 3)[brightest].max(axis=0)
    airlight = np.maximum(airlight, 1e-3).astype(np.float32)
    check_cancelled(cancel)
    progress(1, 3)
    transmission = 1.0 - float(params["omega"]) * dark_channel(pixels / airlight, patch)
    gray = pixels @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    transmission = guided_filter(
        gray.astype(np.float32),
        transmission.astype(np.float32),
        int(params["guide_radius"]),
        float(params["guide_eps"]),
    )
    check_cancelled(cancel)
    progress(2, 3)
    t = np.maximum(transmission, float(params["t_min"]))[:, :, None]
    out = (pixels - airlight) / t + airlight
    progress(3, 3)
    meta = {"airlight": [round(float(v), 4) for v in airlight]}
    return MethodOutput(out.astype(np.float32), meta=meta)


CLAHE = Method(
    name="clahe",
    kind="classical",
    title="CLAHE (low light)",
    description="Contrast-limited adaptive histogram equalisation of lightness (OpenCV).",
    targets="low light, low contrast",
    params=(
        Param("clip_limit", "float", 2.0, "contrast limit per tile", 0.5, 40.0),
        Param("tile_grid", "int", 8, "tiles per side", 1, 64),
    ),
    run=run_clahe,
)

GAMMA = Method(
    name="gamma",
    kind="classical",
    title="Gamma (low light)",
    description="Power-law brightening; gamma 0 chooses it from the mean luminance.",
    targets="low light",
    params=(
        Param("gamma", "float", 0.0, "gamma > 1 brightens (0 = auto)", 0.0, 10.0),
        Param("target_mean", "float", 0.45, "mean luminance the auto gamma aims at", 0.1, 0.9),
    ),
    run=run_gamma,
)

DEHAZE = Method(
    name="dehaze",
    kind="classical",
    title="Dark channel dehazing",
    description="He et al. dark channel prior with guided-filter transmission refinement.",
    targets="haze",
    params=(
        Param("patch", "int", 15, "dark channel patch size (odd)", 3, 61),
        Param("omega", "float", 0.95, "fraction of haze removed", 0.1, 1.0),
        Param("t_min", "float", 0.1, "lowest transmission kept", 0.01, 0.9),
        Param("guide_radius", "int", 30, "guided filter radius", 1, 200),
        Param("guide_eps", "float", 1e-3, "guided filter regularisation", 1e-6, 1.0),
    ),
    run=run_dehaze,
)
