"""Film grain of size 0 is unblurred white grain, weighted 0.35 at black/white and 1 at mid-grey."""

from __future__ import annotations

import numpy as np

from core.degrade.noise import FILM_GRAIN, film_grain, gaussian_noise


def test_size_zero_mono_grain_is_the_raw_normal_field_times_the_tone_weight():
    px = np.zeros((6, 8, 3), np.float32)
    px[:2] = 0.5  # mid-grey: weight 1
    px[2:4] = 1.0  # white: weight 0.35
    out = film_grain(px, np.random.default_rng(5), amount=0.1, size=0.0, color=0.0)
    field = np.random.default_rng(5).standard_normal((6, 8, 1), dtype=np.float32)
    np.testing.assert_allclose(out[:2] - 0.5, 0.1 * field[:2] * np.ones(3), atol=1e-6)
    np.testing.assert_allclose(out[2:4] - 1.0, 0.035 * field[2:4] * np.ones(3), atol=1e-6)
    np.testing.assert_allclose(out[4:], 0.035 * field[4:] * np.ones(3), atol=1e-6)
    # mono grain: the three channels move together
    np.testing.assert_array_equal(out[..., 0], out[..., 1])


def test_size_zero_colour_grain_mixes_a_per_channel_field():
    px = np.full((5, 5, 3), 0.5, np.float32)
    out = film_grain(px, np.random.default_rng(2), amount=0.2, size=0.0, color=0.5)
    rng = np.random.default_rng(2)
    mono = rng.standard_normal((5, 5, 1), dtype=np.float32)
    colour = rng.standard_normal((5, 5, 3), dtype=np.float32)
    np.testing.assert_allclose(out, 0.5 + 0.2 * (0.5 * mono + 0.5 * colour), atol=1e-6)
    assert not np.array_equal(out[..., 0], out[..., 1])


def test_blurred_grain_is_renormalised_to_unit_spread():
    px = np.full((64, 64, 3), 0.5, np.float32)
    out = film_grain(px, np.random.default_rng(0), amount=1.0, size=2.0, color=0.0)
    assert abs(float((out - 0.5).std()) - 1.0) < 1e-3


def test_film_grain_kind_uses_its_parameters(scene):
    params = FILM_GRAIN.resolve(2, {"size": 0.0, "color": 0.0})
    out = FILM_GRAIN.apply(scene, np.random.default_rng(4), params)
    raw = film_grain(scene, np.random.default_rng(4), params["amount"], 0.0, 0.0)
    np.testing.assert_array_equal(out, np.clip(raw, 0.0, 1.0))


def test_luma_gaussian_noise_is_one_value_for_all_channels():
    px = np.full((3, 4, 3), 0.5, np.float32)
    out = gaussian_noise(px, np.random.default_rng(1), 0.1, "luma")
    expected = 0.5 + 0.1 * np.random.default_rng(1).standard_normal((3, 4, 1), dtype=np.float32)
    np.testing.assert_allclose(out, np.broadcast_to(expected, px.shape), atol=1e-6)
