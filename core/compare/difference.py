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
    """The (H, W) float32 error of ``image`` against ``reference`` (same shape) in ``mode``."""
    if image.shape != reference.shape:
        raise ValueError(f"shapes differ: {image.shape} vs reference {reference.shape}")
    fn = DIFF_MODES.get(mode).fn
    return fn(as_unit_float(image), as_unit_float(reference)).astype(np.float32)


def value_range(mode: str, scale: float) -> tuple[float, float]:
    """The error values at the two ends of the colour map."""
    top = 1.0 / scale
    return (-top, top) if DIFF_MODES.get(mode).diverging else (0.0, top)


def lut_indices(errors: np.ndarray, mode: str, scale: float) -> np.ndarray:
    """Colour-map entries (0..255, uint8) of ``errors``: 0 error is entry 0, or 127.5 if diverging."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    t = errors * np.float32(scale)
    if DIFF_MODES.get(mode).diverging:
        t = 0.5 + 0.5 * np.clip(t, -1.0, 1.0)
        # Zero lands between entries 127 and 128, which hold the same centre colour.
        return np.floor(t * 255.0 + 0.5).astype(np.uint8)
    return np.round(np.clip(t, 0.0, 1.0) * 255.0).astype(np.uint8)


def colorize(errors: np.ndarray, mode: str, scale: float) -> np.ndarray:
    """(H, W, 3) uint8 colours of an error map, using the mode's colour map."""
    return colormap(DIFF_MODES.get(mode).colormap)[lut_indices(errors, mode, scale)]


def difference_image(
    image: np.ndarray, reference: np.ndarray, mode: str, scale: float
) -> np.ndarray:
    """Error of ``image`` against ``reference`` as colours: the difference view's pixels."""
    return colorize(difference(image, reference, mode), mode, scale)
