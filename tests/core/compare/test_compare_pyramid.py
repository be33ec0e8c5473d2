"""Pyramid levels average exactly and are chosen to be drawn near 1:1."""

from __future__ import annotations

import numpy as np

from core.compare.pyramid import (
    build_pyramid,
    choose_level,
    halve,
    load_pyramid,
    nbytes,
    rgb_view,
    to_rgb8,
)
from core.imageio import save_png


def test_halve_is_the_rounded_block_mean_and_handles_odd_sizes():
    level = np.array([[[0], [3], [9]], [[1], [4], [9]], [[7], [7], [100]]], np.uint8)
    level = np.repeat(level, 3, axis=2)
    out = halve(level)
    assert out.shape == (2, 2, 3)
    assert out[0, 0, 0] == 2  # (0 + 3 + 1 + 4) / 4 = 2
    assert out[0, 1, 0] == 9  # odd column averaged with itself
    assert out[1, 0, 0] == 7 and out[1, 1, 0] == 100


def test_pyramid_levels_and_memory():
    rgb = np.random.default_rng(0).integers(0, 256, (300, 500, 3), dtype=np.uint8)
    levels = build_pyramid(rgb, min_size=32)
    assert levels[0] is rgb
    assert [lv.shape[:2] for lv in levels] == [
        (300, 500),
        (150, 250),
        (75, 125),
        (38, 63),
        (19, 32),
    ]
    assert nbytes(levels) < rgb.nbytes * 4 / 3 + 1000


def test_choose_level():
    assert choose_level(4.0, 5) == 0
    assert choose_level(1.0, 5) == 0
    assert choose_level(0.8, 5) == 0
    assert choose_level(0.5, 5) == 1
    assert choose_level(0.3, 5) == 2  # level scale 1.2
    assert choose_level(0.001, 5) == 4


def test_load_pyramid_reads_8bit_exactly(tmp_path):
    rgb = np.random.default_rng(1).integers(0, 256, (40, 70, 3), dtype=np.uint8)
    save_png(tmp_path / "a.png", rgb / 255.0)
    levels = load_pyramid(str(tmp_path / "a.png"))
    assert levels[0].shape == (40, 70, 4)
    assert np.array_equal(rgb_view(levels[0]), rgb)
    assert np.all(levels[0][..., 3] == 255) and np.array_equal(levels[0][..., 0], rgb[..., 2])
    assert np.array_equal(rgb_view(levels[1]), halve(rgb))  # halving works on packed levels
    assert np.array_equal(load_pyramid(str(tmp_path / "a.png"), packed=False)[0], rgb)
    assert np.array_equal(to_rgb8(rgb / 255.0), rgb)
