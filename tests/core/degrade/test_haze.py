"""Haze follows depth: denser where the scene is farther, from an array, a file or a fallback."""

from __future__ import annotations

import numpy as np
import pytest

from core.degrade import DegradationError, Recipe, apply_recipe
from core.imageio import encode_png

AIRLIGHT = 0.85


def _haze_distance(out: np.ndarray) -> np.ndarray:
    """How far each pixel still is from the airlight (0 = fully hazed)."""
    return np.abs(out - AIRLIGHT).mean(axis=2)


def _recipe(**params) -> Recipe:
    return Recipe.single("haze", 3, airlight=AIRLIGHT, patchiness=0.0, **params)


@pytest.fixture
def dark() -> np.ndarray:
    return np.full((32, 64, 3), 0.1, np.float32)


def _two_depths() -> np.ndarray:
    depth = np.full((32, 64), 2.0, np.float32)
    depth[:, 32:] = 20.0  # right half ten times farther
    return depth


def test_haze_is_denser_where_depth_is_larger(dark):
    out = apply_recipe(dark, _recipe(), 0, inputs={"depth": _two_depths()})
    near, far = _haze_distance(out)[:, :32], _haze_distance(out)[:, 32:]
    assert far.mean() < 0.5 * near.mean()
    assert np.allclose(out[:, :32], out[0, 0], atol=1e-6)  # homogeneous without patchiness


def test_depth_is_relative_and_resized_sky_counts_as_far(dark):
    depth = np.array([[1.0, np.inf], [0.0, 4.0]], np.float32)  # 2x2, resized to the image
    out = apply_recipe(dark, _recipe(), 0, inputs={"depth": depth})
    dist = _haze_distance(out)
    assert dist[0, 0] > dist[-1, -1]  # near (1 m) keeps more contrast than far (4 m)
    assert dist[0, -1] < dist[0, 0]  # infinite depth: as hazy as the farthest


def test_depth_files_npy_metres_and_png_millimetres_match_the_array(dark, tmp_path):
    depth = _two_depths()
    np.save(tmp_path / "depth.npy", depth)
    millimetres = np.round(depth * 1000).astype(np.uint16)
    (tmp_path / "depth.png").write_bytes(encode_png(millimetres.astype(np.float32) / 65535, 16))
    from_array = apply_recipe(dark, _recipe(), 0, inputs={"depth": depth})
    from_npy = apply_recipe(dark, _recipe(depth=str(tmp_path / "depth.npy")), 0)
    from_png = apply_recipe(dark, _recipe(depth=str(tmp_path / "depth.png")), 0)
    assert np.array_equal(from_array, from_npy)
    assert np.allclose(from_array, from_png, atol=1e-5)


def test_fallbacks_flat_is_uniform_and_gradient_is_far_at_the_top(dark):
    flat = apply_recipe(dark, _recipe(depth="flat"), 0)
    assert np.ptp(flat) < 1e-6
    gradient = _haze_distance(apply_recipe(dark, _recipe(depth="gradient"), 0))
    rows = gradient.mean(axis=1)
    assert np.all(np.diff(rows) > 0)  # hazier (closer to the airlight) towards the top


def test_missing_or_bad_depth_files_are_reported(dark, tmp_path):
    with pytest.raises(DegradationError, match="does not exist"):
        apply_recipe(dark, _recipe(depth=str(tmp_path / "nope.npy")), 0)
    (tmp_path / "eight.png").write_bytes(encode_png(np.zeros((4, 4)), 8))
    with pytest.raises(DegradationError, match="must be 16-bit"):
        apply_recipe(dark, _recipe(depth=str(tmp_path / "eight.png")), 0)


def test_patchiness_varies_density_reproducibly(dark):
    recipe = Recipe.single("haze", 3, depth="flat", patchiness=0.5)
    a = apply_recipe(dark, recipe, 4)
    assert np.ptp(a) > 0.01
    assert np.array_equal(a, apply_recipe(dark, recipe, 4))
