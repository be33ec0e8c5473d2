"""A small deterministic test image with edges, texture, a gradient and dark and bright areas."""

from __future__ import annotations

import numpy as np
import pytest


def make_scene(size: int = 128) -> np.ndarray:
    rng = np.random.default_rng(1234)
    y, x = np.mgrid[0:size, 0:size].astype(np.float32) / size
    image = np.stack([0.2 + 0.6 * x, 0.3 + 0.4 * y, 0.7 - 0.5 * x * y], axis=-1)
    checks = (((x * 8).astype(int) + (y * 8).astype(int)) % 2).astype(np.float32)
    image[: size // 2, : size // 2] = (0.15 + 0.7 * checks[: size // 2, : size // 2])[..., None]
    image[size // 2 :, size // 2 :] += rng.normal(0, 0.08, (size - size // 2, size - size // 2, 3))
    image[size // 3 : size // 3 + 6, :] = (0.95, 0.9, 0.2)
    return np.clip(image, 0, 1).astype(np.float32)


@pytest.fixture(scope="session")
def scene() -> np.ndarray:
    return make_scene()


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(1.0 / mse)
