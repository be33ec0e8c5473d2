"""Segmentation IoU pinned to values computed outside the code under test (issue 22).

References: a 2 x 3 label map counted on paper; per-class boolean masks in this
file (:func:`_mask_iou`: I = |P & G|, U = |P | G| over the pixels whose truth is
labelled, an unassigned prediction missing the truth's class); the benchmarks'
definitions (Cityscapes per-class IoU of summed counts, RefCOCO cIoU = sum I /
sum U, ReasonSeg gIoU = mean of per-image IoUs, an empty pair scoring 1); and the
label bounds -1..K-1 on both sides.
"""

from __future__ import annotations

import numpy as np
import pytest

from core.depth.seg_metrics import (
    IGNORE,
    SegScores,
    SegSetScores,
    confusion,
    evaluate_segmentation,
    summarise_segmentation,
)
from core.errors import IrisError

NAMES = ["background", "cat", "dog"]
# truth: row 0 = background, cat, dog; row 1 = dog, unlabelled, cat
GT = np.array([[0, 1, 2], [2, -1, 1]])
# prediction: right, dog for cat, right; unassigned, (over unlabelled), right
PRED = np.array([[0, 2, 2], [-1, 1, 1]])


def _confusion_loop(pred: np.ndarray, gt: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros((k, k + 1), np.int64)
    for t, p in zip(gt.ravel().tolist(), pred.ravel().tolist(), strict=True):
        if t >= 0:
            out[t, p if p >= 0 else k] += 1
    return out


def _mask_iou(pred: np.ndarray, gt: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    labelled = gt >= 0
    inter, union = np.zeros(k, np.int64), np.zeros(k, np.int64)
    for c in range(k):
        g, p = gt == c, (pred == c) & labelled
        inter[c], union[c] = np.sum(g & p), np.sum(g | p)
    return inter, union


def test_confusion_of_a_two_by_three_map_by_hand():
    matrix = confusion(PRED, GT, 3)
    assert matrix.tolist() == [
        [1, 0, 0, 0],  # background: right
        [0, 1, 1, 0],  # cat: once right, once as dog
        [0, 0, 1, 1],  # dog: once right, once unassigned
    ]
    assert matrix.shape == (3, 4)


def test_confusion_matches_a_plain_loop():
    rng = np.random.default_rng(5)
    for k in (1, 2, 4, 7):
        gt = rng.integers(-1, k, (9, 11))
        pred = rng.integers(-1, k, (9, 11))
        assert confusion(pred, gt, k).tolist() == _confusion_loop(pred, gt, k).tolist()
        # no unassigned prediction and no truth of the last class: the bins still all exist
        pred = rng.integers(0, k, (9, 11))
        gt = np.where(gt == k - 1, -1, gt)
        matrix = confusion(pred, gt, k)
        assert matrix.shape == (k, k + 1)
        assert matrix.tolist() == _confusion_loop(pred, gt, k).tolist()


def test_label_bounds_on_both_sides():
    ok = np.array([[-1, 0, 2]])
    assert confusion(ok, np.array([[0, 1, 2]]), 3).sum() == 3  # -1 and K-1 are labels
    assert confusion(np.array([[0, 1, 2]]), ok, 3).sum() == 2  # a -1 truth counts nowhere
    for bad, what in (
        (np.array([[-2, 0, 1]]), "prediction"),
        (np.array([[0, 3, 1]]), "prediction"),
    ):
        with pytest.raises(IrisError) as error:
            confusion(bad, np.zeros((1, 3), int), 3)
        assert str(error.value) == f"{what} holds labels outside -1..2"
        with pytest.raises(IrisError) as error:
            confusion(np.zeros((1, 3), int), bad, 3)
        assert str(error.value) == "ground truth holds labels outside -1..2"
    assert IGNORE == -1
    with pytest.raises(IrisError) as error:
        confusion(np.zeros((2, 3), int), np.zeros((3, 2), int), 3)
    assert str(error.value) == "prediction (2, 3) and ground truth (3, 2) differ in size"


def test_empty_maps_give_an_empty_matrix():
    empty = np.zeros((0, 4), int)
    assert confusion(empty, empty, 2).tolist() == [[0, 0, 0], [0, 0, 0]]
    scores = evaluate_segmentation(empty, empty, ["background", "thing"])
    assert scores.miou is None and scores.foreground_iou == 1.0
    assert (scores.evaluated, scores.ignored) == (0, 0)


def test_per_image_iou_by_hand():
    scores = evaluate_segmentation(PRED, GT, NAMES)
    # background I 1 U 1; cat I 1 U 2 (the cat truth taken for dog); dog: I 1, U 3
    # (truth 2 px, one unassigned, plus the cat pixel predicted dog)
    assert scores.intersection.tolist() == [1, 1, 1]
    assert scores.union.tolist() == [1, 2, 3]
    assert scores.intersection.dtype.kind == "i" and scores.union.dtype.kind == "i"
    np.testing.assert_allclose(scores.class_iou, [1.0, 0.5, 1 / 3])
    assert scores.miou == pytest.approx((1 + 0.5 + 1 / 3) / 3)
    assert scores.foreground_iou == pytest.approx((1 + 1) / (2 + 3))
    assert (scores.evaluated, scores.ignored) == (5, 1)
    assert scores.as_dict() == {
        "class_iou": {"background": 1.0, "cat": 0.5, "dog": pytest.approx(1 / 3)},
        "miou": pytest.approx((1 + 0.5 + 1 / 3) / 3),
        "iou": pytest.approx(0.4),
        "counts": {"evaluated": 5, "gt_ignored": 1},
    }


def test_per_image_iou_matches_masks():
    rng = np.random.default_rng(9)
    names = ["background", "a", "b", "c"]
    for _ in range(5):
        gt = rng.integers(-1, 4, (13, 17))
        pred = rng.integers(-1, 4, (13, 17))
        scores = evaluate_segmentation(pred, gt, names)
        inter, union = _mask_iou(pred, gt, 4)
        assert scores.intersection.tolist() == inter.tolist()
        assert scores.union.tolist() == union.tolist()
        assert scores.foreground_iou == pytest.approx(inter[1:].sum() / union[1:].sum())
        assert scores.evaluated == int(np.sum(gt >= 0))
        assert scores.ignored == int(np.sum(gt < 0))


def test_a_class_of_one_pixel_and_an_absent_class():
    names = ["background", "hit", "miss", "absent"]
    gt = np.array([[0, 1, 2, 0]])
    pred = np.array([[0, 1, 0, 0]])
    scores = evaluate_segmentation(pred, gt, names)
    assert scores.union.tolist() == [3, 1, 1, 0]
    iou = scores.class_iou
    assert iou[1] == 1.0 and iou[2] == 0.0 and np.isnan(iou[3])
    assert iou[0] == pytest.approx(2 / 3)
    assert scores.miou == pytest.approx((2 / 3 + 1 + 0) / 3)  # the absent class is left out
    assert scores.as_dict()["class_iou"] == {
        "background": pytest.approx(2 / 3),
        "hit": 1.0,
        "miss": 0.0,
        "absent": None,
    }


def test_an_image_with_no_labelled_pixel():
    gt = np.full((2, 2), -1)
    scores = evaluate_segmentation(np.array([[0, 1], [1, -1]]), gt, NAMES)
    assert np.isnan(scores.class_iou).all()
    assert scores.miou is None
    assert scores.foreground_iou == 1.0  # nothing to find, nothing found
    assert (scores.evaluated, scores.ignored) == (0, 4)
    assert scores.as_dict() == {
        "class_iou": {"background": None, "cat": None, "dog": None},
        "miou": None,
        "iou": 1.0,
        "counts": {"evaluated": 0, "gt_ignored": 4},
    }


@pytest.mark.parametrize(
    ("name", "foreground"),
    [
        ("background", False),
        ("Background", False),
        ("BACKGROUND", False),
        (" background", False),
        ("background ", False),
        ("\tBackGround\n", False),
        ("backgrounds", True),
        ("back ground", True),
        ("sky", True),
    ],
)
def test_which_names_are_background(name, foreground):
    gt = np.array([[0, 0, 0, 1]])
    pred = np.array([[0, 0, 1, 1]])
    # class 0: I 2, U 3; class 1 ("thing"): I 1, U 2; both foreground: (2 + 1) / (3 + 2)
    scores = evaluate_segmentation(pred, gt, [name, "thing"])
    assert scores.foreground_iou == pytest.approx(3 / 5 if foreground else 1 / 2)
    summary = summarise_segmentation([scores])
    assert summary.ciou == pytest.approx(3 / 5 if foreground else 1 / 2)


def test_no_foreground_class_has_no_foreground_iou():
    names = ["background", " Background"]
    scores = evaluate_segmentation(np.array([[0, 1]]), np.array([[0, 1]]), names)
    assert scores.foreground_iou is None
    assert scores.miou == 1.0
    summary = summarise_segmentation([scores])
    assert (summary.ciou, summary.giou) == (None, None)
    assert summary.miou == 1.0


def test_set_metrics_by_the_benchmarks_definitions():
    names = ["background", "cat", "dog"]
    # image 1 from PRED/GT above; image 2: 2 x 2, all cat truth, half predicted
    gt2 = np.array([[1, 1], [1, 1]])
    pred2 = np.array([[1, 1], [0, -1]])
    one = evaluate_segmentation(PRED, GT, names)
    two = evaluate_segmentation(pred2, gt2, names)
    # image 2: background I 0 U 1; cat I 2 U 4; dog absent
    assert two.intersection.tolist() == [0, 2, 0] and two.union.tolist() == [1, 4, 0]
    summary = summarise_segmentation(s for s in (one, two))  # any iterable
    assert summary.images == [one, two]
    # Cityscapes: counts summed over the set before dividing
    # background I 1 + 0 over U 1 + 1; cat (1 + 2) / (2 + 4); dog 1 / 3
    assert summary.class_iou == {
        "background": 0.5,
        "cat": 0.5,
        "dog": pytest.approx(1 / 3),
    }
    assert summary.miou == pytest.approx((0.5 + 0.5 + 1 / 3) / 3)
    # cIoU: foreground I over foreground U, cumulated: (1 + 1 + 2) / (2 + 3 + 4)
    assert summary.ciou == pytest.approx(4 / 9)
    # gIoU: mean of the per-image foreground IoUs: image 1 2/5, image 2 2/4
    assert summary.giou == pytest.approx((2 / 5 + 2 / 4) / 2)
    assert summary.as_dict() == {
        "class_iou": summary.class_iou,
        "miou": summary.miou,
        "ciou": summary.ciou,
        "giou": summary.giou,
    }


def test_set_metrics_match_masks():
    rng = np.random.default_rng(21)
    names = ["background", "a", "b"]
    pairs = [(rng.integers(-1, 3, (7, 9)), rng.integers(-1, 3, (7, 9))) for _ in range(4)]
    summary = summarise_segmentation([evaluate_segmentation(p, g, names) for p, g in pairs])
    sums = [_mask_iou(p, g, 3) for p, g in pairs]
    inter = np.sum([s[0] for s in sums], axis=0)
    union = np.sum([s[1] for s in sums], axis=0)
    assert list(summary.class_iou.values()) == pytest.approx((inter / union).tolist())
    assert summary.miou == pytest.approx(float(np.mean(inter / union)))
    assert summary.ciou == pytest.approx(inter[1:].sum() / union[1:].sum())
    assert summary.giou == pytest.approx(np.mean([i[1:].sum() / u[1:].sum() for i, u in sums]))


def test_a_set_where_the_target_is_nowhere():
    names = ["background", "target"]
    nothing = evaluate_segmentation(np.zeros((2, 2), int), np.zeros((2, 2), int), names)
    summary = summarise_segmentation([nothing, nothing])
    assert (summary.ciou, summary.giou) == (1.0, 1.0)  # found empty where empty: LISA's 1
    assert summary.class_iou == {"background": 1.0, "target": None}
    assert summary.miou == 1.0
    unlabelled = evaluate_segmentation(np.zeros((2, 2), int), np.full((2, 2), -1), names)
    blank = summarise_segmentation([unlabelled])
    assert blank.miou is None and blank.class_iou == {"background": None, "target": None}
    # one image found the target, one had none to find: cIoU 1 / 1, gIoU (1 + 1) / 2
    hit = evaluate_segmentation(np.array([[1, 0]]), np.array([[1, 0]]), names)
    assert summarise_segmentation([hit, nothing]).ciou == 1.0
    miss = evaluate_segmentation(np.array([[0, 0]]), np.array([[1, 0]]), names)
    mixed = summarise_segmentation([miss, nothing])
    assert (mixed.ciou, mixed.giou) == (0.0, 0.5)


def test_summary_refusals():
    with pytest.raises(IrisError) as error:
        summarise_segmentation([])
    assert str(error.value) == "no segmentation to summarise"
    a = evaluate_segmentation(np.zeros((1, 2), int), np.zeros((1, 2), int), ["background", "x"])
    b = evaluate_segmentation(np.zeros((1, 2), int), np.zeros((1, 2), int), ["background", "y"])
    with pytest.raises(IrisError) as error:
        summarise_segmentation([a, b])
    assert str(error.value) == "the images were scored with different class lists"
    with pytest.raises(IrisError, match="different class lists"):
        summarise_segmentation([a, a, b])


def test_names_and_counts_must_pair_up():
    broken = SegScores(["background", "cat"], np.array([1, 1, 1]), np.array([1, 2, 3]), 0, 3)
    with pytest.raises(ValueError):
        broken.as_dict()
    assert SegSetScores([], {}, None, None, None).as_dict() == {
        "class_iou": {},
        "miou": None,
        "ciou": None,
        "giou": None,
    }


@pytest.mark.parametrize("bad", [np.nan, np.inf, 1.5, -0.5])
def test_labels_that_are_not_whole_numbers_are_refused(bad):
    labels = np.array([[0.0, 1.0, bad]])
    whole = np.array([[0.0, 1.0, 2.0]])
    for pred, gt, what in ((labels, whole, "prediction"), (whole, labels, "ground truth")):
        with pytest.raises(IrisError) as error:
            confusion(pred, gt, 3)
        assert str(error.value) == f"{what} holds labels that are not whole numbers"
    assert confusion(whole, whole, 3).trace() == 3  # whole floats are labels
