"""Low light with no shot noise (peak 0) is attenuation times a gamma, rounded to 8 bits."""

from __future__ import annotations

import numpy as np

from core.degrade.lowlight import LOW_LIGHT


def _dark(scene, seed=0, **overrides):
    params = LOW_LIGHT.resolve(3, overrides)
    return LOW_LIGHT.apply(scene, np.random.default_rng(seed), params)


def test_peak_zero_is_noise_free_and_matches_the_formula(scene):
    out = _dark(scene, peak=0.0, attenuation=0.5, gamma=2.0)
    expected = np.round(0.5 * scene.astype(np.float64) ** 2 * 255.0) / 255.0
    np.testing.assert_allclose(out, expected, atol=1e-6)
    # no random draw: another seed gives the same image
    np.testing.assert_array_equal(out, _dark(scene, seed=7, peak=0.0, attenuation=0.5, gamma=2.0))


def test_peak_zero_on_known_values():
    px = np.full((4, 4, 3), 0.8, np.float32)
    px[0, 0] = 0.0
    px[1, 1] = 1.0
    out = _dark(px, peak=0.0, attenuation=0.4, gamma=2.0)
    assert out[0, 0, 0] == 0.0
    assert out[1, 1, 0] == np.float32(102 / 255)  # 0.4 * 1 ** 2 = 102/255
    assert out[2, 2, 0] == np.float32(65 / 255)  # 0.4 * 0.8 ** 2 = 0.256 -> 65.28/255


def test_positive_peak_adds_seeded_noise(scene):
    a = _dark(scene, seed=1, peak=300.0)
    assert not np.array_equal(a, _dark(scene, seed=1, peak=0.0))
    assert not np.array_equal(a, _dark(scene, seed=2, peak=300.0))
    np.testing.assert_array_equal(a, _dark(scene, seed=1, peak=300.0))
