"""The sample's rendered room carries its truth: depth, normals and labels, evaluable at once."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.depth.ground_truth import load_normals_gt
from core.depth.map_evaluation import evaluate_depth_map, evaluate_normal_map
from core.depth.pipeline import decode
from core.depth.unproject import Intrinsics, normals_from_points, unproject
from core.imageio import load_native
from core.project import Project
from core.sample_project import build_sample_project
from core.sample_scene import CLASSES, render_scene


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    return build_sample_project(tmp_path_factory.mktemp("sample") / "project", scores=False)


def test_the_depth_map_names_its_true_depth_normals_and_labels(sample):
    with Project.open(sample) as project:
        by_name = {image.name: image for image in project.images()}
        meta = by_name["scene_depth"].meta
        map_path = project.image_path(by_name["scene_depth"])
        painted = project.load_pixels(by_name["scene_segmentation"]).pixels
    assert by_name["scene_segmentation"].meta["true_labels"] == meta["true_labels"]
    normals = load_normals_gt(sample / meta["true_normals"])
    assert normals.shape == (240, 320, 3)
    np.testing.assert_allclose(np.linalg.norm(normals, axis=2), 1.0, atol=1e-5)
    labels = load_native(sample / meta["true_labels"]).values
    assert labels.dtype == np.uint8 and set(np.unique(labels)) == {0, 1, 2, 3}
    classes = json.loads((sample / meta["classes"]).read_text())
    assert list(classes) == [name for name, _colour in CLASSES]
    colours = np.round(np.asarray(painted)[..., :3] * (255 if painted.dtype.kind == "f" else 1))
    for label, (_name, colour) in enumerate(CLASSES):
        assert (colours[labels == label] == colour).all()

    decoded = decode(map_path).decoding.depth
    result = evaluate_depth_map(decoded, sample / meta["true_depth"])
    assert result.metrics["abs_rel"] < 0.01 and result.metrics["delta1"] == 1.0
    assert result.counts["evaluated"] == 240 * 320


def test_true_normals_agree_with_normals_estimated_from_the_true_depth():
    """The frames match: normals from unprojected depth, flipped to +y up / +z toward, agree."""
    scene = render_scene(160, 120, seed=7)
    cloud = unproject(scene.depth, Intrinsics.from_hfov(160, 120, scene.hfov_deg))
    estimated = normals_from_points(cloud.grid.organised()) * np.array([1.0, -1.0, -1.0])
    from core.depth.normal_metrics import evaluate_normals

    metrics = evaluate_normals(estimated, scene.normals).metrics
    assert metrics["median_deg"] < 0.1 and metrics["within_11.25"] > 95


def test_a_normal_map_painted_from_the_truth_scores_near_zero(tmp_path):
    from core.depth.normals import decode_normals, encode_normals

    scene = render_scene(160, 120, seed=7)
    np.save(tmp_path / "n.npy", scene.normals)
    pred = decode_normals(encode_normals(scene.normals)).normals
    result = evaluate_normal_map(pred, tmp_path / "n.npy")
    assert result.metrics["mean_deg"] < 1.0  # 8-bit rounding only
    assert result.error.shape == (120, 160) and result.error_image.shape == (120, 160, 3)
