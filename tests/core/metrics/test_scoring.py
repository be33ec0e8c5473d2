"""Scoring files and projects: pyiqa's values, the cache, BRISQUE/NIQE offline, references."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from core.metrics import scoring
from core.metrics.engine import load_metric, metric_version, score_pixels
from core.metrics.scoring import score_files, score_project
from core.project import Project
from tests.core.metrics.make_runs import build_iterative_project, texture


def _png(path, pixels):
    Image.fromarray((pixels * 255 + 0.5).astype(np.uint8)).save(path)
    return path


def test_brisque_and_niqe_run_with_no_network_and_equal_pyiqa(tmp_path, no_network):
    import pyiqa
    import torch

    from core.metrics.weights import shipped_file

    path = _png(tmp_path / "a.png", texture(192, seed=3))
    report = score_files([path], ["brisque", "niqe"], device="cpu")
    values = {row.metric: row.value for row in report.rows}
    assert all(np.isfinite(v) for v in values.values()), report.rows
    for name in ("brisque", "niqe"):  # the same as pyiqa on the same file and parameters
        direct = pyiqa.create_metric(
            name, device=torch.device("cpu"), pretrained_model_path=str(shipped_file(name))
        )
        assert values[name] == pytest.approx(float(direct(str(path))), rel=1e-6)
    assert "+brisque_svm_weights.pth:" in metric_version("brisque")


def test_full_reference_needs_a_reference(tmp_path):
    path = _png(tmp_path / "a.png", texture(32))
    with pytest.raises(Exception, match="need a reference"):
        score_files([path], ["psnr"], device="cpu")
    ref = _png(tmp_path / "b.png", np.clip(texture(32) + 0.05, 0, 1))
    (row,) = score_files([path], ["psnr"], reference=ref, device="cpu").rows
    a = np.asarray(Image.open(path), np.float64) / 255
    b = np.asarray(Image.open(ref), np.float64) / 255
    assert row.value == pytest.approx(10 * np.log10(1 / np.mean((a - b) ** 2)), rel=1e-4)


def test_second_project_scoring_call_computes_nothing(tmp_path, monkeypatch):
    project = build_iterative_project(tmp_path / "p", runs=1, steps=3, size=64)
    ids = [i.id for i in project.images(kind="step")]
    project.close()
    first = score_project(tmp_path / "p", ["psnr", "entropy"], image_ids=ids, reference="input")
    assert first.computed == 6 and first.cached == 0
    assert all(row.value is not None for row in first.rows)

    def forbidden(*args, **kwargs):
        raise AssertionError("a cached score was recomputed")

    monkeypatch.setattr(scoring, "load_metric", forbidden)
    monkeypatch.setattr(scoring, "score_pixels", forbidden)
    second = score_project(tmp_path / "p", ["psnr", "entropy"], image_ids=ids, reference="input")
    assert second.computed == 0 and second.cached == 6
    assert [r.value for r in second.rows] == [r.value for r in first.rows]


def test_references_input_step1_and_missing(tmp_path):
    project = build_iterative_project(tmp_path / "p", runs=1, steps=3, size=64)
    steps = {i.step_index: i for i in project.images(kind="step")}
    source = project.images(kind="imported")[0]
    loose = project.add_image_array(texture(64, seed=9), name="loose.png", kind="imported")
    project.close()
    report = score_project(
        tmp_path / "p",
        ["psnr"],
        image_ids=[steps[3].id, source.id, loose.id],
        reference="step1",
        device="cpu",
    )
    step3, original, outside = report.rows
    assert step3.reference_sha256 == steps[1].sha256 and step3.value is not None
    assert original.reference_sha256 == steps[1].sha256  # the input is step 0 of the run
    assert outside.value is None and "no step1 image" in outside.error
    model = load_metric("psnr", "cpu")
    with __import__("core.project", fromlist=["Project"]).Project.open(tmp_path / "p") as p:
        expected = score_pixels(
            model, [p.load_pixels(steps[3]).pixels], [p.load_pixels(steps[1]).pixels]
        )[0]
    assert step3.value == pytest.approx(expected)


def test_batched_scoring_equals_one_at_a_time_and_isolates_failures(tmp_path):
    for folder in ("one", "batched"):
        build_iterative_project(tmp_path / folder, runs=1, steps=6, size=128).close()
    with Project.open(tmp_path / "batched") as project:
        odd = project.add_image_array(texture(100, seed=5), name="odd.png", kind="imported")
        ids = [i.id for i in project.images(kind="step")] + [odd.id]
    single = score_project(tmp_path / "one", ["niqe", "psnr"], run="replicate-0-1",
                           reference="step0", device="cpu", batch=1)  # fmt: skip
    batched = score_project(tmp_path / "batched", ["niqe", "psnr"], image_ids=ids,
                            reference=str(ids[0]), device="cpu", batch=4,
                            align_policy="none")  # fmt: skip
    by_key = {(r.sha256, r.metric): r.value for r in single.rows}
    step_rows = [r for r in batched.rows if r.image_id != odd.id and r.metric == "niqe"]
    assert len(step_rows) == 6
    for row in step_rows:
        assert row.value == pytest.approx(by_key[(row.sha256, "niqe")], rel=1e-5)
    odd_psnr = next(r for r in batched.rows if r.image_id == odd.id and r.metric == "psnr")
    assert odd_psnr.value is None and odd_psnr.error  # 100 px vs a 128 px reference: its own error
    assert "100x100" in odd_psnr.error and "128x128" in odd_psnr.error
    assert all(r.value is not None for r in batched.rows if r.image_id != odd.id)
