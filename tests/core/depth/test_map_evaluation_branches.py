"""Per-pixel error maps of one depth or normal map against its truth, by hand on tiny maps."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from core.depth.codecs import colormap_tables
from core.depth.map_evaluation import (
    ERROR_COLORMAP,
    UNSCORED_RGB,
    error_colours,
    evaluate_depth_map,
    evaluate_normal_map,
)
from core.jobs import Cancelled
from core.pixels import to_uint8


def _table():
    return to_uint8(colormap_tables()[ERROR_COLORMAP])


def _x2(values):
    return np.repeat(np.repeat(values, 2, axis=0), 2, axis=1)


def test_depth_error_is_abs_rel_per_pixel_at_both_sizes(tmp_path):
    np.save(tmp_path / "gt.npy", np.array([[1.0, 2.0], [4.0, np.nan]], np.float32))
    pred = _x2(np.array([[1.1, 2.0], [3.0, 1.0]], np.float32))  # 4 x 4; nearest gives it back
    calls = []
    result = evaluate_depth_map(
        pred, tmp_path / "gt.npy", progress=lambda i, n: calls.append((i, n))
    )
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert result.kind == "depth" and result.units == "abs rel"
    assert result.gt_path == str(tmp_path / "gt.npy")
    assert result.error.dtype == np.float32
    np.testing.assert_allclose(result.error[0], [0.1, 0.0], atol=1e-6)
    assert result.error[1, 0] == pytest.approx(0.25)
    assert np.isnan(result.error[1, 1])
    assert result.metrics["abs_rel"] == pytest.approx((0.1 + 0.0 + 0.25) / 3, rel=1e-5)
    assert result.counts == {
        "pixels": 4,
        "gt_invalid": 1,
        "pred_sky": 0,
        "pred_masked": 0,
        "evaluated": 3,
    }
    assert result.alignment == {"method": "none", "space": "depth", "scale": 1.0, "shift": 0.0}
    # the colour map's top is the 98th percentile of [0, 0.1, 0.25]: 0.1 + 0.96 * 0.15
    hi = 0.1 + 0.96 * 0.15
    assert result.error_range == (0.0, pytest.approx(hi, rel=1e-5))
    table = _table()
    image = result.error_image
    assert image.shape == (2, 2, 3) and image.dtype == np.uint8
    assert image[0, 1].tolist() == table[0].tolist()
    assert image[0, 0].tolist() == table[int(0.1 / hi * 255.0)].tolist()
    assert image[1, 0].tolist() == table[255].tolist()  # above the top: clipped
    assert image[1, 1].tolist() == list(UNSCORED_RGB)
    np.testing.assert_array_equal(result.error_at_pred, _x2(image))


def test_depth_error_is_measured_after_the_alignment(tmp_path):
    gt = np.array([[1.0, 2.0], [4.0, 8.0]], np.float32)
    np.save(tmp_path / "gt.npy", gt)
    result = evaluate_depth_map(gt / 2, tmp_path / "gt.npy", align="median")
    assert result.alignment["scale"] == pytest.approx(2.0)
    np.testing.assert_allclose(result.error, 0.0, atol=1e-6)
    # an all-zero error has no positive top: the colour map spans 0..1
    assert result.error_range == (0.0, 1.0)
    assert result.error_at_pred is result.error_image  # same size: no resize


def test_depth_without_a_valid_truth_pixel_has_no_scores_and_is_grey(tmp_path):
    np.save(tmp_path / "gt.npy", np.zeros((2, 3), np.float32))
    result = evaluate_depth_map(np.ones((2, 3), np.float32), tmp_path / "gt.npy")
    assert result.metrics is None and result.alignment is None
    assert result.counts["evaluated"] == 0 and result.counts["gt_invalid"] == 6
    assert np.isnan(result.error).all()
    assert result.error_range == (0.0, 1.0)
    assert (result.error_image == np.array(UNSCORED_RGB, np.uint8)).all()


def test_depth_evaluation_stops_when_cancelled(tmp_path):
    np.save(tmp_path / "gt.npy", np.ones((2, 2), np.float32))
    cancel = threading.Event()
    cancel.set()
    calls = []
    with pytest.raises(Cancelled):
        evaluate_depth_map(
            np.ones((2, 2), np.float32),
            tmp_path / "gt.npy",
            progress=lambda i, n: calls.append((i, n)),
            cancel=cancel,
        )
    assert calls == [(0, 3)]


def test_normal_error_is_the_angle_in_degrees(tmp_path):
    gt = np.array([[[0.0, 0.0, 1.0], [0.0, 0.0, 0.0]]], np.float32)  # second: no truth
    np.save(tmp_path / "gt.npy", gt)
    pred = _x2(np.array([[[0.0, 1.0, 1.0], [0.0, 0.0, 1.0]]], np.float32))  # 2 x 4
    calls = []
    result = evaluate_normal_map(
        pred, tmp_path / "gt.npy", progress=lambda i, n: calls.append((i, n))
    )
    assert calls == [(0, 2), (2, 2)]
    assert result.kind == "normals" and result.units == "deg" and result.alignment is None
    assert result.error[0, 0] == pytest.approx(45.0, abs=1e-4) and np.isnan(result.error[0, 1])
    assert result.metrics["mean_deg"] == pytest.approx(45.0, abs=1e-4)
    assert result.counts == {"pixels": 2, "gt_invalid": 1, "pred_invalid": 0, "evaluated": 1}
    assert result.error_range == (0.0, pytest.approx(45.0, abs=1e-4))
    assert result.error_image[0, 0].tolist() == _table()[255].tolist()
    assert result.error_image[0, 1].tolist() == list(UNSCORED_RGB)
    assert result.error_at_pred.shape == (2, 4, 3)
    np.testing.assert_array_equal(result.error_at_pred, _x2(result.error_image))


def test_normal_evaluation_stops_when_cancelled(tmp_path):
    np.save(tmp_path / "gt.npy", np.ones((1, 1, 3), np.float32))
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        evaluate_normal_map(np.ones((1, 1, 3), np.float32), tmp_path / "gt.npy", cancel=cancel)


@pytest.mark.parametrize("hi", [0.0, -1.0, float("nan"), float("inf")])
def test_error_colours_fall_back_to_a_unit_top(hi):
    image, top = error_colours(np.array([[0.5, 2.0]], np.float32), hi)
    assert top == 1.0
    table = _table()
    assert image[0, 0].tolist() == table[int(0.5 * 255.0)].tolist()
    assert image[0, 1].tolist() == table[255].tolist()


def test_error_colours_with_a_given_top_scale_linearly():
    error = np.array([[0.0, 1.0, 2.0, np.inf]], np.float32)
    image, top = error_colours(error, 2.0)
    table = _table()
    assert top == 2.0
    assert [p.tolist() for p in image[0, :3]] == [table[i].tolist() for i in (0, 127, 255)]
    assert image[0, 3].tolist() == list(UNSCORED_RGB)  # non-finite is not scored
