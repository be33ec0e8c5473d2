"""Nearest-colour decoding with a threshold and unassigned pixels; instances by colour clusters."""

from __future__ import annotations

import numpy as np
import pytest

from core.depth import segmentation
from core.depth.segmentation import colour_mask, decode_instances, decode_semantic
from core.errors import IrisError

CLASSES = {"road": (128, 64, 128), "sky": (70, 130, 180), "person": (220, 20, 60)}


def test_nearest_colour_with_threshold_and_unassigned():
    image = np.zeros((2, 4, 3), np.uint8)
    image[0, 0] = (128, 64, 128)  # exact road
    image[0, 1] = (120, 70, 120)  # road + noise (distance 12.4)
    image[0, 2] = (70, 130, 180)  # sky
    image[0, 3] = (215, 30, 50)  # person + noise
    image[1, :] = (0, 255, 0)  # far from every class: unassigned
    result = decode_semantic(image, CLASSES, threshold=30)
    assert result.labels.dtype == np.int32
    assert result.labels.tolist() == [[0, 0, 1, 2], [-1, -1, -1, -1]]
    assert result.names == ["road", "sky", "person"]
    assert result.colours == list(CLASSES.values())
    assert result.counts == [2, 1, 1] and result.unassigned == 4
    # the threshold is a distance: 12.4 is beyond 12 and within 13
    assert decode_semantic(image, CLASSES, threshold=12).labels[0, 1] == -1
    assert decode_semantic(image, CLASSES, threshold=13).labels[0, 1] == 0
    # no threshold: every pixel takes its nearest class
    assert (decode_semantic(image, CLASSES, threshold=None).labels >= 0).all()


def test_decoding_matches_a_brute_force_over_chunks(monkeypatch):
    monkeypatch.setattr(segmentation, "CHUNK_PIXELS", 4096)  # several chunks for 100 x 90
    rng = np.random.default_rng(3)
    image = rng.integers(0, 256, (100, 90, 3), dtype=np.uint8)
    result = decode_semantic(image, CLASSES, threshold=90)
    palette = np.array(list(CLASSES.values()), np.float64)
    dist = np.sqrt(((image[:, :, None, :].astype(np.float64) - palette) ** 2).sum(axis=3))
    expected = np.where(dist.min(axis=2) <= 90, dist.argmin(axis=2), -1)
    np.testing.assert_array_equal(result.labels, expected)


def test_float_and_grey_pixels_and_bad_thresholds():
    image = np.full((3, 3, 3), 1.0, np.float32)  # canonical float white
    result = decode_semantic(image, {"white": "white", "black": "#000"}, threshold=1)
    assert result.counts == [9, 0]
    grey = np.zeros((2, 2), np.uint8)
    assert decode_semantic(grey, {"black": (0, 0, 0)}).counts == [4]
    for bad in (float("nan"), -1.0):
        with pytest.raises(IrisError, match="threshold"):
            decode_semantic(grey, {"black": (0, 0, 0)}, threshold=bad)
    with pytest.raises(IrisError, match="no classes"):
        decode_semantic(grey, {})


def test_label_image_writes_unassigned_as_the_top_value():
    image = np.array([[[0, 0, 0], [255, 255, 255]]], np.uint8)
    result = decode_semantic(image, {"black": (0, 0, 0)}, threshold=10)
    values, bits = result.label_image()
    assert bits == 8 and values.tolist() == [[0, 255]]


def _jpeg_like(image: np.ndarray, seed: int = 0, noise: int = 6) -> np.ndarray:
    rng = np.random.default_rng(seed)
    noisy = image.astype(np.int32) + rng.integers(-noise, noise + 1, image.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def test_instances_separate_touching_regions_of_distinct_colours():
    image = np.zeros((60, 80, 3), np.uint8)
    image[:] = (88, 50, 82)  # the background colour the prompt names
    image[10:50, 10:40] = (230, 40, 40)  # two instances that touch along x = 40
    image[10:50, 40:70] = (40, 200, 60)
    image[2:4, 2:4] = (250, 250, 0)  # a 4-pixel speck, under min_area
    noisy = _jpeg_like(image)
    result = decode_instances(noisy, threshold=40, min_area=20, known={"background": (88, 50, 82)})
    assert result.names == ["background", "instance 1", "instance 2"]
    left, right = result.labels[30, 20], result.labels[30, 60]
    assert {left, right} == {1, 2}
    assert (result.labels[10:50, 10:40] == left).all()
    assert (result.labels[10:50, 40:70] == right).all()
    assert result.counts[1] == result.counts[2] == 1200
    assert (result.labels[2:4, 2:4] == -1).all()  # the speck is dropped, not an instance
    assert result.colours[0] == (88, 50, 82)
    for label, truth in ((left, (230, 40, 40)), (right, (40, 200, 60))):
        assert np.abs(np.subtract(result.colours[label], truth)).max() <= 2  # cluster centre


def test_instances_without_known_colours_and_refusals():
    image = np.zeros((20, 20, 3), np.uint8)
    image[:, 10:] = (255, 255, 255)
    result = decode_instances(image, threshold=30, min_area=10)
    assert sorted(result.counts) == [200, 200] and result.unassigned == 0
    with pytest.raises(IrisError, match="minimum area"):
        decode_instances(image, threshold=30, min_area=-1)
    with pytest.raises(IrisError, match="finite"):
        decode_instances(image, threshold=None, min_area=1)


def test_colour_mask_takes_every_prompt_colour_form():
    image = np.zeros((10, 10, 3), np.uint8)
    image[2:8, 2:8] = (250, 250, 5)
    for colour in ("yellow", "<255, 255, 0>", "RGB(255, 255, 0)", "#ff0"):
        assert colour_mask(image, colour, tolerance=20).sum() == 36
    with pytest.raises(IrisError, match="colour"):
        colour_mask(image, "yellowish")
