"""Depth metrics pinned to values computed outside the code under test (issue 22).

References: the Eigen et al. (2014) definitions written out by hand on a 2 x 3 map,
a few lines of numpy in this file (:func:`_reference`, as Monodepth2's
``compute_errors`` writes them: delta = max(p/g, g/p) < 1.25^k), numpy's least
squares for the alignments, and every validity boundary of ground truth and
prediction (0, negatives, NaN, +-inf, the caps themselves).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.depth.evaluate import (
    METRICS,
    MIN_DEPTH,
    Alignment,
    DepthScores,
    SetScores,
    depth_metrics,
    evaluate_depth,
    fit_alignment,
    summarise,
)
from core.errors import IrisError

CHUNK = 1 << 16  # the module works in passes of this many values; a map of 2.x chunks spans three


def _reference(p: np.ndarray, g: np.ndarray) -> dict[str, float]:
    """The eight metrics as the field's evaluation scripts write them."""
    p, g = np.asarray(p, np.float64), np.asarray(g, np.float64)
    ratio = np.maximum(p / g, g / p)
    return {
        "abs_rel": float(np.mean(np.abs(p - g) / g)),
        "sq_rel": float(np.mean((p - g) ** 2 / g)),
        "rmse": float(np.sqrt(np.mean((p - g) ** 2))),
        "rmse_log": float(np.sqrt(np.mean((np.log(p) - np.log(g)) ** 2))),
        "log10": float(np.mean(np.abs(np.log10(p) - np.log10(g)))),
        "delta1": float(np.mean(ratio < 1.25)),
        "delta2": float(np.mean(ratio < 1.25**2)),
        "delta3": float(np.mean(ratio < 1.25**3)),
    }


def _close(metrics: dict, expected: dict, rel: float = 1e-9) -> None:
    assert set(metrics) == set(METRICS) == set(expected)
    for name in METRICS:
        assert metrics[name] == pytest.approx(expected[name], rel=rel, abs=1e-12), name


# A 2 x 3 map worked on paper: ratios max(p/g, g/p) are 1.1, 1, 1.667, 1.4, 2, 1.
GT = np.array([[1.0, 2.0, 4.0], [5.0, 8.0, 10.0]])
PRED = np.array([[1.1, 2.0, 2.4], [7.0, 4.0, 10.0]])
# d = p - g = 0.1, 0, -1.6, 2, -4, 0
BY_HAND = {
    "abs_rel": (0.1 + 0 + 0.4 + 0.4 + 0.5 + 0) / 6,
    "sq_rel": (0.01 / 1 + 0 + 2.56 / 4 + 4 / 5 + 16 / 8 + 0) / 6,
    "rmse": math.sqrt((0.01 + 0 + 2.56 + 4 + 16 + 0) / 6),
    "rmse_log": math.sqrt(
        (math.log(1.1) ** 2 + math.log(0.6) ** 2 + math.log(1.4) ** 2 + math.log(0.5) ** 2) / 6
    ),
    "log10": (
        abs(math.log10(1.1)) + abs(math.log10(0.6)) + abs(math.log10(1.4)) + abs(math.log10(0.5))
    )
    / 6,
    "delta1": 3 / 6,  # 1.1, 1, 1
    "delta2": 4 / 6,  # and 1.4 < 1.5625
    "delta3": 5 / 6,  # and 1.667 < 1.953; 2 is beyond every threshold
}


def test_a_two_by_three_map_by_hand():
    _close(depth_metrics(PRED.ravel(), GT.ravel()), BY_HAND)
    scores = evaluate_depth(PRED, GT)  # metric depth: no alignment
    _close(scores.metrics, BY_HAND)
    assert scores.counts == {
        "pixels": 6,
        "gt_invalid": 0,
        "pred_sky": 0,
        "pred_masked": 0,
        "evaluated": 6,
    }
    _close(_reference(PRED, GT), BY_HAND)  # the in-file reference agrees with the paper


def test_delta_thresholds_are_strict_in_both_directions():
    # max(p/g, g/p) < 1.25^k: a ratio of exactly 1.25, 1.5625 or 1.953125 (all exact in binary)
    # is outside, whether the prediction is too far (5 vs 4) or too near (4 vs 5).
    cases = [
        (5.0, 4.0, (0, 1, 1)),
        (4.0, 5.0, (0, 1, 1)),
        (25.0, 16.0, (0, 0, 1)),
        (16.0, 25.0, (0, 0, 1)),
        (125.0, 64.0, (0, 0, 0)),
        (64.0, 125.0, (0, 0, 0)),
        (1.0, 1.0, (1, 1, 1)),
    ]
    for p, g, expected in cases:
        m = depth_metrics(np.array([p]), np.array([g]))
        assert (m["delta1"], m["delta2"], m["delta3"]) == expected, (p, g)
        assert _reference([p], [g])["delta1"] == expected[0]
    # just inside each threshold counts
    for k in (1, 2, 3):
        t = 1.25**k
        inside = np.array([t * (1 - 1e-9), 1.0 / (t * (1 - 1e-9))])
        m = depth_metrics(inside, np.ones(2))
        assert all(m[f"delta{j}"] == (1.0 if j >= k else 0.0) for j in (1, 2, 3)), k


def test_metrics_match_the_reference_across_chunks():
    rng = np.random.default_rng(7)
    size = 2 * CHUNK + 77  # three passes, the last one short
    gt = rng.uniform(0.5, 80.0, size)
    pred = gt * rng.lognormal(0.0, 0.3, size)
    _close(depth_metrics(pred, gt), _reference(pred, gt))
    # each chunk on its own is wrong in a different way: the sums must cover every value once
    pred2 = gt.copy()
    pred2[:CHUNK] *= 2.0
    pred2[CHUNK : 2 * CHUNK] *= 1.1
    pred2[2 * CHUNK :] *= 0.5
    _close(depth_metrics(pred2, gt), _reference(pred2, gt))
    # the last value alone: only the final short pass sees it
    pred3 = gt.copy()
    pred3[-1] *= 3.0
    _close(depth_metrics(pred3, gt), _reference(pred3, gt))
    assert depth_metrics(pred3, gt)["abs_rel"] == pytest.approx(2.0 / size)


def test_the_first_value_is_scored():
    gt = np.array([1.0, 1.0, 1.0, 1.0])
    pred = np.array([2.0, 1.0, 1.0, 1.0])
    assert depth_metrics(pred, gt)["abs_rel"] == pytest.approx(0.25)
    assert depth_metrics(pred, gt)["delta1"] == pytest.approx(0.75)


def test_float32_maps_are_scored_in_float64():
    # p and g in float32; d^2 sums of a 1e4-metre ramp need float64 to stay exact
    gt = np.linspace(1.0, 1e4, 3001).astype(np.float32)
    pred = (gt + np.float32(0.5)).astype(np.float32)
    m = depth_metrics(pred, gt)
    ref = _reference(pred, gt)
    _close(m, ref, rel=1e-12)


# --- alignments against numpy's least squares


def _lstsq(p: np.ndarray, g: np.ndarray, shift: bool) -> tuple[float, float]:
    columns = [p, np.ones_like(p)] if shift else [p]
    solution = np.linalg.lstsq(np.stack(columns, axis=1), g, rcond=None)[0]
    return float(solution[0]), float(solution[1]) if shift else 0.0


def test_alignments_match_numpy_least_squares():
    rng = np.random.default_rng(3)
    gt = rng.uniform(1.0, 30.0, 500)
    pred = 0.4 * gt + 2.0 + rng.normal(0.0, 0.5, 500)
    pred = np.abs(pred) + 0.1
    for space, (p, g) in {"depth": (pred, gt), "inverse": (1 / pred, 1 / gt)}.items():
        for method, shift in (("lstsq", False), ("lstsq-shift", True)):
            fit = fit_alignment(pred, gt, method, space)
            assert (fit.method, fit.space) == (method, space)
            assert (fit.scale, fit.shift) == pytest.approx(_lstsq(p, g, shift), rel=1e-9)
        median = fit_alignment(pred, gt, "median", space)
        assert median.scale == pytest.approx(np.median(g) / np.median(p), rel=1e-12)
        assert median.shift == 0.0


def test_alignments_by_hand():
    pred = np.array([1.0, 2.0, 3.0, 4.0])
    gt = np.array([2.0, 3.0, 10.0, 100.0])
    none = fit_alignment(pred, gt, "none")
    assert (none.scale, none.shift) == (1.0, 0.0)
    assert fit_alignment(pred, gt, "median").scale == pytest.approx(6.5 / 2.5)  # even counts
    assert fit_alignment(pred, gt, "lstsq").scale == pytest.approx((2 + 6 + 30 + 400) / 30)
    # two points fix a line exactly: 5 = 2 * 1 + 3, 9 = 2 * 3 + 3
    two = fit_alignment(np.array([1.0, 3.0]), np.array([5.0, 9.0]), "lstsq-shift")
    assert (two.scale, two.shift) == pytest.approx((2.0, 3.0))
    # in inverse depth: 1/g = 2 (1/p) + 0.5 for p = 1, 2, 4
    p = np.array([1.0, 2.0, 4.0])
    inv = fit_alignment(p, 1.0 / (2.0 / p + 0.5), "lstsq-shift", "inverse")
    assert (inv.scale, inv.shift) == pytest.approx((2.0, 0.5))
    assert fit_alignment(p, 1.0 / (2.0 / p), "lstsq", "inverse").scale == pytest.approx(2.0)


def test_default_alignment_is_metric_depth():
    fit = fit_alignment(np.array([1.0, 2.0]), np.array([3.0, 5.0]))
    assert fit == Alignment("none", "depth", 1.0, 0.0)
    scores = evaluate_depth(np.array([[1.0, 2.0]]), np.array([[3.0, 5.0]]))
    assert scores.alignment == Alignment("none", "depth", 1.0, 0.0)
    assert scores.metrics["abs_rel"] == pytest.approx((2 / 3 + 3 / 5) / 2)


def test_a_constant_prediction_falls_back_to_scale_only():
    pred = np.array([2.0, 2.0, 2.0])
    gt = np.array([1.0, 2.0, 6.0])
    fit = fit_alignment(pred, gt, "lstsq-shift")
    assert (fit.scale, fit.shift) == pytest.approx(((2 + 4 + 12) / 12, 0.0))
    assert fit.method == "lstsq-shift"
    one = fit_alignment(np.array([4.0]), np.array([2.0]), "lstsq-shift")
    assert (one.scale, one.shift) == (0.5, 0.0)
    # nearly constant: det / (n sum p^2) = 2.5e-15, far under the 1e-12 guard
    near = np.array([1.0, 1.0 + 1e-7])
    fit = fit_alignment(near, np.array([1.0, 3.0]), "lstsq-shift")
    assert (fit.scale, fit.shift) == pytest.approx(
        ((1.0 + 3.0 * (1 + 1e-7)) / (1 + (1 + 1e-7) ** 2), 0)
    )
    # varied enough: det / (n sum p^2) = 2.5e-9, a shift is fitted
    apart = np.array([1.0, 1.0 + 1e-4])
    fit = fit_alignment(apart, np.array([1.0, 3.0]), "lstsq-shift")
    assert (fit.scale, fit.shift) == pytest.approx((2e4, 1.0 - 2e4), rel=1e-6)


def test_the_constant_guard_is_relative_to_the_values():
    # disparities of very far points: tiny numbers, but plainly not constant
    pred = np.array([1e-7, 2e-7, 3e-7])
    gt = np.array([2.0, 3.0, 4.0])
    fit = fit_alignment(pred, gt, "lstsq-shift")
    assert (fit.scale, fit.shift) == pytest.approx((1e7, 1.0), rel=1e-6)


def test_an_overflowing_determinant_falls_back_to_scale_only():
    # n * sum p^2 = 2 * 1.69e308 overflows to inf, so det = inf - (sum p)^2 = inf: the guard
    # (|det| <= 1e-12 * inf) takes the scale fit, finite, instead of scale = x / inf = 0
    pred = np.array([1.3e154, 1e100])
    gt = np.array([2.0, 3.0])
    assert math.isinf(2 * (1.3e154**2 + 1e200)) and math.isfinite((1.3e154 + 1e100) ** 2)
    fit = fit_alignment(pred, gt, "lstsq-shift")
    expected = (2.0 * 1.3e154 + 3.0 * 1e100) / (1.3e154**2 + 1e100**2)
    assert (fit.scale, fit.shift) == (pytest.approx(expected, rel=1e-12), 0.0)


def test_unknown_alignment_and_space_are_refused_by_name():
    p = np.array([1.0, 2.0])
    with pytest.raises(IrisError) as error:
        fit_alignment(p, p, "affine")
    assert str(error.value) == "unknown alignment 'affine'; known: none, median, lstsq, lstsq-shift"
    with pytest.raises(IrisError) as error:
        fit_alignment(p, p, "lstsq", "disparity")
    assert str(error.value) == "unknown alignment space 'disparity'; known: depth, inverse"
    with pytest.raises(IrisError, match="unknown alignment space 'disparity'"):
        evaluate_depth(p, p, align="median", space="disparity")
    with pytest.raises(IrisError, match="unknown alignment 'Median'"):
        evaluate_depth(p, p, align="Median")


def test_applying_an_alignment_clips_what_crosses_zero():
    depth = Alignment("lstsq-shift", "depth", 2.0, -3.0)
    # 2 * 1.4 - 3 = -0.2 -> MIN_DEPTH; 2 * 1.6 - 3 = 0.2; 2 * 2 - 3 = 1
    np.testing.assert_allclose(depth.apply(np.array([1.4, 1.6, 2.0])), [MIN_DEPTH, 0.2, 1.0])
    assert MIN_DEPTH == 1e-3
    inverse = Alignment("lstsq-shift", "inverse", 2.0, -0.5)
    # 1/d' = 2 / p - 0.5: p = 1 -> 1.5; p = 2 -> 0.5; p = 4 -> 0 and p = 8 -> -0.25: the floor
    # 1e-6 of disparity, a million metres
    np.testing.assert_allclose(
        inverse.apply(np.array([1.0, 2.0, 4.0, 8.0])), [1 / 1.5, 2, 1e6, 1e6]
    )
    near = Alignment("lstsq-shift", "inverse", 1.0, 5000.0)
    np.testing.assert_allclose(near.apply(np.array([1.0])), [MIN_DEPTH])  # 1/5001 is clipped


def test_evaluate_scores_the_aligned_prediction():
    rng = np.random.default_rng(11)
    gt = rng.uniform(1.0, 20.0, (30, 40))
    pred = 0.5 * gt + 1.0 + rng.normal(0.0, 0.2, gt.shape)
    for align, shift in (("lstsq", False), ("lstsq-shift", True)):
        scores = evaluate_depth(pred, gt, align=align)
        scale, offset = _lstsq(pred.ravel(), gt.ravel(), shift)
        aligned = np.maximum(scale * pred + offset, 1e-3)
        _close(scores.metrics, _reference(aligned, gt), rel=1e-7)
    scores = evaluate_depth(pred, gt, align="lstsq-shift", space="inverse")
    assert scores.alignment.space == "inverse"
    scale, offset = _lstsq(1 / pred.ravel(), 1 / gt.ravel(), True)
    aligned = 1 / np.maximum(scale / pred + offset, 1e-6)
    _close(scores.metrics, _reference(np.maximum(aligned, 1e-3), gt), rel=1e-7)
    median = evaluate_depth(pred, gt, align="median")
    factor = np.median(gt) / np.median(pred)
    _close(median.metrics, _reference(factor * pred, gt), rel=1e-9)


# --- validity of ground truth and prediction


def test_ground_truth_validity_boundaries():
    gt = np.array([0.0, -1.0, np.nan, np.inf, -np.inf, 1e-30, 0.5, 2.0])
    pred = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.002, 0.5, 3.0])
    scores = evaluate_depth(pred, gt)
    assert scores.counts == {
        "pixels": 8,
        "gt_invalid": 5,  # 0, -1, NaN, +inf, -inf
        "pred_sky": 0,
        "pred_masked": 0,
        "evaluated": 3,  # a tiny positive depth is a depth
    }
    _close(scores.metrics, _reference([0.002, 0.5, 3.0], [1e-30, 0.5, 2.0]))


def test_depth_caps_are_inclusive():
    gt = np.array([0.5, 1.0, 1.5, 3.0, 3.5])
    pred = np.array([0.6, 2.0, 1.5, 3.0, 1.0])
    capped = evaluate_depth(pred, gt, min_depth=1.0, max_depth=3.0)
    assert capped.counts["gt_invalid"] == 2 and capped.counts["evaluated"] == 3
    _close(capped.metrics, _reference([2.0, 1.5, 3.0], [1.0, 1.5, 3.0]))
    assert evaluate_depth(pred, gt, min_depth=1.0).counts["evaluated"] == 4
    assert evaluate_depth(pred, gt, max_depth=3.0).counts["evaluated"] == 4
    assert evaluate_depth(pred, gt, max_depth=np.inf).counts["evaluated"] == 5
    # the caps only narrow: a cap of 0 still leaves out non-positive truths
    assert (
        evaluate_depth(pred, np.array([0.0, -1, 1, 1, 1]), min_depth=0.0).counts["evaluated"] == 3
    )
    # a cap beyond every truth leaves nothing to score, counted as invalid
    none = evaluate_depth(pred, gt, min_depth=10.0)
    assert none.metrics is None and none.alignment is None
    assert none.counts["gt_invalid"] == 5 and none.counts["evaluated"] == 0


def test_prediction_validity_boundaries():
    gt = np.ones(9)
    gt[7:] = np.nan  # the last two truths are invalid
    pred = np.array([np.inf, -np.inf, np.nan, 0.0, -2.0, 1e-30, 0.5, np.inf, 1.0])
    scores = evaluate_depth(pred, gt)
    assert scores.counts == {
        "pixels": 9,
        "gt_invalid": 2,
        "pred_sky": 1,  # +inf over valid truth only; +inf over NaN truth is the truth's fault
        "pred_masked": 4,  # -inf, NaN, 0, -2
        "evaluated": 2,  # 1e-30 and 0.5
    }
    # a positive prediction under 1 mm is scored as 1 mm (Monodepth2's evaluation clips the same)
    _close(scores.metrics, _reference([1e-3, 0.5], [1.0, 1.0]))


def test_nothing_scored_and_shape_refusal():
    empty = evaluate_depth(np.full((2, 3), np.nan), np.ones((2, 3)))
    assert empty.metrics is None and empty.alignment is None
    assert empty.counts == {
        "pixels": 6,
        "gt_invalid": 0,
        "pred_sky": 0,
        "pred_masked": 6,
        "evaluated": 0,
    }
    assert empty.as_dict() == {"metrics": None, "counts": empty.counts, "alignment": None}
    with pytest.raises(IrisError) as error:
        evaluate_depth(np.ones((3, 4)), np.ones((3, 3)))
    assert str(error.value) == "prediction (3, 4) and ground truth (3, 3) differ in size"


def test_scores_as_dict():
    scores = evaluate_depth(PRED, GT, align="lstsq")
    scale = float(np.sum(PRED * GT) / np.sum(PRED * PRED))
    out = scores.as_dict()
    assert set(out) == {"metrics", "counts", "alignment"}
    assert out["alignment"] == {
        "method": "lstsq",
        "space": "depth",
        "scale": pytest.approx(scale),
        "shift": 0.0,
    }
    assert out["counts"] == scores.counts and out["counts"] is not scores.counts
    _close(out["metrics"], _reference(scale * PRED, GT))


# --- a set of images


def _scores(metrics: dict | None, **counts: int) -> DepthScores:
    return DepthScores(metrics, counts, None)


def test_set_means_per_image_and_sums_counts():
    a = {name: float(i) for i, name in enumerate(METRICS)}  # 0, 1, ..., 7
    b = {name: 10.0 * (i + 1) for i, name in enumerate(METRICS)}  # 10, 20, ..., 80
    images = [
        _scores(a, pixels=6, evaluated=4, gt_invalid=2),
        _scores(None, pixels=5, evaluated=0, gt_invalid=5),
        _scores(b, pixels=3, evaluated=3, gt_invalid=0),
    ]
    result = summarise(iter(images))
    assert result.images == images
    assert result.mean == {name: (i + 10.0 * (i + 1)) / 2 for i, name in enumerate(METRICS)}
    assert result.counts == {"pixels": 14, "evaluated": 7, "gt_invalid": 7}
    assert result.scored_images == 2
    # the Eigen-split mean is of the images' metrics, not of pooled pixels
    one = evaluate_depth(np.array([2.0]), np.array([1.0]))  # abs_rel 1
    many = evaluate_depth(np.ones(3), np.ones(3))  # abs_rel 0
    assert summarise([one, many]).mean["abs_rel"] == pytest.approx(0.5)


def test_a_set_with_nothing_scored():
    result = summarise([_scores(None, pixels=4, evaluated=0)])
    assert result.mean is None and result.scored_images == 0
    assert result.counts == {"pixels": 4, "evaluated": 0}
    nothing = summarise([])
    assert (nothing.images, nothing.mean, nothing.counts, nothing.scored_images) == (
        [],
        None,
        {},
        0,
    )
    bare = SetScores([])
    assert (bare.mean, bare.counts, bare.scored_images) == (None, {}, 0)
