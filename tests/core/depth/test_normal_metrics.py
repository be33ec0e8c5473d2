"""Normal angular errors on a synthetic sphere: sign conventions, known rotations, counts."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from core.depth.ground_truth import load_normals_gt
from core.depth.normal_metrics import angular_errors, evaluate_normals, pooled
from core.depth.normals import decode_normals, encode_normals
from core.errors import IrisError


def sphere(size: int = 65) -> np.ndarray:
    """Camera-frame normals of a sphere filling the image (+x right, +y up, +z to camera)."""
    centre = (size - 1) / 2
    rows, cols = np.mgrid[0:size, 0:size].astype(np.float64)
    x = (cols - centre) / centre
    y = (centre - rows) / centre  # image rows run down, +y runs up
    z2 = 1.0 - x * x - y * y
    normals = np.stack([x, y, np.sqrt(np.clip(z2, 0, None))], axis=-1)
    normals[z2 <= 0.01] = np.nan  # background
    return normals


def rotation(axis: str, degrees: float) -> np.ndarray:
    a = np.radians(degrees)
    c, s = np.cos(a), np.sin(a)
    return {
        "x": np.array([[1, 0, 0], [0, c, -s], [0, s, c]]),
        "y": np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]]),
        "z": np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]]),
    }[axis]


def test_sphere_colours_follow_the_decoder_convention():
    normals = sphere()
    colours = encode_normals(np.nan_to_num(normals))
    mid = 32
    left, top, centre = colours[mid, 1], colours[1, mid], colours[mid, mid]
    assert left[0] > 240 and left[1] < 150  # facing left: pinkish red (R = (1 - x)/2 high)
    assert top[1] > 240  # facing up: light green
    assert centre[2] == 255 and abs(int(centre[0]) - 128) <= 1  # facing the camera: light blue
    decoded = decode_normals(colours).normals
    assert decoded[mid, 1, 0] < -0.9 and decoded[1, mid, 1] > 0.9 and decoded[mid, mid, 2] > 0.99


def test_decoded_sphere_against_its_truth_is_within_rounding():
    truth = sphere()
    decoded = decode_normals(encode_normals(np.nan_to_num(truth))).normals
    scores = evaluate_normals(decoded, truth)
    assert scores.metrics["mean_deg"] < 0.5 and scores.metrics["within_11.25"] == 100.0
    # the wrong sign convention (x not flipped) is far off: left and right swap
    wrong = decode_normals(encode_normals(np.nan_to_num(truth)), flips=(False, False, False))
    assert evaluate_normals(wrong.normals, truth).metrics["mean_deg"] > 20


AXES = {"x": np.array([1.0, 0, 0]), "y": np.array([0, 1.0, 0]), "z": np.array([0, 0, 1.0])}


@pytest.mark.parametrize("axis", ["x", "y", "z"])
@pytest.mark.parametrize("degrees", [5.0, 20.0, 45.0])
def test_a_known_rotation_is_a_known_error(axis, degrees):
    """A rotation by t about axis a moves a unit v by arccos(cos t + (1 - cos t)(v.a)^2)."""
    truth = sphere()
    errors, valid = angular_errors(truth @ rotation(axis, degrees).T, truth)
    t = np.radians(degrees)
    along = truth @ AXES[axis]
    expected = np.degrees(np.arccos(np.clip(np.cos(t) + (1 - np.cos(t)) * along**2, -1, 1)))
    assert np.allclose(errors[valid], expected[valid], atol=1e-4)
    assert 0.99 * degrees < np.nanmax(errors) <= degrees + 1e-6  # normals across the axis


def tilted(normals: np.ndarray, degrees: float) -> np.ndarray:
    """Each normal turned by exactly ``degrees`` about an axis across it (Rodrigues, a.v = 0)."""
    axis = np.cross(normals, [0.3, 0.5, 0.8])
    axis /= np.linalg.norm(axis, axis=-1, keepdims=True)
    t = np.radians(degrees)
    return normals * np.cos(t) + np.cross(axis, normals) * np.sin(t)


@pytest.mark.parametrize("degrees", [5.0, 20.0, 45.0])
def test_an_exact_tilt_scores_its_angle(degrees):
    truth = sphere()
    m = evaluate_normals(tilted(truth, degrees), truth).metrics
    assert m["mean_deg"] == pytest.approx(degrees, abs=1e-4)
    assert m["median_deg"] == pytest.approx(degrees, abs=1e-4)
    assert m["rmse_deg"] == pytest.approx(degrees, abs=1e-4)
    assert m["within_11.25"] == (100.0 if degrees < 11.25 else 0.0)
    assert m["within_22.5"] == (100.0 if degrees < 22.5 else 0.0)
    assert m["within_30"] == (100.0 if degrees < 30 else 0.0)


def test_two_tilts_give_hand_computed_percentages():
    truth = sphere()
    odd_rows = (np.arange(truth.shape[0]) % 2 == 1)[:, None, None]
    pred = np.where(odd_rows, tilted(truth, 25.0), tilted(truth, 10.0))
    scores = evaluate_normals(pred, truth)
    valid = ~np.isnan(truth[..., 0])
    share_10 = float(valid[~odd_rows[:, 0, 0]].sum() / valid.sum())
    m = scores.metrics
    assert m["within_11.25"] == pytest.approx(100 * share_10)
    assert m["within_22.5"] == pytest.approx(100 * share_10)
    assert m["within_30"] == 100.0
    assert m["mean_deg"] == pytest.approx(10 * share_10 + 25 * (1 - share_10), abs=1e-4)


def test_invalid_pixels_excluded_and_counted():
    truth = sphere(9)
    pred = truth.copy()
    gt_invalid = int(np.isnan(truth[..., 0]).sum())
    pred[4, 4] = np.nan
    pred[4, 5] = 0.0  # a zero vector is no normal
    scores = evaluate_normals(pred, truth)
    assert scores.counts == {
        "pixels": 81,
        "gt_invalid": gt_invalid,
        "pred_invalid": 2,
        "evaluated": 81 - gt_invalid - 2,
    }
    metrics, counts = pooled([scores, evaluate_normals(tilted(truth, 30.5), truth)])
    assert counts["evaluated"] == 2 * (81 - gt_invalid) - 2
    assert 40 < metrics["within_30"] < 60
    with pytest.raises(IrisError, match="must both be"):
        angular_errors(np.zeros((2, 2, 3)), np.zeros((2, 3, 3)))


def test_normal_ground_truth_files(tmp_path):
    truth = sphere(17)
    np.save(tmp_path / "gt.npy", (truth * 3).astype(np.float32))  # not unit: normalised
    loaded = load_normals_gt(tmp_path / "gt.npy")
    assert np.allclose(loaded, truth, equal_nan=True, atol=1e-6)
    Image.fromarray(encode_normals(np.nan_to_num(truth))).save(tmp_path / "gt.png")
    from_png = load_normals_gt(tmp_path / "gt.png")
    assert evaluate_normals(from_png, truth).metrics["mean_deg"] < 0.5
    np.save(tmp_path / "flat.npy", np.ones((4, 4), dtype=np.float32))
    with pytest.raises(IrisError, match=r"\(H, W, 3\)"):
        load_normals_gt(tmp_path / "flat.npy")
