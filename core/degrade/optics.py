"""Optics: lens flare / glare from a bright source, and a reflection seen through glass."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from core.degrade.base import Degradation, DegradationError, Param
from core.degrade.ops import gaussian_blur, resize

WARM = np.array([1.0, 0.9, 0.72], np.float32)
GHOST_TINTS = np.array(
    [[0.4, 0.7, 1.0], [0.5, 1.0, 0.6], [1.0, 0.5, 0.9], [1.0, 0.8, 0.4]], np.float32
)


def flare_layer(height: int, width: int, rng: np.random.Generator, p: dict[str, Any]) -> np.ndarray:
    """The light a flare adds, (H, W, 3) >= 0: glow, star rays, ghosts along the optical axis."""
    diag = float(np.hypot(height, width))
    sx, sy = p["x"] * (width - 1), p["y"] * (height - 1)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    dx, dy = x - sx, y - sy
    r = np.sqrt(dx * dx + dy * dy) / diag
    size = p["size"]
    glow = np.exp(-((r / size) ** 2)) + 0.35 * np.exp(-r / (2.5 * size))
    angle = np.arctan2(dy, dx)
    rays = p["rays"]
    offset = rng.uniform(0, np.pi)
    star = np.abs(np.cos(rays / 2.0 * angle + offset)) ** 40 * np.exp(-r / (1.5 * size))
    light = (glow + 0.8 * star)[..., None] * WARM
    # ghosts: blurred discs on the line from the source through the image centre
    cx, cy = (width - 1) / 2.0, (height - 1) / 2.0
    for index in range(p["ghosts"]):
        t = rng.uniform(-1.2, 0.6)  # 1 = the source, 0 = the centre, < 0 beyond it
        gx, gy = cx + t * (sx - cx), cy + t * (sy - cy)
        radius = rng.uniform(0.015, 0.07) * diag
        dist = np.sqrt((x - gx) ** 2 + (y - gy) ** 2)
        disc = np.clip((radius - dist) / (0.25 * radius), 0.0, 1.0) * rng.uniform(0.08, 0.2)
        light += disc[..., None] * GHOST_TINTS[index % len(GHOST_TINTS)]
    return light


def _flare(px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping) -> np.ndarray:
    height, width = px.shape[:2]
    light = p["intensity"] * flare_layer(height, width, rng, p)
    veil = np.float32(0.06 * p["intensity"])  # veiling glare: contrast lost everywhere
    lifted = px * (1.0 - veil) + veil
    return 1.0 - (1.0 - lifted) * np.exp(-light)  # saturating, additive-like light


def reflection_source(
    px: np.ndarray, rng: np.random.Generator, spec: str, inputs: Mapping[str, Any]
) -> np.ndarray:
    """The reflected scene: ``inputs["reflection"]``, an image file, or the image mirrored."""
    height, width = px.shape[:2]
    layer = inputs.get("reflection")
    if layer is None and spec != "mirror":
        from core.errors import ImageLoadError
        from core.imageio import load_image

        try:
            layer = load_image(spec).pixels
        except ImageLoadError as exc:
            raise DegradationError(
                f"reflection: cannot use {spec!r} as the reflected image ({exc})"
            ) from exc
    if layer is None:
        shift = int(rng.integers(width // 5, max(width // 5 + 1, 4 * width // 5)))
        return np.roll(px[:, ::-1], shift, axis=1)
    layer = np.asarray(layer, np.float32)
    if layer.ndim != 3 or layer.shape[2] != 3:
        raise DegradationError(f"reflection: expected an (H, W, 3) image, got {layer.shape}")
    return resize(layer, width, height, "area") if layer.shape[:2] != (height, width) else layer


def _reflection(
    px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], inputs: Mapping
) -> np.ndarray:
    layer = gaussian_blur(reflection_source(px, rng, p["layer"], inputs), p["blur"])
    ghost = int(round(p["ghost"]))
    if ghost > 0:  # the glass's second surface reflects again, shifted
        layer = 0.65 * layer + 0.35 * np.roll(layer, (ghost, ghost), axis=(0, 1))
    alpha = np.float32(p["alpha"])
    return (1.0 - 0.5 * alpha) * px + alpha * layer


FLARE = Degradation(
    name="flare",
    family="flare",
    title="Flare / glare",
    summary="A bright source: glow, star rays, coloured ghosts on the optical axis, veiling glare.",
    params=(
        Param(
            "intensity",
            "float",
            "flare brightness",
            levels=(0.35, 0.55, 0.8, 1.1, 1.5),
            minimum=0.0,
            maximum=10.0,
        ),
        Param(
            "size",
            "float",
            "glow radius as a share of the image diagonal",
            levels=(0.06, 0.08, 0.1, 0.12, 0.15),
            minimum=0.005,
            maximum=1.0,
        ),
        Param(
            "x",
            "float",
            "source position, 0 = left, 1 = right",
            default=0.75,
            minimum=-0.5,
            maximum=1.5,
        ),
        Param(
            "y",
            "float",
            "source position, 0 = top, 1 = bottom",
            default=0.2,
            minimum=-0.5,
            maximum=1.5,
        ),
        Param("rays", "int", "number of star rays", default=6, minimum=0, maximum=32),
        Param("ghosts", "int", "number of ghost reflections", default=4, minimum=0, maximum=16),
    ),
    fn=_flare,
)

REFLECTION = Degradation(
    name="reflection",
    family="reflection",
    title="Reflection",
    summary="A second scene reflected in glass: blurred, ghosted and blended over the image.",
    params=(
        Param(
            "alpha",
            "float",
            "strength of the reflection",
            levels=(0.12, 0.2, 0.28, 0.36, 0.45),
            minimum=0.0,
            maximum=1.0,
        ),
        Param(
            "blur",
            "float",
            "defocus of the reflected scene (Gaussian sigma)",
            default=3.0,
            minimum=0.0,
            maximum=50.0,
            unit="px",
        ),
        Param(
            "ghost",
            "float",
            "offset of the second-surface ghost (0 = none)",
            default=5.0,
            minimum=0.0,
            maximum=100.0,
            unit="px",
        ),
        Param(
            "layer",
            "path",
            "'mirror' (the image itself, flipped) or an image file",
            default="mirror",
        ),
    ),
    fn=_reflection,
)
