"""Digital zoom without sharpening is exactly the shrink-and-enlarge; sharpening adds halos."""

from __future__ import annotations

import numpy as np

from core.degrade.capture import DIGITAL_ZOOM, SURVEILLANCE
from core.degrade.ops import down_up, gaussian_blur


def _zoom(scene, **overrides):
    params = DIGITAL_ZOOM.resolve(3, overrides)
    return DIGITAL_ZOOM.apply(scene, np.random.default_rng(0), params)


def test_zero_sharpen_is_the_plain_down_up(scene):
    out = _zoom(scene, sharpen=0.0, upscaler="bilinear")
    expected = np.clip(down_up(scene, 3.0, "area", "bilinear"), 0.0, 1.0)
    np.testing.assert_array_equal(out, expected)


def test_sharpen_adds_the_unsharp_mask_of_the_enlarged_image(scene):
    plain = down_up(scene, 3.0, "area", "bicubic")
    expected = np.clip(plain + 2.0 * (plain - gaussian_blur(plain, 1.5)), 0.0, 1.0)
    np.testing.assert_allclose(_zoom(scene, sharpen=2.0), expected, atol=1e-6)

    # sharpening raises local contrast: mean neighbour differences grow
    def energy(img):
        return float(np.abs(np.diff(img, axis=1)).mean())

    assert energy(_zoom(scene, sharpen=2.0)) > energy(_zoom(scene, sharpen=0.0))


def test_factor_one_without_sharpen_keeps_the_image(scene):
    np.testing.assert_array_equal(_zoom(scene, factor=1.0, sharpen=0.0), scene)


def test_surveillance_is_deterministic_per_seed_and_full_size(scene):
    params = SURVEILLANCE.resolve(2)
    a = SURVEILLANCE.apply(scene, np.random.default_rng(3), params)
    b = SURVEILLANCE.apply(scene, np.random.default_rng(3), params)
    assert a.shape == scene.shape
    np.testing.assert_array_equal(a, b)
