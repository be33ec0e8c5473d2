"""A project with a few small distinct images to annotate."""

from __future__ import annotations

import numpy as np
import pytest


def add_images(project, count: int, seed: int = 0, **provenance):
    rng = np.random.default_rng(seed)
    return [
        project.add_image_array(
            rng.random((12, 16, 3)).astype(np.float32),
            name=f"img{i}",
            kind="imported",
            **provenance,
        )
        for i in range(count)
    ]


@pytest.fixture
def images(project):
    return add_images(project, 4)
