"""Reflection layers: a given array (resized if needed), an image file, or the mirror; bad ones named."""

from __future__ import annotations

import numpy as np
import pytest

from core.degrade.base import DegradationError
from core.degrade.ops import gaussian_blur, resize
from core.degrade.optics import FLARE, REFLECTION, flare_layer, reflection_source
from core.errors import ImageLoadError
from core.imageio import load_image, save_png


def _reflect(scene, inputs=None, seed=0, **overrides):
    params = REFLECTION.resolve(3, overrides)
    return REFLECTION.apply(scene, np.random.default_rng(seed), params, inputs)


def test_a_same_size_layer_is_blended_as_given(scene):
    layer = np.full_like(scene, 0.4)
    out = _reflect(scene, {"reflection": layer}, alpha=0.3, blur=0.0, ghost=0.0)
    np.testing.assert_allclose(out, np.clip(0.85 * scene + 0.3 * 0.4, 0, 1), atol=1e-6)
    assert reflection_source(scene, np.random.default_rng(0), "mirror", {"reflection": layer}) is (
        layer
    )


def test_a_layer_of_another_size_is_resized_to_the_image(scene):
    layer = scene[::2, ::3].copy()  # 64 x 43
    got = reflection_source(scene, np.random.default_rng(0), "mirror", {"reflection": layer})
    assert got.shape == scene.shape
    np.testing.assert_array_equal(got, resize(layer, 128, 128, "area"))


@pytest.mark.parametrize("shape", [(16, 16), (16, 16, 4), (16, 16, 1)])
def test_a_layer_that_is_not_rgb_is_refused_with_its_shape(scene, shape):
    with pytest.raises(DegradationError, match=r"expected an \(H, W, 3\) image, got") as info:
        _reflect(scene, {"reflection": np.zeros(shape, np.float32)})
    assert str(shape) in str(info.value)


def test_an_image_file_is_loaded_as_the_layer(tmp_path, scene):
    other = np.ascontiguousarray(scene[:, ::-1][::-1])
    path = tmp_path / "glass.png"
    save_png(path, other)
    out = _reflect(scene, layer=str(path), alpha=0.2, blur=1.0, ghost=0.0)
    layer = gaussian_blur(load_image(path).pixels, 1.0)
    np.testing.assert_allclose(out, np.clip(0.9 * scene + 0.2 * layer, 0, 1), atol=1e-6)


def test_a_missing_or_broken_file_is_refused_naming_it(tmp_path, scene):
    missing = str(tmp_path / "nope.png")
    with pytest.raises(DegradationError, match="cannot use .*nope.png.* as the reflected") as info:
        _reflect(scene, layer=missing)
    assert isinstance(info.value.__cause__, ImageLoadError)
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"not a png at all")
    with pytest.raises(DegradationError, match="broken.png"):
        _reflect(scene, layer=str(broken))


def test_ghost_zero_has_no_second_surface_and_positive_ghost_adds_it(scene):
    layer = np.zeros_like(scene)
    layer[10, 10] = 1.0
    no_ghost = _reflect(np.zeros_like(scene), {"reflection": layer}, alpha=1.0, blur=0.0, ghost=0)
    assert no_ghost[10, 10, 0] == 1.0 and np.count_nonzero(no_ghost[..., 0]) == 1
    ghosted = _reflect(np.zeros_like(scene), {"reflection": layer}, alpha=1.0, blur=0.0, ghost=3)
    assert ghosted[10, 10, 0] == pytest.approx(0.65)
    assert ghosted[13, 13, 0] == pytest.approx(0.35)
    assert np.count_nonzero(ghosted[..., 0]) == 2


def test_mirror_layer_is_the_flipped_image_rolled(scene):
    got = reflection_source(scene, np.random.default_rng(6), "mirror", {})
    shift = int(np.random.default_rng(6).integers(128 // 5, 4 * 128 // 5))
    np.testing.assert_array_equal(got, np.roll(scene[:, ::-1], shift, axis=1))


def test_flare_without_ghosts_or_rays_is_a_radial_glow():
    params = FLARE.resolve(3, {"ghosts": 0, "rays": 0, "x": 0.5, "y": 0.5})
    light = flare_layer(33, 33, np.random.default_rng(0), params)
    assert light.shape == (33, 33, 3)
    assert np.unravel_index(np.argmax(light[..., 0]), (33, 33)) == (16, 16)
    np.testing.assert_allclose(light[16, 0], light[16, 32], rtol=1e-5)  # symmetric
    np.testing.assert_allclose(light[0, 16], light[32, 16], rtol=1e-5)
