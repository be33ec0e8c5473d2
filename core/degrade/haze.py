"""Haze: the atmospheric scattering model I = J t + A (1 - t), t = exp(-beta d), driven by depth.

Depth comes, in this order, from an array handed in as ``inputs["depth"]`` (for
example a map decoded in the Depth view), else from the ``depth`` parameter:
a file (``.npy`` in metres, or a 16-bit PNG/TIFF in millimetres, 0 = unknown)
or a fallback, ``flat`` (uniform haze) or ``gradient`` (far at the top, near at
the bottom, as in most landscape photos). Depth is made relative (divided by
its largest finite value) so ``beta`` means the same for any scene scale;
unknown or infinite depth (sky) counts as farthest.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from core.degrade.base import Degradation, DegradationError, Param
from core.degrade.ops import gaussian_blur, resize

DEPTH_FALLBACKS = ("gradient", "flat")


def load_depth_file(path: str | Path) -> np.ndarray:
    """Depth in metres from ``.npy`` (metres) or a 16-bit PNG/TIFF (millimetres); NaN = unknown."""
    path = Path(path)
    if not path.is_file():
        raise DegradationError(f"haze: depth file {path} does not exist")
    from core.errors import IrisError

    try:
        if path.suffix.lower() == ".npy":
            from core.depth.raw_headers import load_npy

            depth = load_npy(path).astype(np.float32)
        else:
            from core.imageio import load_native

            raw = load_native(path).values
            if raw.dtype != np.uint16:
                raise DegradationError(
                    f"haze: depth image {path} must be 16-bit (millimetres), got {raw.dtype}"
                )
            if raw.ndim == 3:
                raw = raw[..., 0]
            depth = raw.astype(np.float32) / 1000.0
            depth[raw == 0] = np.nan
    except DegradationError:
        raise
    except IrisError as exc:
        raise DegradationError(f"haze: cannot read depth file ({exc})") from exc
    if depth.ndim == 3 and depth.shape[2] == 1:
        depth = depth[..., 0]
    if depth.ndim != 2:
        raise DegradationError(f"haze: depth in {path} must be 2-D, got shape {depth.shape}")
    return depth


def relative_depth(depth: np.ndarray, height: int, width: int) -> np.ndarray:
    """``depth`` resized to the image and scaled to [0, 1]; unknown, infinite or <= 0 -> 1."""
    depth = np.asarray(depth, np.float32)
    if depth.ndim != 2:
        raise DegradationError(f"haze: depth must be a 2-D array, got shape {depth.shape}")
    valid = np.isfinite(depth) & (depth > 0)
    if not valid.any():
        return np.ones((height, width), np.float32)
    top = float(depth[valid].max())
    rel = np.where(valid, depth / top, 1.0).astype(np.float32)
    if rel.shape != (height, width):
        rel = resize(rel[..., None], width, height, "bilinear")[..., 0]
    return np.clip(rel, 0.0, 1.0)


def fallback_depth(name: str, height: int, width: int) -> np.ndarray:
    if name == "flat":
        return np.ones((height, width), np.float32)
    rows = np.linspace(1.0, 0.15, height, dtype=np.float32)  # far at the top, near at the bottom
    return np.repeat(rows[:, None], width, axis=1)


def depth_for(spec: str, inputs: Mapping[str, Any], height: int, width: int) -> np.ndarray:
    """The relative depth the haze will use (see the module docstring for the order)."""
    if inputs.get("depth") is not None:
        return relative_depth(inputs["depth"], height, width)
    if spec in DEPTH_FALLBACKS:
        return fallback_depth(spec, height, width)
    return relative_depth(load_depth_file(spec), height, width)


def _patches(height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """Smooth random field in [-1, 1] with blobs about a sixth of the image across.

    Drawn on a coarse grid and enlarged, which costs the same at any image size.
    """
    cells = 12
    rows = max(2, round(cells * height / max(height, width)))
    cols = max(2, round(cells * width / max(height, width)))
    coarse = gaussian_blur(rng.standard_normal((rows, cols), dtype=np.float32), 1.0)
    field = resize(coarse[..., None], width, height, "bicubic", clip=False)[..., 0]
    return field / max(float(np.abs(field).max()), 1e-6)


def _haze(
    px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], inputs: Mapping
) -> np.ndarray:
    height, width = px.shape[:2]
    depth = depth_for(p["depth"], inputs, height, width)
    beta = np.full((height, width), p["beta"], np.float32)
    if p["patchiness"] > 0:  # uneven fog: low-frequency variation of the density
        beta *= 1.0 + np.float32(p["patchiness"]) * _patches(height, width, rng)
    transmission = np.exp(-beta * depth)[..., None]
    return px * transmission + np.float32(p["airlight"]) * (1.0 - transmission)


HAZE = Degradation(
    name="haze",
    family="haze",
    title="Haze",
    summary="Atmospheric scattering: contrast fades towards a bright airlight with depth.",
    params=(
        Param(
            "beta",
            "float",
            "scattering coefficient (density) per unit relative depth",
            levels=(0.4, 0.8, 1.3, 1.9, 2.7),
            minimum=0.0,
            maximum=20.0,
        ),
        Param(
            "airlight",
            "float",
            "brightness of the scattered light",
            levels=(0.8, 0.82, 0.85, 0.88, 0.9),
            minimum=0.0,
            maximum=1.0,
        ),
        Param(
            "depth",
            "path",
            "'gradient', 'flat', or a depth file (.npy metres, 16-bit PNG mm)",
            default="gradient",
        ),
        Param(
            "patchiness",
            "float",
            "uneven density (0 = homogeneous fog)",
            default=0.15,
            minimum=0.0,
            maximum=0.9,
        ),
    ),
    fn=_haze,
)
