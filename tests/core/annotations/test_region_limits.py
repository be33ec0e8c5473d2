"""Regions are validated wherever they are made: finite numbers only, masks checked before allocation."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest

from core.annotations import add, annotations, rle, update
from core.annotations.regions import RegionError, normalise
from core.errors import IrisError

RECT = {"x": 1, "y": 2, "w": 3, "h": 4}


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, 1e300, "1", True, None, [1]])
@pytest.mark.parametrize("key", ["x", "w"])
def test_rect_coordinates_must_be_finite_numbers(bad, key):
    with pytest.raises(RegionError, match=f"rect's {key}"):
        normalise("rect", {**RECT, key: bad})


@pytest.mark.parametrize("bad", [math.nan, math.inf, "3", None])
def test_polygon_points_must_be_finite_numbers(bad):
    with pytest.raises(RegionError, match="point 2"):
        normalise("polygon", {"points": [[0, 0], [bad, 1], [4, 9]]})


def test_malformed_polygons_are_refused():
    for points, reason in (
        (None, "list of"),
        ([[0, 0], [1, 1, 1], [2, 2]], "point 2 is not"),
        ([[0, 0], [1, 1]], "at least 3"),
        ([[0, 0]] * 100_001, "more than"),
    ):
        with pytest.raises(RegionError, match=reason):
            normalise("polygon", {"points": points})


def test_numpy_numbers_are_accepted():
    assert normalise("rect", {"x": np.float32(1.5), "y": np.int64(2), "w": 3, "h": 4})["x"] == 1.5


def test_the_api_refuses_nan_regions(project, images):
    """The GUI and API path (store.add / update) go through the same check."""
    with pytest.raises(IrisError, match="finite"):
        add(project, images[0], label="colour_shift", annotator="a", region_kind="rect",
            region={**RECT, "x": math.nan})  # fmt: skip
    made = add(project, images[0], label="colour_shift", annotator="a", region_kind="rect",
               region=RECT)  # fmt: skip
    with pytest.raises(IrisError, match="finite"):
        update(project, made.uuid, annotator="a", region={**RECT, "h": math.inf})
    assert [a.region for a in annotations(project)] == [{"x": 1.0, "y": 2.0, "w": 3.0, "h": 4.0}]


def test_a_mask_canonicalises_without_decoding():
    mask = np.zeros((12, 16), bool)
    mask[2:9, 4:11] = True
    counts = rle.encode_counts(mask)
    padded = [counts[0], 0, 0, *counts[1:], 0]  # empty runs: same mask
    region = normalise("mask", {"size": [12, 16], "counts": padded})
    assert region == rle.encode(mask, compressed=True)
    assert np.array_equal(rle.decode(region), mask)


@pytest.mark.parametrize(
    ("region", "reason"),
    [
        ({"size": [100_000, 100_000], "counts": [10_000_000_000]}, "more than the limit"),
        ({"size": [12, 16], "counts": [100, -8, 100]}, "negative"),
        ({"size": [12, 16], "counts": [100, 2.5]}, "whole numbers"),
        ({"size": [12, 16], "counts": [100]}, "sum to 100"),
        ({"size": [0, 16], "counts": []}, "positive"),
        ({"size": [12], "counts": [192]}, r"\[height, width\]"),
        ({"size": [12, 16], "counts": "\x7f"}, "not in a COCO RLE"),
        ({"size": [12, 16], "counts": "o" * 50}, "too long"),
        ({"size": [12, 16], "counts": {"a": 1}}, "a list or a string"),
        ({"counts": [192]}, "'size' and 'counts'"),
    ],
)
def test_malformed_masks_are_refused(region, reason):
    with pytest.raises(RegionError, match=reason):
        normalise("mask", region)


def test_a_mask_must_match_its_image():
    region = {"size": [12, 16], "counts": [192]}
    assert normalise("mask", region, (12, 16))["size"] == [12, 16]
    with pytest.raises(RegionError, match="does not fit its 24 x 16 image"):
        normalise("mask", region, (24, 16))


def test_a_500_byte_rle_bomb_allocates_nothing(monkeypatch):
    """A short RLE asking for 9 GiB of mask is refused before any mask exists."""
    monkeypatch.delenv("IRIS_MAX_PIXELS", raising=False)
    side = 98_304  # 98304**2 bool = 9 GiB
    bomb = {"size": [side, side], "counts": rle.counts_to_string([side * side])}
    assert len(str(bomb)) < 500
    tracemalloc.start()
    try:
        with pytest.raises(RegionError, match="more than the limit"):
            normalise("mask", bomb)
        with pytest.raises(rle.RLEError, match="more than the limit"):
            rle.decode(bomb)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_a_mask_at_the_pixel_limit_is_not_decoded_to_normalise(monkeypatch):
    """Under the limit the mask is still only counted: 256 MP normalises in kilobytes."""
    monkeypatch.setenv("IRIS_MAX_PIXELS", str(16_000 * 16_000))
    region = {"size": [16_000, 16_000], "counts": [5, 10, 16_000 * 16_000 - 15]}
    tracemalloc.start()
    try:
        out = normalise("mask", region)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert rle.string_to_counts(out["counts"]) == region["counts"]
    assert peak < 1_000_000
