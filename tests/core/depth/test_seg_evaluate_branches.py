"""A painted segmentation map decoded and scored against PNG and COCO truth of other sizes."""

from __future__ import annotations

import json

import numpy as np

from core.depth.seg_evaluate import evaluate_segmentation_file, nearest_labels
from core.imageio.encode import save_png

CLASSES = {"background": (0, 0, 0), "cat": (255, 0, 0)}


def test_nearest_labels_keep_a_map_of_the_shape_and_pick_pixel_centres():
    labels = np.arange(16, dtype=np.int32).reshape(4, 4)
    assert nearest_labels(labels, (4, 4)) is labels
    # 4 -> 2: the centres 0.5 and 1.5 of the output fall on source rows/columns 1 and 3
    assert nearest_labels(labels, (2, 2)).tolist() == [[5, 7], [13, 15]]
    # 4 -> 3 columns: centres at 0.667, 2.0, 3.333 source pixels
    assert nearest_labels(labels, (1, 3)).tolist() == [[8, 10, 11]]
    small = np.array([[1, 2], [3, -1]], np.int32)
    assert (
        nearest_labels(small, (4, 4)).tolist() == np.repeat(np.repeat(small, 2, 0), 2, 1).tolist()
    )


def _painted(path, colours):
    save_png(path, np.asarray(colours, np.float64) / 255.0, 8)
    return path


def test_a_small_map_is_scored_against_a_larger_label_png(tmp_path):
    pred = _painted(
        tmp_path / "pred.png",
        [[(250, 5, 0), (3, 3, 3)], [(0, 0, 0), (0, 255, 0)]],  # cat, bg, bg, no class near
    )
    truth = np.repeat(np.repeat(np.array([[1, 0], [0, 1]], np.uint8), 2, 0), 2, 1)
    truth[3, 3] = 255  # not labelled
    save_png(tmp_path / "gt.png", truth.astype(np.float64) / 255.0, 8)
    result = evaluate_segmentation_file(pred, tmp_path / "gt.png", CLASSES)
    assert result.decoded.labels.tolist() == [[1, 0], [0, -1]]
    scores = result.scores
    assert scores.names == ["background", "cat"]
    assert scores.intersection.tolist() == [8, 4]
    assert scores.union.tolist() == [8, 7]  # 3 cat pixels of truth left unassigned
    assert scores.evaluated == 15 and scores.ignored == 1


def test_no_threshold_assigns_every_pixel_to_its_nearest_class(tmp_path):
    pred = _painted(tmp_path / "pred.png", [[(0, 255, 0), (200, 0, 0)]])
    save_png(tmp_path / "gt.png", np.array([[0, 1]], np.float64) / 255.0, 8)
    result = evaluate_segmentation_file(pred, tmp_path / "gt.png", CLASSES, threshold=None)
    assert result.decoded.labels.tolist() == [[0, 1]]
    assert result.scores.intersection.tolist() == [1, 1]


def test_coco_truth_picks_the_image_by_the_maps_name_and_takes_its_size(tmp_path):
    pred = _painted(tmp_path / "b.png", [[(255, 0, 0), (0, 0, 0)], [(255, 0, 0), (0, 0, 0)]])
    doc = {
        "images": [{"id": 1, "file_name": "a.jpg"}, {"id": 2, "file_name": "b.jpg"}],
        "categories": [{"id": 1, "name": "Cat"}],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 1, "segmentation": [[0, 0, 2, 0, 2, 2, 0, 2]]},
            {"id": 2, "image_id": 2, "category_id": 1, "segmentation": [[0, 0, 1, 0, 1, 1, 0, 1]]},
        ],
    }
    (tmp_path / "gt.json").write_text(json.dumps(doc), encoding="utf-8")
    result = evaluate_segmentation_file(pred, tmp_path / "gt.json", CLASSES)
    # b's truth: cat at (0, 0) only, background elsewhere, at the map's 2 x 2
    scores = result.scores
    assert scores.evaluated == 4 and scores.ignored == 0
    assert scores.intersection.tolist() == [2, 1]
    assert scores.union.tolist() == [3, 2]
