"""Web re-encoding without resize jitter is JPEG rounds at drawn qualities; swapped bounds sort."""

from __future__ import annotations

import numpy as np

from core.degrade.compression import JPEG, WEB_REENCODE
from core.degrade.ops import jpeg, resize


def _web(scene, seed, **overrides):
    params = WEB_REENCODE.resolve(3, overrides)
    return WEB_REENCODE.apply(scene, np.random.default_rng(seed), params)


def test_no_jitter_one_round_at_a_fixed_quality_is_one_jpeg(scene):
    out = _web(scene, 0, rounds=1, quality_min=35, quality_max=35, resize_jitter=0.0)
    np.testing.assert_array_equal(out, jpeg(scene, 35, 2))


def test_swapped_quality_bounds_are_sorted_and_rounds_chain(scene):
    out = _web(scene, 9, rounds=3, quality_min=80, quality_max=20, resize_jitter=0.0)
    rng = np.random.default_rng(9)  # replay the draws: quality in [20, 80], then the jitter
    expected = scene
    for _ in range(3):
        quality = int(rng.integers(20, 81))
        assert 20 <= quality <= 80
        assert float(rng.uniform(0.0, 0.0)) == 0.0
        expected = jpeg(expected, quality, 2)
    np.testing.assert_array_equal(out, expected)


def test_jitter_shrinks_then_restores_the_size(scene):
    out = _web(scene, 4, rounds=1, quality_min=90, quality_max=90, resize_jitter=0.5)
    rng = np.random.default_rng(4)
    rng.integers(90, 91)
    scale = 1.0 - float(rng.uniform(0.0, 0.5))
    assert scale < 1.0
    h, w = scene.shape[:2]
    small = resize(scene, round(w * scale), round(h * scale), "area")
    expected = resize(jpeg(small, 90, 2), w, h, "bilinear")
    assert out.shape == scene.shape
    np.testing.assert_array_equal(out, expected)


def test_jpeg_scale_one_skips_the_resize_and_uses_the_subsampling(scene):
    params = JPEG.resolve(1, {"quality": 30, "scale": 1.0, "subsampling": "4:4:4"})
    out = JPEG.apply(scene, np.random.default_rng(0), params)
    np.testing.assert_array_equal(out, jpeg(scene, 30, 0))
    assert not np.array_equal(out, jpeg(scene, 30, 2))
