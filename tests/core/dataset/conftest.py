"""Generated datasets (noisy images beside their clean references) and a local Ray cluster."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from core.imageio import save_png

METRICS = ["psnr", "ssim"]  # weight-free: pyiqa computes them offline


def make_dataset(root: Path, n: int = 30, size: int = 48, seed: int = 0) -> tuple[Path, Path]:
    """``n`` noisy images in ``root/noisy`` (three sub-folders) and their clean references."""
    rng = np.random.default_rng(seed)
    noisy, clean = root / "noisy", root / "clean"
    for i in range(n):
        image = rng.random((size, size, 3)).astype(np.float32)
        rel = f"set{i % 3}/img{i:03d}.png"
        save_png(clean / rel, image)
        sigma = 0.02 + 0.01 * (i % 5)
        damaged = np.clip(image + sigma * rng.standard_normal(image.shape), 0, 1)
        save_png(noisy / rel, damaged.astype(np.float32))
    return noisy, clean


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> tuple[Path, Path]:
    return make_dataset(tmp_path_factory.mktemp("dataset"))


@pytest.fixture(scope="module")
def ray_cluster():
    """One local Ray (2 CPUs) for the module; shut down, leaving no non-daemon thread."""
    import ray

    before = {t.ident for t in threading.enumerate()}
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        object_store_memory=200 * 1024 * 1024,
    )
    yield ray
    ray.shutdown()
    left = [
        t.name
        for t in threading.enumerate()
        if t.ident not in before and t.is_alive() and not t.daemon
    ]
    assert not left, f"Ray left threads running after shutdown: {left}"
