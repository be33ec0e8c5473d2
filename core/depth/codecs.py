"""Depth codecs by name: false-colour maps (Vision Banana, matplotlib-style) and raw depth.

``CODECS.get(name)(**params)`` builds a codec; every codec has
``decode_file(path, ...) -> DepthDecoding`` and ``encode(depth) -> array``.
Which codec a file gets is decided in one place, ``core.depth.pipeline``.
Colour codecs also decode pixels (``decode_rgb``). Depth is float32 metres,
``+inf`` at the far end of the path (sky) and NaN where masked.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.depth.colour_path import ColourPath, DecodeTable, mask_far
from core.depth.curves import make_curve
from core.depth.defaults import (
    COLORMAP_NAMES,
    DEFAULT_CORNERS,
    DEFAULT_LAMBDA,
    DEFAULT_MAX_PATH_DISTANCE,
    DEFAULT_RANGE_MODE,
    DEFAULT_SCALE,
)
from core.errors import IrisError
from core.pixels import to_uint8
from core.registry import Registry

CODECS: Registry = Registry("depth codec")
_TABLE_CACHE: OrderedDict[tuple, DecodeTable] = OrderedDict()
_TABLE_CACHE_SIZE = 2
_CACHE_LOCK = threading.Lock()


@dataclass
class DepthDecoding:
    """Decoded depth (metres, float32 (H, W)) and its per-pixel confidence, with the settings."""

    depth: np.ndarray
    confidence: np.ndarray | None  # RGB distance to the colour path; None for raw depth
    codec: str
    params: dict = field(default_factory=dict)

    def stats(self) -> dict:
        """min / median / max finite depth, masked and sky fractions (JSON-ready)."""
        depth = self.depth
        finite = depth[np.isfinite(depth)]
        total = max(depth.size, 1)
        return {
            "codec": self.codec,
            "width": int(depth.shape[1]),
            "height": int(depth.shape[0]),
            "min_m": float(finite.min()) if finite.size else None,
            "median_m": float(np.median(finite)) if finite.size else None,
            "max_m": float(finite.max()) if finite.size else None,
            "masked_fraction": float(np.isnan(depth).sum() / total),
            "sky_fraction": float(np.isposinf(depth).sum() / total),
        }


@lru_cache(maxsize=1)
def colormap_tables() -> dict[str, np.ndarray]:
    """The shipped 256-entry RGB tables (see resources/colormaps/NOTICE.md)."""
    path = Path(__file__).resolve().parents[2] / "resources" / "colormaps" / "colormaps.npz"
    with np.load(path) as data:
        return {name: data[name].astype(np.float32) for name in data.files}


def to_uint8_rgb(pixels: np.ndarray) -> np.ndarray:
    """(H, W, 3) uint8 from uint8 or float [0, 1] pixels (alpha dropped)."""
    if pixels.ndim == 2:
        pixels = np.repeat(pixels[..., None], 3, axis=2)
    pixels = pixels[..., :3]
    if pixels.dtype == np.uint8:
        return np.ascontiguousarray(pixels)
    return to_uint8(pixels)


def _median3(values: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.medianBlur(np.ascontiguousarray(values, dtype=np.float32), 3)


class ColourCodec:
    """Depth <-> 8-bit colours along a :class:`ColourPath`, through a depth curve."""

    kind = "colour"

    def __init__(
        self,
        name: str,
        path: ColourPath,
        curve,
        *,
        reverse: bool = False,
        discrete: bool = False,
        params: dict | None = None,
    ) -> None:
        self.name, self.path, self.curve = name, path, curve
        self.reverse, self.discrete = reverse, discrete
        self.params = dict(params or {})
        self.key = (name, tuple(sorted(self.params.items())))

    def f_to_depth(self, f: np.ndarray) -> np.ndarray:
        return self.curve.to_depth(1.0 - f if self.reverse else f).astype(np.float32)

    def depth_to_f(self, depth: np.ndarray) -> np.ndarray:
        f = self.curve.to_f(depth)
        return 1.0 - f if self.reverse else f

    def _table(self) -> DecodeTable:
        with _CACHE_LOCK:
            table = _TABLE_CACHE.pop(self.key, None) or DecodeTable(self.path, self.f_to_depth)
            _TABLE_CACHE[self.key] = table
            while len(_TABLE_CACHE) > _TABLE_CACHE_SIZE:
                _TABLE_CACHE.popitem(last=False)
            return table

    def encode(self, depth: np.ndarray) -> np.ndarray:
        """(H, W, 3) uint8 colours of ``depth`` (NaN encodes as the near end)."""
        f = self.depth_to_f(np.nan_to_num(np.asarray(depth, np.float64), nan=0.0))
        if self.discrete:  # like a 256-entry colour map: the nearest entry
            f = np.round(f * 255.0) / 255.0
        return to_uint8(self.path.colour_at(f))

    def decode_rgb(
        self,
        pixels: np.ndarray,
        *,
        max_path_distance: float | None = DEFAULT_MAX_PATH_DISTANCE,
        median: bool = False,
    ) -> DepthDecoding:
        """Depth of every pixel: table lookup, optional 3x3 median, then distance masking.

        Without the median the masking happens inside the fused, blocked lookup
        (:meth:`DecodeTable.decode`); the median needs the whole images first, so it
        masks after it, block by block.
        """
        if pixels.dtype != np.uint8:
            pixels = to_uint8_rgb(pixels)
        if not (pixels.ndim == 2 or (pixels.ndim == 3 and pixels.shape[2] >= 3)):
            raise IrisError(f"expected an (H, W, 3) uint8 image, got {pixels.dtype} {pixels.shape}")
        table = self._table()
        if not median:
            depth, distance = table.decode(pixels, max_path_distance)
        else:
            depth, distance = table.decode(pixels)
            depth, distance = _median3(depth), _median3(distance)
            if max_path_distance is not None:
                mask_far(depth, distance, max_path_distance)
        params = dict(self.params, max_path_distance=max_path_distance, median=median)
        return DepthDecoding(depth, distance, self.name, params)

    def decode_file(self, path: str | Path, **options) -> DepthDecoding:
        from core.imageio import load_image

        return self.decode_rgb(load_image(path).pixels, **options)


def vision_banana(
    curve_lambda: float = DEFAULT_LAMBDA,
    curve_scale: float = DEFAULT_SCALE,
    corners: str = DEFAULT_CORNERS,
    **_ignored,
) -> ColourCodec:
    """The Vision Banana codec: the power curve along the RGB-cube corners ``corners``."""
    corners = corners.upper()
    curve = make_curve("curve", curve_lambda=curve_lambda, curve_scale=curve_scale)
    params = {
        "curve_lambda": float(curve_lambda),
        "curve_scale": float(curve_scale),
        "corners": corners,
    }
    return ColourCodec("vision-banana", ColourPath.from_corners(corners), curve, params=params)


def colormap_codec(name: str):
    """A factory for the matplotlib-style map ``name`` with a range mode."""

    def build(
        range_mode: str = DEFAULT_RANGE_MODE,
        near: float | None = None,
        far: float | None = None,
        curve_lambda: float = DEFAULT_LAMBDA,
        curve_scale: float = DEFAULT_SCALE,
        reverse: bool = False,
        **_ignored,
    ) -> ColourCodec:
        curve = make_curve(
            range_mode, curve_lambda=curve_lambda, curve_scale=curve_scale, near=near, far=far
        )
        params = {"range_mode": range_mode, "reverse": bool(reverse)}
        if range_mode == "curve":
            params.update(curve_lambda=float(curve_lambda), curve_scale=float(curve_scale))
        else:
            params.update(near=float(near), far=float(far))
        path = ColourPath.from_table(colormap_tables()[name], name)
        return ColourCodec(name, path, curve, reverse=reverse, discrete=True, params=params)

    build.__doc__ = f"The {name} colour map, inverted by projection onto its polyline."
    return build


CODECS.register("vision-banana", vision_banana, kind="colour", label="Vision Banana (RGB cube)")
for _name in COLORMAP_NAMES:
    CODECS.register(_name, colormap_codec(_name), kind="colour", label=_name)
CODECS.register_lazy("png16", "core.depth.raw:Png16Codec", kind="raw", label="16-bit PNG (mm)")
CODECS.register_lazy("npy", "core.depth.raw:NpyCodec", kind="raw", label="NumPy .npy (m)")
CODECS.register_lazy("exr", "core.depth.raw:ExrCodec", kind="raw", label="OpenEXR (m)")


def make_codec(name: str, **params):
    """The codec called ``name`` built with ``params`` (unknown parameters are ignored)."""
    return CODECS.get(name)(**params)
