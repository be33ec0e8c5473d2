"""Per-class IoU, mIoU, cIoU and gIoU on generated label maps, against hand computations."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from core.annotations import rle
from core.depth.seg_ground_truth import load_label_gt
from core.depth.seg_metrics import confusion, evaluate_segmentation, summarise_segmentation
from core.errors import IrisError
from core.imageio.encode import save_png

NAMES = ["background", "cat", "dog"]


def _maps():
    # image 1 (4 x 5): truth cat = 6 px, dog = 4 px, background = 8, ignored = 2
    gt1 = np.zeros((4, 5), np.int32)
    gt1[0:2, 0:3] = 1
    gt1[2:4, 3:5] = 2
    gt1[3, 0:2] = -1
    pred1 = np.zeros((4, 5), np.int32)
    pred1[0:2, 0:2] = 1  # 4 of the 6 cat pixels
    pred1[0, 3] = 1  # one false cat
    pred1[2:4, 3:5] = 2  # dog exact
    pred1[2, 0] = -1  # one background pixel left unassigned
    pred1[3, 0:2] = 2  # over ignored truth: counts nowhere
    # image 2 (2 x 2): no cat anywhere; dog truth 2 px, predicted 1 px + 1 px false
    gt2 = np.array([[2, 2], [0, 0]], np.int32)
    pred2 = np.array([[2, 0], [2, 0]], np.int32)
    return (pred1, gt1), (pred2, gt2)


def test_confusion_counts_and_refusals():
    (pred1, gt1), _ = _maps()
    matrix = confusion(pred1, gt1, 3)
    assert matrix.sum() == 18  # 20 pixels, 2 ignored
    assert matrix[1].tolist() == [2, 4, 0, 0]  # cat: 2 as background, 4 right
    assert matrix[0].tolist() == [6, 1, 0, 1]  # background: 1 false cat, 1 unassigned
    with pytest.raises(IrisError, match="outside"):
        confusion(pred1 + 5, gt1, 3)
    with pytest.raises(IrisError, match="differ in size"):
        confusion(pred1[:2], gt1, 3)


def test_per_image_and_set_iou_by_hand():
    (pred1, gt1), (pred2, gt2) = _maps()
    one = evaluate_segmentation(pred1, gt1, NAMES)
    # cat: I = 4, U = 6 truth + 5 predicted - 4 = 7; dog: I = 4, U = 4;
    # background: 8 truth, 8 predicted (2 of them cat truth), I = 6, U = 8 + 8 - 6 = 10
    assert one.intersection.tolist() == [6, 4, 4] and one.union.tolist() == [10, 7, 4]
    np.testing.assert_allclose(one.class_iou, [6 / 10, 4 / 7, 1.0])
    assert one.miou == pytest.approx((6 / 10 + 4 / 7 + 1) / 3)
    assert one.foreground_iou == pytest.approx(8 / 11)  # (4 + 4) / (7 + 4)
    assert one.ignored == 2 and one.evaluated == 18
    two = evaluate_segmentation(pred2, gt2, NAMES)
    # cat absent from both: NaN, left out; dog I = 1, U = 3; bg I = 1, U = 3
    assert math.isnan(two.class_iou[1])
    assert two.miou == pytest.approx(1 / 3)
    assert two.foreground_iou == pytest.approx(1 / 3)
    s = summarise_segmentation([one, two])
    # Cityscapes-style: counts summed before dividing
    assert s.class_iou == pytest.approx({"background": 7 / 13, "cat": 4 / 7, "dog": 5 / 7})
    assert s.miou == pytest.approx((7 / 13 + 4 / 7 + 5 / 7) / 3)
    assert s.ciou == pytest.approx((4 + 4 + 1) / (7 + 4 + 3))  # cumulative I / cumulative U
    assert s.giou == pytest.approx((8 / 11 + 1 / 3) / 2)  # mean of per-image IoU
    assert s.as_dict()["class_iou"]["cat"] == pytest.approx(4 / 7)
    assert two.as_dict()["class_iou"]["cat"] is None


def test_giou_counts_an_empty_target_found_empty_as_one():
    names = ["background", "target"]
    empty = evaluate_segmentation(np.zeros((3, 3), np.int32), np.zeros((3, 3), np.int32), names)
    assert empty.foreground_iou == 1.0
    half = np.zeros((2, 2), np.int32)
    half[0] = 1
    hit = evaluate_segmentation(half, np.ones((2, 2), np.int32), names)
    assert hit.foreground_iou == 0.5
    s = summarise_segmentation([empty, hit])
    assert s.giou == 0.75 and s.ciou == 0.5
    with pytest.raises(IrisError, match="different class lists"):
        summarise_segmentation([empty, evaluate_segmentation(half, half, ["a", "b"])])


def test_png_label_maps_8_and_16_bit(tmp_path):
    classes = {"background": (0, 0, 0), "cat": (255, 0, 0), "dog": (0, 0, 255)}
    values = np.array([[0, 1, 2], [255, 1, 0]], np.uint8)
    path8 = tmp_path / "gt8.png"
    save_png(path8, values.astype(np.float64) / 255.0, 8)
    assert load_label_gt(path8, classes).tolist() == [[0, 1, 2], [-1, 1, 0]]
    path16 = tmp_path / "gt16.png"
    wide = np.array([[0, 1], [2, 2]], np.uint16)
    save_png(path16, wide.astype(np.float64) / 65535.0, 16)
    assert load_label_gt(path16, classes).tolist() == [[0, 1], [2, 2]]
    bad = np.array([[0, 7]], np.uint8)
    save_png(tmp_path / "bad.png", bad.astype(np.float64) / 255.0, 8)
    with pytest.raises(IrisError, match=r"bad\.png: label 7 at row 0, column 1"):
        load_label_gt(tmp_path / "bad.png", classes)
    colour = np.zeros((1, 3, 3), np.uint8)
    colour[0, 1] = (255, 0, 0)
    colour[0, 2] = (9, 9, 9)  # no class colour: not labelled
    save_png(tmp_path / "colour.png", colour.astype(np.float64) / 255.0, 8)
    assert load_label_gt(tmp_path / "colour.png", classes).tolist() == [[0, 1, -1]]
    with pytest.raises(IrisError, match="must be one of"):
        load_label_gt(tmp_path / "gt.bmp", classes)


def test_coco_ground_truth_masks_and_polygons(tmp_path):
    classes = {"background": (0, 0, 0), "cat": (255, 0, 0), "dog": (0, 0, 255)}
    cat = np.zeros((6, 8), np.uint8)
    cat[1:3, 1:4] = 1
    doc = {
        "images": [
            {"id": 1, "file_name": "a.jpg", "width": 8, "height": 6},
            {"id": 2, "file_name": "b.jpg", "width": 8, "height": 6},
        ],
        "categories": [{"id": 1, "name": "Cat"}, {"id": 2, "name": "dog"}],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 1, "segmentation": rle.encode(cat)},
            {"id": 2, "image_id": 1, "category_id": 2, "segmentation": [[5, 3, 7, 3, 7, 5, 5, 5]]},
            {"id": 3, "image_id": 2, "category_id": 2, "segmentation": rle.encode(cat)},
        ],
    }
    path = tmp_path / "gt.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    labels = load_label_gt(path, classes, image_name="a.png")
    assert (labels[1:3, 1:4] == 1).all() and (labels == 1).sum() == 6
    # the polygon (5, 3)-(7, 5) holds the 4 pixel centres (5.5..6.5, 3.5..4.5), as COCO's area
    assert (labels[3:5, 5:7] == 2).all() and (labels == 2).sum() == 4
    assert (labels == 0).sum() == 48 - 10
    other = load_label_gt(path, classes, image_name="b")
    assert (other == 2).sum() == 6 and (other == 1).sum() == 0
    with pytest.raises(IrisError, match="no image named like 'c'"):
        load_label_gt(path, classes, image_name="c")
    doc["categories"][1]["name"] = "bird"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(IrisError, match="category 'bird' is not among the classes"):
        load_label_gt(path, classes, image_name="a")
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(IrisError, match="gt.json"):
        load_label_gt(path, classes)
