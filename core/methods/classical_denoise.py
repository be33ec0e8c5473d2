"""Classical denoisers: non-local means, the bilateral filter and JPEG deblocking.

No weights, no network: OpenCV and numpy only, so these always run offline and
serve as the floor every learned or generative method is compared against.
"""

from __future__ import annotations

import numpy as np

from core.jobs import check_cancelled
from core.methods.base import Method, MethodOutput, Param
from core.pixels import to_uint8


def to_u8(pixels: np.ndarray) -> np.ndarray:
    return to_uint8(pixels)


def from_u8(pixels: np.ndarray) -> np.ndarray:
    return pixels.astype(np.float32) / 255.0


def estimate_noise_sigma(pixels: np.ndarray) -> float:
    """Noise standard deviation in [0, 1] units (Immerkaer's fast estimator, per channel mean).

    Used when a strength parameter is left at 0 ("auto").
    """
    import cv2

    kernel = np.array([[1, -2, 1], [-2, 4, -2], [1, -2, 1]], dtype=np.float32)
    sigmas = []
    for channel in range(pixels.shape[2]):
        response = cv2.filter2D(pixels[:, :, channel], cv2.CV_32F, kernel)
        h, w = response.shape
        inner = np.abs(response[1:-1, 1:-1])
        sigmas.append(float(inner.sum()) * np.sqrt(np.pi / 2) / (6.0 * (w - 2) * (h - 2)))
    return float(np.mean(sigmas))


def run_nlmeans(pixels, params, *, progress, cancel, context) -> MethodOutput:
    import cv2

    progress(0, 1)
    sigma = estimate_noise_sigma(pixels)
    h = params["h"] if params["h"] > 0 else max(3.0, 0.9 * sigma * 255.0)
    h_color = params["h_color"] if params["h_color"] > 0 else h
    out = cv2.fastNlMeansDenoisingColored(
        to_u8(pixels),
        None,
        h=float(h),
        hColor=float(h_color),
        templateWindowSize=int(params["template_window"]) | 1,
        searchWindowSize=int(params["search_window"]) | 1,
    )
    check_cancelled(cancel)
    progress(1, 1)
    meta = {"h_used": round(float(h), 3), "estimated_sigma_255": round(sigma * 255.0, 3)}
    return MethodOutput(from_u8(out), meta=meta)


def run_bilateral(pixels, params, *, progress, cancel, context) -> MethodOutput:
    import cv2

    progress(0, 1)
    sigma_color = params["sigma_color"]
    if sigma_color <= 0:
        sigma_color = max(0.02, 2.0 * estimate_noise_sigma(pixels))
    out = pixels
    for _ in range(int(params["passes"])):
        check_cancelled(cancel)
        out = cv2.bilateralFilter(
            out, int(params["diameter"]), float(sigma_color), float(params["sigma_space"])
        )
    progress(1, 1)
    return MethodOutput(out, meta={"sigma_color_used": round(float(sigma_color), 4)})


def run_jpeg_deblock(pixels, params, *, progress, cancel, context) -> MethodOutput:
    """Re-application of JPEG on shifted grids, averaged (Nosratinia, 2001).

    Each shift re-quantises the image on a grid whose block edges fall where
    the original blocks were flat, so averaging the shifted results removes the
    blocking while keeping detail the quantiser already kept.
    """
    import cv2

    quality = int(params["quality"])
    step = int(params["shift_step"])
    shifts = [(dy, dx) for dy in range(0, 8, step) for dx in range(0, 8, step)]
    src = np.ascontiguousarray(to_u8(pixels)[:, :, ::-1])  # OpenCV encodes BGR
    h, w = src.shape[:2]
    acc = np.zeros((h, w, 3), dtype=np.float64)
    for done, (dy, dx) in enumerate(shifts):
        check_cancelled(cancel)
        progress(done, len(shifts))
        padded = cv2.copyMakeBorder(src, dy, 8, dx, 8, cv2.BORDER_REFLECT)
        ok, data = cv2.imencode(".jpg", padded, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:
            raise RuntimeError("OpenCV could not encode a JPEG")
        decoded = cv2.imdecode(data, cv2.IMREAD_COLOR)
        acc += decoded[dy : dy + h, dx : dx + w].astype(np.float64)
    progress(len(shifts), len(shifts))
    out = (acc[:, :, ::-1] / len(shifts) / 255.0).astype(np.float32)
    return MethodOutput(out, meta={"shifts": len(shifts)})


NLMEANS = Method(
    name="nlmeans",
    kind="classical",
    title="Non-local means",
    description="OpenCV fast non-local means denoising (colour); h=0 estimates it from the noise.",
    targets="gaussian noise",
    params=(
        Param("h", "float", 0.0, "filter strength on the 0-255 scale (0 = auto)", 0.0, 100.0),
        Param("h_color", "float", 0.0, "colour strength (0 = same as h)", 0.0, 100.0),
        Param("template_window", "int", 7, "patch size (odd)", 3, 21),
        Param("search_window", "int", 21, "search window (odd)", 7, 51),
    ),
    run=run_nlmeans,
)

BILATERAL = Method(
    name="bilateral",
    kind="classical",
    title="Bilateral filter",
    description="Edge-preserving OpenCV bilateral filter on float pixels.",
    targets="mild gaussian noise",
    params=(
        Param("diameter", "int", 7, "neighbourhood diameter in pixels", 3, 31),
        Param("sigma_color", "float", 0.0, "range sigma in [0, 1] units (0 = auto)", 0.0, 1.0),
        Param("sigma_space", "float", 3.0, "spatial sigma in pixels", 0.5, 50.0),
        Param("passes", "int", 1, "how many times to apply it", 1, 5),
    ),
    run=run_bilateral,
)

JPEG_DEBLOCK = Method(
    name="jpeg_deblock",
    kind="classical",
    title="JPEG deblocking",
    description="Averaged re-application of JPEG on shifted grids (Nosratinia 2001).",
    targets="jpeg blocking",
    params=(
        Param("quality", "int", 20, "JPEG quality the image was compressed at", 1, 95),
        Param("shift_step", "int", 2, "grid shift step (1 = all 64 shifts)", 1, 4),
    ),
    run=run_jpeg_deblock,
)
