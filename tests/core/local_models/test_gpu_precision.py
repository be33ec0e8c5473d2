"""On a GPU: bf16 and fp16 edits stay close to the fp32 edit of the same seed (tiny Kontext)."""

from __future__ import annotations

import numpy as np
import pytest

from core.methods.base import MethodContext
from core.methods.registry import get_method

PIXELS = np.random.default_rng(0).random((32, 48, 3)).astype(np.float32)


def _edit(folder, dtype: str) -> np.ndarray:
    values = {"model_dir": str(folder), "prompt": "Remove the noise.", "steps": 3, "seed": 5,
              "dtype": dtype}  # fmt: skip
    context = MethodContext(device="cuda:0")
    return get_method("diffusers")(
        PIXELS, values, progress=lambda d, n: None, cancel=None, context=context
    ).pixels


@pytest.mark.gpu
@pytest.mark.parametrize("dtype", ["bf16", "fp16"])
def test_half_precision_matches_fp32_on_the_same_seed(kontext_dir, dtype):
    reference = _edit(kontext_dir, "fp32")
    half = _edit(kontext_dir, dtype)
    assert half.shape == reference.shape == (32, 48, 3)
    assert np.isfinite(half).all()
    assert float(np.abs(half - reference).mean()) < 0.05
    assert np.array_equal(_edit(kontext_dir, dtype), half)  # reproducible on the GPU too
