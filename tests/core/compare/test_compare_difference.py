"""Difference modes, colour maps and the levels table are exact."""

from __future__ import annotations

import numpy as np
import pytest

from core.compare.colormaps import colormap, is_identity, levels_lut
from core.compare.difference import (
    DIFF_MODES,
    colorize,
    difference,
    difference_image,
    lut_indices,
    value_range,
)


def _images():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 256, (6, 5, 3), dtype=np.uint8)
    r = rng.integers(0, 256, (6, 5, 3), dtype=np.uint8)
    return a, r


@pytest.mark.parametrize("mode", DIFF_MODES.names())
def test_identical_images_have_zero_error(mode):
    a, _ = _images()
    assert np.all(difference(a, a.copy(), mode) == 0.0)
    zero_colour = colorize(np.zeros((1, 1), np.float32), mode, 1.0)[0, 0]
    assert np.all(difference_image(a, a.copy(), mode, 3.0) == zero_colour)


def test_known_maps():
    a, r = _images()
    fa, fr = a / 255.0, r / 255.0
    np.testing.assert_allclose(difference(a, r, "absolute"), np.abs(fa - fr).mean(-1), atol=1e-6)
    np.testing.assert_allclose(difference(a, r, "squared"), ((fa - fr) ** 2).mean(-1), atol=1e-6)
    np.testing.assert_allclose(
        difference(a, r, "relative"), (np.abs(fa - fr) / (fr + 0.01)).mean(-1), rtol=1e-5
    )
    np.testing.assert_allclose(difference(a, r, "signed"), (fa - fr).mean(-1), atol=1e-6)


def test_signed_error_uses_the_diverging_map_centred_on_white():
    lut = colormap("coolwarm")
    errors = np.array([[-1.0, -0.25, 0.0, 0.25, 1.0]], np.float32)
    idx = lut_indices(errors, "signed", 2.0)
    assert idx.tolist() == [[0, 64, 128, 191, 255]]
    colours = colorize(errors, "signed", 2.0)
    assert colours[0, 2].tolist() == [247, 247, 247]
    assert tuple(colours[0, 0]) == tuple(lut[0]) and tuple(colours[0, 4]) == tuple(lut[255])
    assert lut[127].tolist() == lut[128].tolist() == [247, 247, 247]
    assert colours[0, 0, 2] > colours[0, 0, 0]  # negative is blue, positive red
    assert colours[0, 4, 0] > colours[0, 4, 2]
    assert value_range("signed", 4.0) == (-0.25, 0.25)
    assert value_range("absolute", 4.0) == (0.0, 0.25)


def test_scale_is_a_gain_on_sequential_maps():
    errors = np.array([[0.0, 0.1, 0.2, 0.5]], np.float32)
    assert lut_indices(errors, "absolute", 1.0).tolist() == [[0, 26, 51, 128]]
    assert lut_indices(errors, "absolute", 5.0).tolist() == [[0, 128, 255, 255]]
    with pytest.raises(ValueError):
        lut_indices(errors, "absolute", 0.0)


def test_shapes_must_match():
    with pytest.raises(ValueError, match="shapes differ"):
        difference(np.zeros((2, 2, 3)), np.zeros((2, 3, 3)), "absolute")


def test_levels_lut():
    assert is_identity(levels_lut())
    doubled = levels_lut(exposure=1.0)
    assert doubled[10] == 20 and doubled[200] == 255
    stretched = levels_lut(black=0.2, white=0.6)
    assert stretched[51] == 0 and stretched[153] == 255
    assert stretched[102] == round((102 / 255 - 0.2) / 0.4 * 255)
    with pytest.raises(ValueError):
        levels_lut(black=0.5, white=0.5)


@pytest.mark.parametrize("mode", DIFF_MODES.names())
def test_the_8bit_fast_path_equals_the_definition(mode):
    from core.compare.difference import difference_image_u8

    rng = np.random.default_rng(9)
    a = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    r = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    for scale in (1.0, 3.0, 10.0):
        assert np.array_equal(
            difference_image_u8(a, r, mode, scale), difference_image(a, r, mode, scale)
        )
        # The same as the float definition up to how a tie between two entries falls.
        exact = lut_indices(difference(a, r, mode), mode, scale).astype(int)
        floats = lut_indices(difference(a / 255.0, r / 255.0, mode), mode, scale).astype(int)
        assert np.abs(exact - floats).max() <= 1
