"""Compression: JPEG behind a resize chain, and web-style repeated re-encoding.

RealRestorer synthesises compression artifacts with JPEG plus resizing and
adds "web-style" processes; the re-encoding kind models an image that was
saved, shared, scaled and re-saved several times at varying qualities.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from core.degrade.base import Degradation, Param
from core.degrade.ops import jpeg, resize

SUBSAMPLING = {"4:4:4": 0, "4:2:2": 1, "4:2:0": 2}


def _jpeg(px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping) -> np.ndarray:
    height, width = px.shape[:2]
    scale = p["scale"]
    small = px if scale >= 1.0 else resize(px, round(width * scale), round(height * scale), "area")
    coded = jpeg(small, p["quality"], SUBSAMPLING[p["subsampling"]])
    return coded if scale >= 1.0 else resize(coded, width, height, "bicubic")


def _web(px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping) -> np.ndarray:
    height, width = px.shape[:2]
    low, high = sorted((p["quality_min"], p["quality_max"]))
    out = px
    for _round in range(p["rounds"]):
        quality = int(rng.integers(low, high + 1))
        scale = 1.0 - float(rng.uniform(0.0, p["resize_jitter"]))
        if scale < 1.0:
            out = resize(out, round(width * scale), round(height * scale), "area")
        out = jpeg(out, quality, 2)
        if scale < 1.0:
            out = resize(out, width, height, "bilinear")
    return out


JPEG = Degradation(
    name="jpeg",
    family="compression",
    title="JPEG (resize chain)",
    summary="Downscale, encode as JPEG, decode and scale back: blocking, ringing, lost detail.",
    params=(
        Param("quality", "int", "JPEG quality", levels=(60, 40, 25, 15, 8), minimum=1, maximum=100),
        Param(
            "scale",
            "float",
            "resize factor before encoding (1 = none)",
            levels=(1.0, 0.9, 0.8, 0.7, 0.6),
            minimum=0.1,
            maximum=1.0,
        ),
        Param(
            "subsampling",
            "choice",
            "chroma subsampling",
            default="4:2:0",
            choices=tuple(SUBSAMPLING),
        ),
    ),
    fn=_jpeg,
)

WEB_REENCODE = Degradation(
    name="web_reencode",
    family="compression",
    title="Web re-encoding",
    summary="Repeated save-share-resave: several JPEG rounds at random qualities and sizes.",
    params=(
        Param(
            "rounds",
            "int",
            "number of re-encodings",
            levels=(2, 3, 5, 7, 10),
            minimum=1,
            maximum=50,
        ),
        Param(
            "quality_min",
            "int",
            "lowest quality drawn",
            levels=(70, 55, 40, 30, 20),
            minimum=1,
            maximum=100,
        ),
        Param(
            "quality_max",
            "int",
            "highest quality drawn",
            levels=(90, 80, 70, 60, 50),
            minimum=1,
            maximum=100,
        ),
        Param(
            "resize_jitter",
            "float",
            "largest shrink per round (0.1 = down to 90%)",
            levels=(0.05, 0.1, 0.15, 0.2, 0.25),
            minimum=0.0,
            maximum=0.9,
        ),
    ),
    fn=_web,
)
