"""Depth metrics and alignments against hand computations on synthetic maps."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image

from core.depth.evaluate import (
    ALIGNMENTS,
    depth_metrics,
    evaluate_depth,
    fit_alignment,
    summarise,
)
from core.depth.ground_truth import load_depth_gt, resize_to_shape
from core.errors import IrisError


def _ramp(shape=(20, 30)) -> np.ndarray:
    return np.linspace(1.0, 10.0, shape[0] * shape[1]).reshape(shape).astype(np.float32)


def _perfect(metrics: dict) -> None:
    assert metrics["abs_rel"] == pytest.approx(0, abs=1e-6)
    assert metrics["sq_rel"] == pytest.approx(0, abs=1e-6)
    assert metrics["rmse"] == pytest.approx(0, abs=1e-5)
    assert metrics["rmse_log"] == pytest.approx(0, abs=1e-6)
    assert metrics["log10"] == pytest.approx(0, abs=1e-6)
    assert metrics["delta1"] == metrics["delta2"] == metrics["delta3"] == 1.0


def test_metrics_by_hand():
    gt = np.array([1.0, 2.0, 4.0, 10.0])
    pred = np.array([1.1, 1.0, 4.0, 20.0])
    m = depth_metrics(pred, gt)
    assert m["abs_rel"] == pytest.approx((0.1 + 0.5 + 0 + 1.0) / 4)
    assert m["sq_rel"] == pytest.approx((0.01 / 1 + 1 / 2 + 0 + 100 / 10) / 4)
    assert m["rmse"] == pytest.approx(math.sqrt((0.01 + 1 + 0 + 100) / 4))
    logs = [math.log(1.1), math.log(0.5), 0.0, math.log(2.0)]
    assert m["rmse_log"] == pytest.approx(math.sqrt(sum(v * v for v in logs) / 4))
    assert m["log10"] == pytest.approx(sum(abs(v) / math.log(10) for v in logs) / 4)
    # ratios 1.1, 2, 1, 2: below 1.25 two of four; below 1.5625 the same; below 1.953 the same
    assert (m["delta1"], m["delta2"], m["delta3"]) == (0.5, 0.5, 0.5)


def test_scale_two_is_perfect_under_scale_alignment_only():
    gt = _ramp()
    pred = gt / 2
    none = evaluate_depth(pred, gt, align="none").metrics
    assert none["abs_rel"] == pytest.approx(0.5)
    assert none["delta1"] == 0.0 and none["delta3"] == 0.0  # ratio 2 > 1.25^3
    assert none["rmse_log"] == pytest.approx(math.log(2))
    for align in ("median", "lstsq", "lstsq-shift"):
        for space in ("depth", "inverse"):
            scores = evaluate_depth(pred, gt, align=align, space=space)
            _perfect(scores.metrics)
            assert scores.alignment.scale == pytest.approx(2.0 if space == "depth" else 0.5)


def test_shift_needs_the_shift_alignment():
    gt = _ramp()
    pred = 0.5 * gt + 3.0  # affine in depth
    assert evaluate_depth(pred, gt, align="lstsq").metrics["abs_rel"] > 0.05
    scores = evaluate_depth(pred, gt, align="lstsq-shift")
    _perfect(scores.metrics)
    assert (scores.alignment.scale, scores.alignment.shift) == pytest.approx((2.0, -6.0))
    # affine in inverse depth is perfect only when fitted in inverse depth
    pred_inv = 1.0 / (0.5 / gt + 0.2)
    assert evaluate_depth(pred_inv, gt, align="lstsq-shift").metrics["abs_rel"] > 0.01
    _perfect(evaluate_depth(pred_inv, gt, align="lstsq-shift", space="inverse").metrics)


def test_median_and_lstsq_scales_by_hand():
    pred = np.array([1.0, 2.0, 3.0])
    gt = np.array([2.0, 2.0, 9.0])
    assert fit_alignment(pred, gt, "median").scale == pytest.approx(1.0)
    assert fit_alignment(pred, gt, "lstsq").scale == pytest.approx((2 + 4 + 27) / 14)
    assert set(ALIGNMENTS) == {"none", "median", "lstsq", "lstsq-shift"}
    with pytest.raises(IrisError, match="known: none, median"):
        fit_alignment(pred, gt, "affine")


def test_invalid_pixels_excluded_and_counted():
    gt = _ramp((4, 5)).astype(np.float64)
    pred = gt.copy()
    gt[0, 0], gt[0, 1], gt[0, 2] = 0.0, np.nan, np.inf  # three invalid ground truths
    pred[0, 1] = 1e6  # a wild value where the ground truth is invalid: ignored
    pred[1, 0] = np.inf  # sky
    pred[1, 1], pred[1, 2] = np.nan, -1.0  # masked
    pred[2, 0] = gt[2, 0] * 2  # the one error
    scores = evaluate_depth(pred, gt)
    assert scores.counts == {
        "pixels": 20,
        "gt_invalid": 3,
        "pred_sky": 1,
        "pred_masked": 2,
        "evaluated": 14,
    }
    assert scores.metrics["abs_rel"] == pytest.approx(1.0 / 14)
    assert scores.metrics["delta1"] == pytest.approx(13 / 14)
    capped = evaluate_depth(pred, gt, max_depth=float(gt[2, 0]) - 1e-3)
    assert capped.counts["gt_invalid"] > 3


def test_nothing_to_score_and_size_mismatch():
    gt = np.full((3, 3), np.nan)
    empty = evaluate_depth(np.ones((3, 3)), gt)
    assert empty.metrics is None and empty.counts["evaluated"] == 0
    assert empty.as_dict()["alignment"] is None
    with pytest.raises(IrisError, match="differ in size"):
        evaluate_depth(np.ones((3, 4)), np.ones((3, 3)))


def test_set_mean_is_the_mean_of_images():
    gt = _ramp()
    a = evaluate_depth(gt * 1.1, gt)
    b = evaluate_depth(gt, gt)
    c = evaluate_depth(gt, np.full_like(gt, np.nan))
    result = summarise([a, b, c])
    assert result.scored_images == 2
    assert result.mean["abs_rel"] == pytest.approx(0.05)
    assert result.counts["pixels"] == 3 * gt.size


def test_ground_truth_readers(tmp_path):
    mm = np.array([[0, 1000], [2500, 65535]], dtype=np.uint16)
    Image.fromarray(mm).save(tmp_path / "gt.png")
    depth = load_depth_gt(tmp_path / "gt.png")
    assert np.isnan(depth[0, 0]) and depth[1, 0] == pytest.approx(2.5)
    assert load_depth_gt(tmp_path / "gt.png", scale=1 / 256)[0, 1] == pytest.approx(1000 / 256)
    np.save(tmp_path / "gt.npy", np.array([[1.5, 2.0]], dtype=np.float32))
    assert load_depth_gt(tmp_path / "gt.npy").tolist() == [[1.5, 2.0]]
    Image.fromarray(np.array([[1.25, 3.0]], dtype=np.float32)).save(tmp_path / "gt.tif")
    assert load_depth_gt(tmp_path / "gt.tif").tolist() == [[1.25, 3.0]]
    (tmp_path / "gt.txt").write_text("1 2 3")
    with pytest.raises(IrisError, match="must be one of"):
        load_depth_gt(tmp_path / "gt.txt")
    (tmp_path / "bad.npy").write_bytes(b"not an array")
    with pytest.raises(IrisError, match="not a .npy file"):
        load_depth_gt(tmp_path / "bad.npy")


def test_resize_keeps_sky_and_masks():
    depth = np.array([[1.0, 2.0], [np.inf, np.nan]], dtype=np.float32)
    for name in ("nearest", "linear", "area"):
        big = resize_to_shape(depth, (4, 4), name)
        assert big.shape == (4, 4)
        assert np.isposinf(big[3, 0]) and np.isnan(big[3, 3])
        assert np.all(np.isfinite(big[0]))
    assert resize_to_shape(depth, (4, 4), "nearest")[0, 1] == 1.0
    with pytest.raises(IrisError, match="known: nearest"):
        resize_to_shape(depth, (4, 4), "cubic")
