"""Noise: additive Gaussian, signal-dependent Poisson-Gaussian (sensor shot + read noise), film grain."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from core.degrade.base import Degradation, Param
from core.degrade.ops import gaussian_blur


def gaussian_noise(px: np.ndarray, rng: np.random.Generator, sigma: float, mode: str) -> np.ndarray:
    """``px`` plus zero-mean Gaussian noise of ``sigma`` (in [0, 1] units), colour or luma only."""
    shape = px.shape if mode == "color" else px.shape[:2] + (1,)
    return px + rng.standard_normal(shape, dtype=np.float32) * np.float32(sigma)


def poisson_gaussian(
    px: np.ndarray, rng: np.random.Generator, peak: float, read_sigma: float
) -> np.ndarray:
    """Photon counts with ``peak`` photons at white (shot noise) plus Gaussian read noise."""
    photons = rng.poisson(np.clip(px, 0.0, 1.0).astype(np.float64) * peak)
    out = (photons / peak).astype(np.float32)
    return out + rng.standard_normal(px.shape, dtype=np.float32) * np.float32(read_sigma)


def _gaussian(
    px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping
) -> np.ndarray:
    return gaussian_noise(px, rng, p["sigma"] / 255.0, p["mode"])


def _poisson(px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping) -> np.ndarray:
    return poisson_gaussian(px, rng, p["peak"], p["read_sigma"] / 255.0)


def film_grain(
    px: np.ndarray, rng: np.random.Generator, amount: float, size: float, color: float
) -> np.ndarray:
    """Clumped grain, strongest in the mid-tones (silver grains saturate in black and white)."""
    height, width = px.shape[:2]

    def grain_field(channels: int) -> np.ndarray:
        field = rng.standard_normal((height, width, channels), dtype=np.float32)
        if size > 0:
            field = gaussian_blur(field, size)
            field /= max(float(field.std()), 1e-6)
        return field

    mono = grain_field(1)
    grain = mono if color <= 0 else (1 - color) * mono + color * grain_field(3)
    luma = px.mean(axis=2, keepdims=True)
    weight = 0.35 + 2.6 * luma * (1.0 - luma)  # 0.35 at the ends, 1 at mid-grey
    return px + np.float32(amount) * weight * grain


def _grain(px: np.ndarray, rng: np.random.Generator, p: dict[str, Any], _: Mapping) -> np.ndarray:
    return film_grain(px, rng, p["amount"], p["size"], p["color"])


GAUSSIAN_NOISE = Degradation(
    name="gaussian_noise",
    family="noise",
    title="Gaussian noise",
    summary="Additive white Gaussian noise, per colour channel or on luminance only.",
    params=(
        Param(
            "sigma",
            "float",
            "standard deviation in 8-bit levels",
            levels=(5, 10, 15, 25, 40),
            minimum=0.0,
            maximum=255.0,
            unit="/255",
        ),
        Param(
            "mode",
            "choice",
            "independent per channel, or one value for all three",
            default="color",
            choices=("color", "luma"),
        ),
    ),
    fn=_gaussian,
)

POISSON_GAUSSIAN_NOISE = Degradation(
    name="poisson_gaussian_noise",
    family="noise",
    title="Poisson-Gaussian noise",
    summary="Sensor noise: photon shot noise (stronger in highlights) plus Gaussian read noise.",
    params=(
        Param(
            "peak",
            "float",
            "photons collected at white (fewer = noisier)",
            levels=(400.0, 150.0, 60.0, 25.0, 10.0),
            minimum=0.5,
            maximum=1e6,
        ),
        Param(
            "read_sigma",
            "float",
            "read noise in 8-bit levels",
            levels=(1.0, 2.0, 3.0, 5.0, 8.0),
            minimum=0.0,
            maximum=255.0,
            unit="/255",
        ),
    ),
    fn=_poisson,
)

FILM_GRAIN = Degradation(
    name="film_grain",
    family="noise",
    title="Film grain",
    summary="Spatially clumped grain, strongest in the mid-tones, mostly monochrome.",
    params=(
        Param(
            "amount",
            "float",
            "grain strength",
            levels=(0.03, 0.05, 0.08, 0.11, 0.15),
            minimum=0.0,
            maximum=1.0,
        ),
        Param(
            "size",
            "float",
            "grain clump size (blur sigma)",
            levels=(0.6, 0.8, 1.0, 1.2, 1.5),
            minimum=0.0,
            maximum=10.0,
            unit="px",
        ),
        Param(
            "color",
            "float",
            "share of per-channel (colour) grain",
            default=0.2,
            minimum=0.0,
            maximum=1.0,
        ),
    ),
    fn=_grain,
)
