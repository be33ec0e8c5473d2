"""COCO RLE in numpy: both count forms round-trip and match hand-worked strings."""

from __future__ import annotations

import numpy as np
import pytest

from core.annotations import rle


def test_counts_are_column_major_starting_with_zeros():
    mask = np.array([[0, 1], [0, 1], [1, 0]], bool)  # columns: [0,0,1] then [1,1,0]
    assert rle.encode_counts(mask) == [2, 3, 1]
    assert rle.encode_counts(np.ones((2, 2), bool)) == [0, 4]
    assert rle.encode_counts(np.zeros((3, 3), bool)) == [9]


def test_compressed_string_matches_hand_encoding():
    assert rle.counts_to_string([0, 1]) == "01"
    # 40 = 0b1_01000: low group 8 with the "more" bit (8 | 32 + 48 = 'X'), then 1 -> '1'
    assert rle.counts_to_string([40]) == "X1"
    # the 4th count is stored as 1 - 3 = -2: group 30 (sign bit set, no more) -> chr(78) 'N'
    assert rle.counts_to_string([5, 3, 2, 1]) == "532N"
    assert rle.string_to_counts("532N") == [5, 3, 2, 1]


@pytest.mark.parametrize("compressed", [True, False])
def test_random_masks_round_trip(compressed):
    rng = np.random.default_rng(3)
    for shape in [(1, 1), (7, 5), (64, 48)]:
        mask = rng.random(shape) > 0.6
        encoded = rle.encode(mask, compressed=compressed)
        assert encoded["size"] == list(shape)
        assert isinstance(encoded["counts"], str if compressed else list)
        assert np.array_equal(rle.decode(encoded), mask)
        assert rle.area(encoded) == int(mask.sum())


def test_counts_that_do_not_fill_the_mask_are_refused():
    with pytest.raises(ValueError, match="sum to 3"):
        rle.decode({"size": [2, 2], "counts": [1, 2]})


def test_bbox_of_a_mask():
    mask = np.zeros((10, 10), bool)
    mask[2:5, 3:9] = True
    assert rle.bbox(mask) == [3.0, 2.0, 6.0, 3.0]
