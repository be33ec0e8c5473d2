"""Old photographs: toned (sepia or grey), faded, grainy, scratched and dusty prints."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from core.degrade.base import Degradation, Param, luminance
from core.degrade.noise import film_grain
from core.degrade.ops import gaussian_blur

SEPIA = np.array([1.07, 0.86, 0.62], np.float32)


def _tone(px: np.ndarray, tone: str) -> np.ndarray:
    if tone == "color":
        return px
    gray = luminance(px)[..., None]
    return gray * SEPIA if tone == "sepia" else np.repeat(gray, 3, axis=2)


def _scratches(height: int, width: int, rng: np.random.Generator, count: int) -> np.ndarray:
    """Thin, mostly vertical, light and dark scratches plus dust specks; signed (H, W)."""
    import cv2  # lazy

    marks = np.zeros((height, width), np.float32)
    for _ in range(count):
        x = rng.uniform(0, width)
        y0, y1 = sorted(rng.uniform(0, height, 2))
        drift = rng.normal(0, width * 0.01)
        sign = 1.0 if rng.random() < 0.7 else -1.0
        cv2.line(
            marks,
            (int(x * 16), int(y0 * 16)),
            (int((x + drift) * 16), int(y1 * 16)),
            sign * float(rng.uniform(0.3, 0.8)),
            1,
            cv2.LINE_AA,
            4,
        )
    for _ in range(count * 6):
        centre = (int(rng.uniform(0, width)), int(rng.uniform(0, height)))
        sign = 1.0 if rng.random() < 0.5 else -1.0
        cv2.circle(
            marks,
            centre,
            int(rng.integers(0, 2)),
            sign * float(rng.uniform(0.3, 0.7)),
            -1,
            cv2.LINE_AA,
        )
    return marks


def _old_photo(
    px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping
) -> np.ndarray:
    height, width = px.shape[:2]
    out = _tone(px, p["tone"])
    out = gaussian_blur(out, p["softness"])
    fade = np.float32(p["fading"])  # contrast lost and blacks lifted towards yellowed paper
    paper = np.array([0.93, 0.88, 0.76], np.float32)
    out = out * (1.0 - fade) + fade * paper * 0.85
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    r2 = ((x - width / 2) / (width / 2)) ** 2 + ((y - height / 2) / (height / 2)) ** 2
    out = out * (1.0 - p["vignette"] * np.clip(r2 / 2.0, 0, 1))[..., None]
    out = film_grain(out, rng, p["grain"], 0.9, 0.0)
    marks = _scratches(height, width, rng, p["scratches"])
    return out + marks[..., None]


OLD_PHOTO = Degradation(
    name="old_photo",
    family="old_photo",
    title="Old photo",
    summary="A faded print: sepia or grey tone, softness, vignette, grain, scratches and dust.",
    params=(
        Param("tone", "choice", "print tone", default="sepia", choices=("sepia", "gray", "color")),
        Param(
            "fading",
            "float",
            "contrast lost to the paper colour",
            levels=(0.1, 0.18, 0.26, 0.34, 0.42),
            minimum=0.0,
            maximum=1.0,
        ),
        Param(
            "grain",
            "float",
            "film grain strength",
            levels=(0.02, 0.035, 0.05, 0.07, 0.09),
            minimum=0.0,
            maximum=1.0,
        ),
        Param(
            "scratches",
            "int",
            "number of scratches (dust specks: 6 per scratch)",
            levels=(1, 3, 5, 8, 12),
            minimum=0,
            maximum=500,
        ),
        Param(
            "softness",
            "float",
            "print blur (Gaussian sigma)",
            levels=(0.5, 0.7, 0.9, 1.1, 1.4),
            minimum=0.0,
            maximum=20.0,
            unit="px",
        ),
        Param(
            "vignette",
            "float",
            "darkening towards the corners",
            levels=(0.1, 0.15, 0.2, 0.25, 0.3),
            minimum=0.0,
            maximum=1.0,
        ),
    ),
    fn=_old_photo,
)
