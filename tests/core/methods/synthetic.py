"""Synthetic test images built in the tests (no files from outside)."""

from __future__ import annotations

import numpy as np


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = float(np.mean((np.clip(a, 0, 1) - np.clip(b, 0, 1)) ** 2))
    return 10.0 * np.log10(1.0 / max(mse, 1e-12))


def scene(size: int = 128, seed: int = 0) -> np.ndarray:
    """Smooth gradients, flat coloured shapes and a few sharp edges: what restorers meet."""
    import cv2

    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    img = np.stack([0.2 + 0.6 * xx, 0.3 + 0.4 * yy, 0.5 + 0.3 * (1 - xx) * yy], axis=2)
    for _ in range(8):
        colour = tuple(float(c) for c in rng.uniform(0.05, 0.95, 3))
        centre = tuple(int(c) for c in rng.integers(0, size, 2))
        if rng.random() < 0.5:
            cv2.circle(img, centre, int(rng.integers(size // 12, size // 5)), colour, -1)
        else:
            corner = (
                centre[0] + int(rng.integers(8, size // 3)),
                centre[1] + int(rng.integers(8, size // 3)),
            )
            cv2.rectangle(img, centre, corner, colour, -1)
    return np.clip(img, 0, 1).astype(np.float32)


def colourful_scene(size: int = 128, seed: int = 0) -> np.ndarray:
    """Saturated patches (some channel near 0 everywhere), as the dark channel prior assumes."""
    rng = np.random.default_rng(seed)
    cells = 8
    palette = rng.uniform(0.0, 1.0, (cells, cells, 3)).astype(np.float32)
    idx = rng.integers(0, 3, (cells, cells))
    palette[np.arange(cells)[:, None], np.arange(cells)[None, :], idx] = 0.02
    block = size // cells
    return np.repeat(np.repeat(palette, block, axis=0), block, axis=1)
