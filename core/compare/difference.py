"""Difference maps of an image against a reference, and their colour mapping.

Errors are computed on values in [0, 1] per channel and averaged over the
three channels into one number per pixel. ``scale`` is a gain: the colour map
spans errors from 0 (or -1/scale) to 1/scale, so a larger scale shows smaller
errors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.compare.colormaps import colormap
from core.pixels import to_uint8
from core.registry import Registry

RELATIVE_EPSILON = 0.01


@dataclass(frozen=True)
class DiffMode:
    """One way to measure error: the per-pixel function and how to colour it."""

    name: str
    title: str
    fn: Callable[[np.ndarray, np.ndarray], np.ndarray]
    diverging: bool
    colormap: str


DIFF_MODES: Registry[DiffMode] = Registry("difference mode")


def _register(name: str, title: str, diverging: bool, cmap: str):
    def decorator(fn):
        DIFF_MODES.register(name, DiffMode(name, title, fn, diverging, cmap))
        return fn

    return decorator


@_register("absolute", "Absolute |a - r|", False, "inferno")
def absolute_error(a: np.ndarray, r: np.ndarray) -> np.ndarray:
    return np.abs(a - r).mean(axis=-1)


@_register("squared", "Squared (a - r)^2", False, "inferno")
def squared_error(a: np.ndarray, r: np.ndarray) -> np.ndarray:
    return np.square(a - r).mean(axis=-1)


@_register("relative", "Relative |a - r| / (r + 0.01)", False, "inferno")
def relative_error(a: np.ndarray, r: np.ndarray) -> np.ndarray:
    return (np.abs(a - r) / (np.abs(r) + RELATIVE_EPSILON)).mean(axis=-1)


@_register("signed", "Signed a - r", True, "coolwarm")
def signed_error(a: np.ndarray, r: np.ndarray) -> np.ndarray:
    return (a - r).mean(axis=-1)


def as_unit_float(pixels: np.ndarray) -> np.ndarray:
    """uint8 or float RGB as float32 in [0, 1]."""
    if pixels.dtype == np.uint8:
        return pixels.astype(np.float32) / np.float32(255.0)
    return pixels.astype(np.float32, copy=False)


def difference(image: np.ndarray, reference: np.ndarray, mode: str) -> np.ndarray:
    """The (H, W) error of ``image`` against ``reference`` (same shape) in ``mode``.

    Two uint8 images give float64 errors computed exactly from integer channel
    sums (so ties in the colour map fall the same way as in the view's fast
    path); anything else is computed in float32.
    """
    if image.shape != reference.shape:
        raise ValueError(f"shapes differ: {image.shape} vs reference {reference.shape}")
    fn = DIFF_MODES.get(mode).fn
    if image.dtype == np.uint8 and reference.dtype == np.uint8 and mode in _INTEGER_MODES:
        _, error_of = _INTEGER_MODES[mode]
        return error_of(_statistic(image, reference, mode).astype(np.float64))
    return fn(as_unit_float(image), as_unit_float(reference)).astype(np.float32)


def value_range(mode: str, scale: float) -> tuple[float, float]:
    """The error values at the two ends of the colour map."""
    top = 1.0 / scale
    return (-top, top) if DIFF_MODES.get(mode).diverging else (0.0, top)


def lut_indices(errors: np.ndarray, mode: str, scale: float) -> np.ndarray:
    """Colour-map entries (0..255, uint8) of ``errors``: 0 error is entry 0, or 127.5 if diverging."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    t = np.asarray(errors, dtype=np.float64) * scale
    if DIFF_MODES.get(mode).diverging:
        t = 0.5 + 0.5 * np.clip(t, -1.0, 1.0)
        # Zero lands between entries 127 and 128, which hold the same centre colour.
        return np.floor(t * 255.0 + 0.5).astype(np.uint8)
    return to_uint8(t)


def colorize(errors: np.ndarray, mode: str, scale: float) -> np.ndarray:
    """(H, W, 3) uint8 colours of an error map, using the mode's colour map."""
    return colormap(DIFF_MODES.get(mode).colormap)[lut_indices(errors, mode, scale)]


def difference_image(
    image: np.ndarray, reference: np.ndarray, mode: str, scale: float
) -> np.ndarray:
    """Error of ``image`` against ``reference`` as colours: the difference view's pixels."""
    return colorize(difference(image, reference, mode), mode, scale)


# -- 8-bit fast path: the view's per-frame error maps -------------------------------------

# mode: (range of the integer statistic over 3 channels, error of a statistic value)
_INTEGER_MODES = {
    "absolute": ((0, 765), lambda s: s / 765.0),
    "squared": ((0, 195075), lambda s: s / (3 * 255.0**2)),
    "signed": ((-765, 765), lambda s: s / 765.0),
}
_table_cache: dict[tuple[str, float], np.ndarray] = {}


def pack_colours(rgb: np.ndarray) -> np.ndarray:
    """(..., 3) uint8 colours as uint32 ``0xffRRGGBB`` (Qt's RGB32 pixels)."""
    rgb = rgb.astype(np.uint32)
    return (0xFF000000 | (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]).astype(np.uint32)


def _colour_table(mode: str, scale: float) -> np.ndarray:
    """Packed colours of every possible integer statistic of ``mode`` at ``scale``."""
    key = (mode, float(scale))
    table = _table_cache.get(key)
    if table is None:
        (low, high), error_of = _INTEGER_MODES[mode]
        errors = error_of(np.arange(low, high + 1, dtype=np.float64))
        table = pack_colours(colorize(errors, mode, scale))
        if len(_table_cache) > 16:
            _table_cache.clear()
        _table_cache[key] = table
    return table


def _statistic(image: np.ndarray, reference: np.ndarray, mode: str) -> np.ndarray:
    """Sum over channels of |d|, d^2 or d (d = image - reference), in integers."""
    wide = np.int32 if mode == "squared" else np.int16
    total = None
    for c in range(3):
        d = image[..., c].astype(wide)
        d -= reference[..., c]
        if mode == "absolute":
            np.abs(d, out=d)
        elif mode == "squared":
            np.multiply(d, d, out=d)
        if total is None:
            total = d
        else:
            total += d
    return total


def difference_xrgb32(
    image: np.ndarray, reference: np.ndarray, mode: str, scale: float
) -> np.ndarray:
    """The difference view's pixels of two uint8 RGB arrays, as (H, W) uint32 0xffRRGGBB.

    The error of a pixel is computed exactly from the integer channel sums (in
    float64, once per possible sum) before it is coloured, so a frame costs a
    few integer operations and one lookup per pixel. ``relative`` depends on
    the reference value and takes the float path.
    """
    if image.shape != reference.shape:
        raise ValueError(f"shapes differ: {image.shape} vs reference {reference.shape}")
    if mode not in _INTEGER_MODES:
        return pack_colours(difference_image(image, reference, mode, scale))
    (low, _high), _ = _INTEGER_MODES[mode]
    values = _statistic(image, reference, mode)
    if low:
        values -= low
    return _colour_table(mode, scale).take(values)


def difference_image_u8(
    image: np.ndarray, reference: np.ndarray, mode: str, scale: float
) -> np.ndarray:
    """:func:`difference_xrgb32` as (H, W, 3) uint8 RGB."""
    packed = difference_xrgb32(image, reference, mode, scale)
    return np.stack([(packed >> s) & 0xFF for s in (16, 8, 0)], axis=-1).astype(np.uint8)
