"""``iris evaluate depth|normals`` in a subprocess: JSON shape, sets, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.depth.codecs import make_codec
from core.depth.normals import encode_normals

ROOT = Path(__file__).resolve().parents[2]


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
def depth_set(tmp_path_factory) -> tuple[Path, Path]:
    """Two Vision Banana maps at half the truth's size, one predicting half the depth."""
    root = tmp_path_factory.mktemp("depth")
    preds, truths = root / "pred", root / "gt"
    preds.mkdir()
    truths.mkdir()
    gt = np.linspace(1.0, 8.0, 40 * 60).reshape(40, 60)
    truth_mm = np.round(gt * 1000).astype(np.uint16)
    truth_mm[:4] = 0  # no measurement
    codec = make_codec("vision-banana")
    small = gt[::2, ::2]
    for name, pred in (("a", small), ("b", small / 2)):
        Image.fromarray(codec.encode(pred)).save(preds / f"{name}.png")
        Image.fromarray(truth_mm).save(truths / f"{name}.png")
    Image.fromarray(truth_mm).save(truths / "lonely.png")
    return preds, truths


def test_depth_json_per_image_and_set(depth_set):
    preds, truths = depth_set
    done = iris("evaluate", "depth", str(preds), "--gt", str(truths), "--json")
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["kind"] == "depth" and summary["align"] == "none"
    assert summary["resize"] == "nearest" and summary["unpaired"] == ["lonely"]
    a, b = summary["images"]
    assert a["codec"] == "vision-banana" and a["pred"].endswith("a.png")
    assert set(a["metrics"]) == {
        "abs_rel",
        "sq_rel",
        "rmse",
        "rmse_log",
        "log10",
        "delta1",
        "delta2",
        "delta3",
    }
    assert a["counts"]["gt_invalid"] == 4 * 60 and a["counts"]["pixels"] == 40 * 60
    assert a["metrics"]["delta1"] == 1.0  # nearest upsampling of a smooth ramp: small errors
    assert b["metrics"]["abs_rel"] == pytest.approx(0.5, abs=0.02)
    assert b["metrics"]["delta3"] == 0.0
    assert summary["scored_images"] == 2 and summary["counts"]["pixels"] == 2 * 40 * 60
    expected = (a["metrics"]["abs_rel"] + b["metrics"]["abs_rel"]) / 2
    assert summary["mean"]["abs_rel"] == pytest.approx(expected)


def test_depth_scale_alignment_and_text(depth_set):
    preds, truths = depth_set
    done = iris(
        "evaluate", "depth", str(preds / "b.png"), "--gt", str(truths / "b.png"),
        "--align", "median", "--resize", "linear", "--json",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    image = json.loads(done.stdout)["images"][0]
    assert image["alignment"]["scale"] == pytest.approx(2.0, rel=0.02)
    assert image["metrics"]["delta1"] == 1.0 and image["metrics"]["abs_rel"] < 0.03
    text = iris("evaluate", "depth", str(preds / "a.png"), "--gt", str(truths / "a.png"))
    assert text.returncode == 0 and "AbsRel" in text.stdout and "mean of 1 image" in text.stdout


def test_normals_json(tmp_path):
    rows, cols = np.mgrid[0:33, 0:33]
    x, y = (cols - 16) / 16.0, (16 - rows) / 16.0
    z2 = 1 - x * x - y * y
    truth = np.stack([x, y, np.sqrt(np.clip(z2, 0, None))], axis=-1)
    truth[z2 <= 0.01] = 0.0  # no normal
    np.save(tmp_path / "gt.npy", truth.astype(np.float32))
    Image.fromarray(encode_normals(truth)).save(tmp_path / "pred.png")
    done = iris("evaluate", "normals", str(tmp_path / "pred.png"), "--gt", str(tmp_path / "gt.npy"),
                "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["kind"] == "normals"
    metrics = summary["images"][0]["metrics"]
    assert set(metrics) == {
        "mean_deg",
        "median_deg",
        "rmse_deg",
        "within_11.25",
        "within_22.5",
        "within_30",
    }
    assert metrics["mean_deg"] < 0.5 and metrics["within_11.25"] == 100.0
    assert summary["pooled"] == metrics
    assert summary["counts"]["gt_invalid"] == int((z2 <= 0.01).sum())


def test_bad_inputs_are_one_line_errors(tmp_path, depth_set):
    preds, truths = depth_set
    (tmp_path / "junk.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    line = one_line_error(
        iris("evaluate", "depth", str(preds / "a.png"), "--gt", str(tmp_path / "junk.png"))
    )
    assert "junk.png" in line
    line = one_line_error(iris("evaluate", "depth", str(preds), "--gt", str(truths / "a.png")))
    assert "two files or two folders" in line
    line = one_line_error(iris("evaluate", "depth", str(tmp_path / "none.png"), "--gt", str(preds)))
    assert "no such file" in line
    one_line_error(iris("evaluate", "depth", str(preds), "--gt", str(truths), "--align", "affine"))
    np.save(tmp_path / "flat.npy", np.ones((4, 4), dtype=np.float32))
    line = one_line_error(
        iris("evaluate", "normals", str(preds / "a.png"), "--gt", str(tmp_path / "flat.npy"))
    )
    assert "(H, W, 3)" in line
