"""Surface normals against the Vision Banana convention (seed 004), worked by hand:
R = (1 - x)/2, G = (1 + y)/2, B = (1 + z)/2 in camera space (+x right, +y up, +z to camera)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.depth.normals import DEFAULT_FLIPS, NormalDecoding, decode_normals, encode_normals


def test_encode_by_hand():
    normals = np.array([[[0, 0, 1], [1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0]]], float)
    # 127.5 rounds to 128 (half to even); facing left is pinkish red, up light green
    expected = [[128, 128, 255], [0, 128, 128], [255, 128, 128], [128, 255, 128], [128, 0, 128]]
    assert encode_normals(normals)[0].tolist() == expected
    assert encode_normals(normals).dtype == np.uint8
    assert DEFAULT_FLIPS == (True, False, False)


def test_encode_with_other_flips_and_clipping():
    n = np.array([[[1.0, 1.0, -1.0], [2.0, -3.0, 0.0]]])
    assert encode_normals(n, flips=(False, True, True))[0].tolist() == [
        [255, 0, 255],
        [255, 255, 128],
    ]


def test_decode_by_hand():
    pixels = np.array([[[128, 128, 255], [255, 128, 128], [0, 0, 0], [255, 255, 255]]], np.uint8)
    decoded = decode_normals(pixels)
    # (128, 128, 255): raw (2 * 128/255 - 1) = 1/255 per channel, x negated, then unit length
    e = 1 / 255
    length = math.sqrt(2 * e * e + 1)
    np.testing.assert_allclose(
        decoded.normals[0, 0], [-e / length, e / length, 1 / length], atol=1e-6
    )
    np.testing.assert_allclose(
        decoded.normals[0, 1], [-1, e, e] / np.sqrt(1 + 2 * e * e), atol=1e-6
    )
    assert decoded.valid[0].tolist() == [True, True, False, False]  # black, white: length sqrt 3
    assert np.isnan(decoded.normals[0, 2]).all() and np.isnan(decoded.normals[0, 3]).all()
    assert decoded.normals.dtype == np.float32


def test_decode_with_no_flip_reads_x_straight():
    decoded = decode_normals(np.array([[[255, 128, 128]]], np.uint8), flips=(False, False, False))
    assert decoded.normals[0, 0, 0] > 0.99


def test_length_tolerance_is_inclusive():
    pixel = np.array([[[64, 128, 128]]], np.uint8)  # x = -(2 * 64/255 - 1) = 127/255
    raw = np.array([127, 1, 1]) / 255
    length = float(np.sqrt((raw**2).sum()))
    gap = abs(length - 1.0)
    assert decode_normals(pixel, length_tolerance=gap + 1e-6).valid[0, 0]
    assert not decode_normals(pixel, length_tolerance=gap - 1e-3).valid[0, 0]
    assert not decode_normals(pixel).valid[0, 0]  # about 0.5 long: outside the default 0.35


def test_float_and_grey_pixels_are_accepted():
    floats = np.array([[[0.5, 0.5, 1.0]]], np.float32)
    assert decode_normals(floats).valid[0, 0]
    grey = np.full((2, 2), 128, np.uint8)
    assert not decode_normals(grey).valid.any()


def test_round_trip_of_unit_normals():
    rng = np.random.default_rng(2)
    n = rng.normal(size=(30, 30, 3))
    n[..., 2] = np.abs(n[..., 2])
    n /= np.linalg.norm(n, axis=2, keepdims=True)
    decoded = decode_normals(encode_normals(n))
    assert decoded.valid.all()
    angle = np.degrees(np.arccos(np.clip((decoded.normals * n).sum(axis=2), -1, 1)))
    assert angle.max() < 1.0  # 8-bit rounding


def test_stats():
    normals = np.array([[[0, 0, 1], [0, 0.6, 0.8], [np.nan] * 3]], np.float32)
    valid = np.array([[True, True, False]])
    stats = NormalDecoding(normals, valid).stats()
    assert (stats["width"], stats["height"]) == (3, 1)
    assert stats["valid_fraction"] == pytest.approx(2 / 3)
    assert stats["mean"] == pytest.approx([0.0, 0.3, 0.9])
    assert stats["median"] == pytest.approx([0.0, 0.3, 0.9])
    none = NormalDecoding(np.full((1, 2, 3), np.nan, np.float32), np.zeros((1, 2), bool)).stats()
    assert none["valid_fraction"] == 0.0
    assert all(math.isnan(v) for v in none["mean"] + none["median"])
    three = NormalDecoding(
        np.array([[[0, 0, 1], [0, 0, 1], [1, 0, 0]]], np.float32), np.ones((1, 3), bool)
    ).stats()
    assert three["median"] == pytest.approx([0, 0, 1]) and three["mean"][0] == pytest.approx(1 / 3)
