"""Normal maps decoded from RGB, pinned to colours worked by hand (docs/domain.md section 4).

R = (1 - x)/2, G = (1 + y)/2, B = (1 + z)/2 in camera space: the raw vector of a pixel is
(-(2R/255 - 1), 2G/255 - 1, 2B/255 - 1), valid when its length is 1 +- 0.35, then made unit.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from core.depth.normals import NormalDecoding, decode_normals, encode_normals


def unit(*raw):
    v = np.array(raw, float)
    return v / math.sqrt(float((v * v).sum()))


E = 1 / 255  # 128 is 127.5 + 0.5: a raw component of 1/255


@pytest.mark.parametrize(
    ("rgb", "normal"),
    [
        ((0, 128, 128), unit(1, E, E)),  # x stored flipped: R = 0 faces right
        ((255, 128, 128), unit(-1, E, E)),
        ((128, 255, 128), unit(-E, 1, E)),  # up: light green
        ((128, 0, 128), unit(-E, -1, E)),
        ((128, 128, 255), unit(-E, E, 1)),  # toward the camera: light blue
        ((128, 128, 0), unit(-E, E, -1)),
        ((218, 218, 128), unit(-181 * E, 181 * E, E)),  # 2 * 218 - 255 = 181 on x and y
    ],
)
def test_decode_by_hand(rgb, normal):
    decoded = decode_normals(np.array([[rgb]], np.uint8))
    assert decoded.valid.tolist() == [[True]] and decoded.valid.dtype == bool
    assert decoded.normals.shape == (1, 1, 3) and decoded.normals.dtype == np.float32
    np.testing.assert_allclose(decoded.normals[0, 0], normal, atol=1e-6)


@pytest.mark.parametrize(
    ("flips", "normal"),
    [
        ((False, False, False), unit(1, E, 181 * E)),
        ((True, False, False), unit(-1, E, 181 * E)),
        ((False, True, False), unit(1, -E, 181 * E)),
        ((False, False, True), unit(1, E, -181 * E)),
        ((True, True, True), unit(-1, -E, -181 * E)),
    ],
)
def test_decode_flips_each_axis(flips, normal):
    decoded = decode_normals(np.array([[[255, 128, 218]]], np.uint8), flips=flips)
    np.testing.assert_allclose(decoded.normals[0, 0], normal, atol=1e-6)


@pytest.mark.parametrize(
    ("rgb", "valid"),
    [
        ((128, 128, 211), True),  # raw length sqrt(167^2 + 2) / 255 = 0.6549: 0.3451 short
        ((128, 128, 210), False),  # sqrt(165^2 + 2) / 255 = 0.6471: 0.3529 short
        ((128, 243, 255), True),  # sqrt(255^2 + 231^2 + 1) / 255 = 1.3493
        ((128, 244, 255), False),  # sqrt(255^2 + 233^2 + 1) / 255 = 1.3546
        ((128, 128, 128), False),  # grey: raw length 0.0068
        ((0, 0, 0), False),  # black and white: sqrt(3)
        ((255, 255, 255), False),
    ],
)
def test_default_length_tolerance_is_0_35(rgb, valid):
    decoded = decode_normals(np.array([[rgb]], np.uint8))
    assert decoded.valid[0, 0] == valid
    assert np.isnan(decoded.normals[0, 0]).all() != valid  # all three NaN when invalid


def test_length_tolerance_is_a_parameter():
    pixels = np.array([[[128, 128, 210], [128, 128, 255]]], np.uint8)
    assert decode_normals(pixels, length_tolerance=0.36).valid.tolist() == [[True, True]]
    # (128, 128, 255) has raw length sqrt(255^2 + 2) / 255, 1.5e-5 over 1
    assert decode_normals(pixels, length_tolerance=1e-4).valid.tolist() == [[False, True]]
    assert decode_normals(pixels, length_tolerance=1e-6).valid.tolist() == [[False, False]]


def test_decode_other_pixel_layouts():
    rgba = np.array([[[0, 128, 128, 0], [128, 128, 255, 255]]], np.uint8)  # alpha is dropped
    decoded = decode_normals(rgba)
    assert decoded.valid.tolist() == [[True, True]]
    np.testing.assert_allclose(decoded.normals[0, 0], unit(1, E, E), atol=1e-6)
    floats = np.array([[[0.5, 128 / 255, 1.0]]])  # float pixels: rounded to 8 bits (0.5 -> 128)
    np.testing.assert_allclose(decode_normals(floats).normals[0, 0], unit(-E, E, 1), atol=1e-6)
    grey = decode_normals(np.full((2, 3), 255, np.uint8))
    assert grey.valid.shape == (2, 3) and not grey.valid.any()


def test_encode_by_hand_and_dtype():
    normals = [[[0.6, 0.0, 0.8], [0.0, -0.6, 0.8]]]  # a list of floats is accepted
    # R = (1 - 0.6)/2 * 255 = 51, B = (1 + 0.8)/2 * 255 = 229.5 -> 230 (half to even)
    colours = encode_normals(normals)
    assert colours.dtype == np.uint8 and colours.shape == (1, 2, 3)
    assert colours.tolist() == [[[51, 128, 230], [128, 51, 230]]]
    floats = encode_normals(np.array(normals, np.float32), flips=(False, False, False))
    assert floats.tolist() == [[[204, 128, 230], [128, 51, 230]]]  # (1 + 0.6)/2 * 255 = 204


def test_stats_types_and_lengths():
    normals = np.array([[[0, 0, 1], [0, 0.6, 0.8]], [[np.nan] * 3, [1, 0, 0]]], np.float32)
    valid = np.array([[True, True], [False, True]])
    stats = NormalDecoding(normals, valid).stats()
    assert set(stats) == {"width", "height", "valid_fraction", "mean", "median"}
    assert type(stats["width"]) is int and type(stats["height"]) is int
    assert (stats["width"], stats["height"]) == (2, 2)
    assert type(stats["valid_fraction"]) is float and stats["valid_fraction"] == 0.75
    assert stats["mean"] == pytest.approx([1 / 3, 0.2, 0.6])
    assert stats["median"] == pytest.approx([0.0, 0.0, 0.8])
    assert all(type(v) is float for v in stats["mean"] + stats["median"])
    empty = NormalDecoding(normals, np.zeros((2, 2), bool)).stats()
    assert len(empty["mean"]) == 3 and len(empty["median"]) == 3
    assert all(math.isnan(v) for v in empty["mean"] + empty["median"])
    tall = NormalDecoding(np.zeros((3, 1, 3), np.float32), np.ones((3, 1), bool)).stats()
    assert (tall["width"], tall["height"], tall["valid_fraction"]) == (1, 3, 1.0)


def test_tolerance_boundary_is_inclusive_in_float32():
    # White: raw (-1, 1, 1) exactly, length sqrt(3) rounded to float32 (the normals' dtype),
    # 0.73205078 - 1e-8 below the real sqrt(3): a tolerance of exactly that gap accepts it
    gap = float(np.float32(np.sqrt(np.float32(3.0))) - np.float32(1.0))
    white = np.full((1, 1, 3), 255, np.uint8)
    decoded = decode_normals(white, length_tolerance=gap)
    assert decoded.valid[0, 0]
    np.testing.assert_allclose(decoded.normals[0, 0], unit(-1, 1, 1), atol=1e-7)
    below = float(np.nextafter(np.float32(gap), np.float32(0)))  # one float32 step less
    assert not decode_normals(white, length_tolerance=below).valid[0, 0]


def test_stats_of_nothing_valid_do_not_warn():
    decoding = NormalDecoding(np.full((2, 2, 3), np.nan, np.float32), np.zeros((2, 2), bool))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no "mean of empty slice"
        stats = decoding.stats()
    assert stats["valid_fraction"] == 0.0 and len(stats["mean"]) == 3


def test_encode_reads_normals_as_float64():
    # the largest y with (1 + y) / 2 * 255 exactly 128.5 in float64: half to even gives
    # G = 128. A quarter float64 step above it, in extended precision, lies above 128.5
    # (129 if computed there); read as float64 it is y again.
    y = 2 * 128.5 / 255 - 1
    while (float(np.nextafter(y, 1.0)) + 1.0) / 2.0 * 255 == 128.5:
        y = float(np.nextafter(y, 1.0))
    assert (y + 1.0) / 2.0 * 255 == 128.5
    extended = np.longdouble(y) + np.longdouble(np.spacing(y)) / 4
    assert np.float64(extended) == y
    if np.finfo(np.longdouble).eps < np.finfo(np.float64).eps:  # x86: 80-bit long double
        assert (extended + 1) / 2 * 255 > np.longdouble(128.5)
    normals = np.array([[[0.0, 0.0, 0.0]]], np.longdouble)
    normals[0, 0, 1] = extended
    assert encode_normals(normals)[0, 0].tolist() == [128, 128, 128]
