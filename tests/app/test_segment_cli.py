"""``iris segment`` and ``iris evaluate segmentation`` in a subprocess; --project stores scores."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.depth.normals import encode_normals
from core.project import Project

ROOT = Path(__file__).resolve().parents[2]
PROMPT = (  # seed 004, Fig. 4c, with a second target added
    "This image shows segmentation masks from the given image. The background is black color. "
    "The game control device is represented by a solid yellow. The menu is #00ffff."
)


def iris(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, timeout=60
    )


def one_line_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode != 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("iris"), done.stderr
    return lines[0]


@pytest.fixture(scope="module")
def seg_set(tmp_path_factory) -> Path:
    """maps/a.png, maps/b.png (painted, with JPEG-like noise) and truth/a.png, truth/b.png."""
    root = tmp_path_factory.mktemp("seg")
    (root / "maps").mkdir()
    (root / "truth").mkdir()
    rng = np.random.default_rng(0)
    for name, shift in (("a", 0), ("b", 4)):
        paint = np.zeros((40, 60, 3), np.int32)
        paint[5:25, 5 + shift : 30 + shift] = (255, 255, 0)  # 20 x 25 = 500 px
        paint[28:36, 40:56] = (0, 255, 255)  # 8 x 16 = 128 px
        noisy = np.clip(paint + rng.integers(-8, 9, paint.shape), 0, 255).astype(np.uint8)
        Image.fromarray(noisy).save(root / "maps" / f"{name}.png")
        truth = np.zeros((40, 60), np.uint8)
        truth[5:25, 5:30] = 1
        truth[28:36, 40:56] = 2
        truth[0 if name == "a" else 39] = 255  # not labelled (and the two truths differ)
        Image.fromarray(truth).save(root / "truth" / f"{name}.png")
    (root / "prompt.txt").write_text(PROMPT, encoding="utf-8")
    return root


def test_segment_json_labels_png_and_scores(seg_set, tmp_path):
    out = tmp_path / "labels.png"
    done = iris(
        "segment", str(seg_set / "maps" / "b.png"), "--classes", str(seg_set / "prompt.txt"),
        "--gt", str(seg_set / "truth" / "b.png"), "--out", str(out), "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    names = [c["name"] for c in summary["classes"]]
    assert names == ["background", "game control device", "menu"]
    assert [c["pixels"] for c in summary["classes"]] == [2400 - 628, 500, 128]
    assert summary["unassigned"] == 0
    # b's yellow box is shifted 4 px: I = 20 * 21 = 420, U = 20 * 29 = 580 (row 39 is unlabelled)
    scores = summary["scores"]
    assert scores["class_iou"]["game control device"] == pytest.approx(420 / 580)
    assert scores["class_iou"]["menu"] == 1.0
    assert scores["iou"] == pytest.approx((420 + 128) / (580 + 128))
    labels = np.asarray(Image.open(out))
    assert labels.dtype == np.uint8 and labels[10, 20] == 1 and labels[30, 45] == 2
    text = iris("segment", str(seg_set / "maps" / "a.png"), "--classes", PROMPT)
    assert text.returncode == 0 and "game control device: 20.83 %" in text.stdout


def test_segment_instances_separates_the_two_colours(seg_set):
    done = iris(
        "segment", str(seg_set / "maps" / "a.png"), "--instances",
        "--classes", '{"background": [0, 0, 0]}', "--min-area", "50", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    classes = json.loads(done.stdout)["classes"]
    assert [(c["name"], c["pixels"]) for c in classes] == [
        ("background", 1772), ("instance 1", 500), ("instance 2", 128)]  # fmt: skip


def test_evaluate_segmentation_set_and_project_scores(seg_set, tmp_path):
    project_dir = tmp_path / "proj"
    Project.create(project_dir).close()
    done = iris(
        "evaluate", "segmentation", str(seg_set / "maps"), "--gt", str(seg_set / "truth"),
        "--classes", str(seg_set / "prompt.txt"), "--project", str(project_dir), "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert [Path(i["pred"]).name for i in summary["images"]] == ["a.png", "b.png"]
    a, b = (i["iou"] for i in summary["images"])
    assert a == 1.0 and b == pytest.approx(548 / 708)
    assert summary["giou"] == pytest.approx((1.0 + 548 / 708) / 2)
    assert summary["ciou"] == pytest.approx((628 + 548) / (628 + 708))
    assert summary["class_iou"]["game control device"] == pytest.approx((500 + 420) / (500 + 580))
    with Project.open(project_dir) as project:
        rows = project.scores_with_images()
        kinds = sorted({image.kind for image in project.images()})
    assert kinds == ["ground_truth", "imported"]
    miou = {r["image"]: r for r in rows if r["metric"] == "seg_miou"}
    assert set(miou) == {"a", "b"}
    assert miou["b"]["reference"] == "b" and miou["b"]["kind"] == "imported"
    assert miou["b"]["value"] == pytest.approx(summary["images"][1]["miou"])
    assert miou["b"]["metric_version"] == summary["metric_version"]
    assert "threshold=60" in summary["metric_version"]
    assert {r["metric"] for r in rows} >= {"seg_iou", "seg_iou[menu]", "seg_iou[background]"}
    again = iris(
        "evaluate", "segmentation", str(seg_set / "maps"), "--gt", str(seg_set / "truth"),
        "--classes", str(seg_set / "prompt.txt"), "--project", str(project_dir), "--json",
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    with Project.open(project_dir) as project:
        assert len(project.scores_with_images()) == len(rows)  # updated, not duplicated
        assert len(project.images()) == 4


def test_depth_and_normals_store_scores_too(tmp_path):
    from core.depth.codecs import make_codec

    gt = np.linspace(1.0, 8.0, 20 * 30).reshape(20, 30)
    Image.fromarray(make_codec("vision-banana").encode(gt)).save(tmp_path / "d.png")
    np.save(tmp_path / "d_gt.npy", gt.astype(np.float32))
    project_dir = tmp_path / "proj"
    Project.create(project_dir).close()
    done = iris(
        "evaluate", "depth", str(tmp_path / "d.png"), "--gt", str(tmp_path / "d_gt.npy"),
        "--align", "median", "--project", str(project_dir), "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    normals = np.zeros((10, 10, 3), np.float32)
    normals[..., 2] = 1.0
    Image.fromarray(encode_normals(normals)).save(tmp_path / "n.png")
    np.save(tmp_path / "n_gt.npy", normals)
    done = iris(
        "evaluate", "normals", str(tmp_path / "n.png"), "--gt", str(tmp_path / "n_gt.npy"),
        "--project", str(project_dir), "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    with Project.open(project_dir) as project:
        rows = {r["metric"]: r for r in project.scores_with_images()}
    assert rows["depth_absrel"]["value"] < 0.01 and "align=median" in rows["depth_absrel"][
        "metric_version"]  # fmt: skip
    assert rows["depth_delta1"]["value"] == 1.0
    import hashlib

    npy_sha = hashlib.sha256((tmp_path / "d_gt.npy").read_bytes()).hexdigest()
    assert rows["depth_absrel"]["reference_sha256"] == npy_sha
    assert rows["normal_mean_angle"]["value"] < 1.0
    assert rows["normal_mean_angle"]["image"] == "n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["segment", "{map}", "--classes", "nothing here"], "no class colours"),
        (["segment", "{map}"], "--classes is required"),
        (["segment", "{map}", "--classes", "The road is (300, 0, 0)."], "0..255"),
        (["segment", "{map}", "--classes", PROMPT, "--threshold", "nan"], "threshold"),
        (["segment", "{map}", "--instances", "--gt", "{gt}"], "instances need matching"),
        (
            [
                "evaluate",
                "segmentation",
                "{map}",
                "--gt",
                "{gt}",
                "--classes",
                '{"only": [1, 2, 3]}',
            ],
            "label 1 at row 5, column 5",
        ),  # fmt: skip
        (
            [
                "evaluate",
                "segmentation",
                "{map}",
                "--gt",
                "{gt}",
                "--classes",
                PROMPT,
                "--project",
                "{missing}",
            ],
            "missing",
        ),  # fmt: skip
    ],
)
def test_one_line_errors(seg_set, tmp_path, args, message):
    values = {
        "map": str(seg_set / "maps" / "a.png"),
        "gt": str(seg_set / "truth" / "a.png"),
        "missing": str(tmp_path / "missing"),
    }
    line = one_line_error(iris(*(values.get(a.strip("{}"), a) for a in args)))
    assert message in line
