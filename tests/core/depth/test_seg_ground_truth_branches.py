"""Segmentation ground truth's refusals, COCO images without a size, and sub-pixel polygons."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

from core.annotations import rle
from core.depth.seg_ground_truth import load_label_gt
from core.errors import IrisError
from core.imageio.encode import save_png

CLASSES = {"background": (0, 0, 0), "cat": (255, 0, 0)}


def _coco(path, images, annotations):
    doc = {
        "images": images,
        "categories": [{"id": 1, "name": "cat"}],
        "annotations": [
            {"id": i + 1, "image_id": image_id, "category_id": 1, "segmentation": segmentation}
            for i, (image_id, segmentation) in enumerate(annotations)
        ],
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_no_classes_is_refused_naming_the_file(tmp_path):
    with pytest.raises(IrisError, match=r"gt\.png: no classes to read the ground truth with"):
        load_label_gt(tmp_path / "gt.png", {})


def test_a_float_label_map_is_refused(tmp_path):
    Image.fromarray(np.array([[0.0, 1.0]], np.float32)).save(tmp_path / "gt.tif")
    with pytest.raises(
        IrisError, match=r"gt\.tif: a label map must hold whole numbers, not float32"
    ):
        load_label_gt(tmp_path / "gt.tif", CLASSES)


def test_the_last_class_and_the_ignore_value_are_accepted_one_past_is_refused(tmp_path):
    save_png(tmp_path / "ok.png", np.array([[0, 1, 9]], np.float64) / 255.0, 8)
    assert load_label_gt(tmp_path / "ok.png", CLASSES, ignore_index=9).tolist() == [[0, 1, -1]]
    save_png(tmp_path / "bad.png", np.array([[0, 2], [1, 2]], np.float64) / 255.0, 8)
    with pytest.raises(
        IrisError, match=r"label 2 at row 0, column 1 is not among the 2 classes \(0\.\.1\)"
    ):
        load_label_gt(tmp_path / "bad.png", CLASSES, ignore_index=9)


def test_a_16_bit_colour_label_map_is_refused(tmp_path):
    colour = np.zeros((2, 2, 3), np.float64)
    colour[0, 0] = (1.0, 0.0, 0.0)
    save_png(tmp_path / "wide.png", colour, 16)
    with pytest.raises(IrisError, match=r"wide\.png: a colour label map must be 8-bit RGB"):
        load_label_gt(tmp_path / "wide.png", CLASSES)


def test_coco_without_a_size_uses_the_given_shape_or_is_refused(tmp_path):
    path = _coco(
        tmp_path / "gt.json",
        [{"id": 1, "file_name": "a.jpg"}],
        [(1, [[0, 0, 2, 0, 2, 2, 0, 2]])],
    )
    with pytest.raises(IrisError, match=r"gt\.json: image 'a\.jpg' states no width/height"):
        load_label_gt(path, CLASSES)
    # no image is named like "other": the file's only image is used
    labels = load_label_gt(path, CLASSES, image_name="other.png", shape=(3, 4))
    assert labels.dtype == np.int32
    assert labels.tolist() == [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0]]


def test_coco_unpainted_pixels_are_not_labelled_without_a_background_class(tmp_path):
    path = _coco(
        tmp_path / "gt.json",
        [{"id": 1, "file_name": "a.jpg", "width": 3, "height": 2}],
        [(1, [[0, 0, 1, 0, 1, 2, 0, 2]])],
    )
    labels = load_label_gt(path, {"cat": (255, 0, 0), "dog": (0, 0, 255)})
    assert labels.tolist() == [[0, -1, -1], [0, -1, -1]]


def test_polygons_paint_only_the_pixel_centres_inside(tmp_path):
    path = _coco(
        tmp_path / "gt.json",
        [{"id": 1, "file_name": "a.jpg", "width": 6, "height": 4}],
        [
            (1, [[1, 1.6, 5, 1.6, 5, 2.4, 1, 2.4]]),  # between centre rows 1.5 and 2.5
            (1, [[2.6, 0, 3.4, 0, 3.4, 4, 2.6, 4]]),  # between centre columns 2.5 and 3.5
            (1, [[1.4, 1.4, 1.6, 1.4, 1.6, 1.6, 1.4, 1.6]]),  # holds the centre (1.5, 1.5) alone
        ],
    )
    labels = load_label_gt(path, CLASSES)
    expected = np.zeros((4, 6), np.int32)
    expected[1, 1] = 1
    assert labels.tolist() == expected.tolist()


def test_a_mask_of_another_size_than_the_given_shape_names_the_annotation(tmp_path):
    path = _coco(
        tmp_path / "gt.json",
        [{"id": 1, "file_name": "a.jpg"}],
        [(1, [[0, 0, 1, 0, 1, 1, 0, 1]]), (1, rle.encode(np.ones((2, 2), np.uint8)))],
    )
    with pytest.raises(
        IrisError, match=r"gt\.json: annotation 2: a \(2, 2\) mask does not fit the \(3, 4\) image"
    ):
        load_label_gt(path, CLASSES, shape=(3, 4))


def test_a_mask_larger_than_the_image_is_refused_before_it_is_decoded(tmp_path):
    path = _coco(
        tmp_path / "gt.json",
        [{"id": 1, "file_name": "a.jpg"}],
        [(1, rle.encode(np.ones((50, 50), np.uint8)))],
    )
    with pytest.raises(IrisError, match=r"gt\.json: annotation 1: .*2500 pixels.*limit 12"):
        load_label_gt(path, CLASSES, shape=(3, 4))
