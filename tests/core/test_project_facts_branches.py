"""The store's bulk reads for study tables: provenance rows (whose result belongs to an image),
scores by metric (deduplicated names, none asked), step outputs in step order, metric names."""

from __future__ import annotations

import json

import numpy as np

from core.project.facts import PROVENANCE_COLUMNS, SCORE_COLUMNS


def pixels(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((4, 5, 3)).astype(np.float32)


def test_provenance_takes_the_images_own_method_and_its_own_runs_first_result(project):
    own = project.ensure_method("own", "classical")
    made = project.ensure_method("made", "editor")
    run = project.create_run(
        "r1", "restore", method_id=made, params={"prompt": "p"}, group_name="g"
    )
    other = project.create_run("r2", "iterate")
    a = project.add_image_array(pixels(1), name="a", kind="imported")
    o = project.add_image_array(pixels(2), name="o", kind="restored", parent_id=a.id, run_id=run.id)
    q = project.add_image_array(
        pixels(3), name="q", kind="method_output", method_id=own, run_id=run.id
    )
    project.add_result(other.id, status="ok", output_image_id=o.id, meta={"from": "r2"})
    project.add_result(run.id, status="ok", output_image_id=o.id, meta={"prompt_id": "P1"})
    project.add_result(run.id, status="ok", output_image_id=o.id, meta={"prompt_id": "P2"})
    rows = {
        row[0]: dict(zip(PROVENANCE_COLUMNS, row, strict=True))
        for row in project.image_provenance()
    }
    assert list(rows) == [a.id, o.id, q.id]
    assert rows[a.id]["method"] is None and rows[a.id]["run"] is None
    assert rows[a.id]["result_meta"] is None and rows[a.id]["kind"] == "imported"
    assert (rows[a.id]["width"], rows[a.id]["height"], rows[a.id]["sha256"]) == (5, 4, a.sha256)
    out = rows[o.id]
    assert (out["method"], out["run"], out["group_name"], out["run_kind"]) == (
        "made", "r1", "g", "restore",
    )  # fmt: skip
    assert (out["parent_id"], out["run_id"], out["step_index"]) == (a.id, run.id, None)
    assert json.loads(out["run_params"]) == {"prompt": "p"}
    assert json.loads(out["result_meta"]) == {"prompt_id": "P1"}  # its own run's, the first
    assert rows[q.id]["method"] == "own"  # its own method over its run's
    assert rows[q.id]["result_meta"] is None  # no result of its run names it


def test_step_outputs_are_in_step_order_without_unstepped_or_outputless_results(project):
    run = project.create_run("chain", "iterate")
    later = project.create_run("later", "iterate")
    a = project.add_image_array(pixels(1), name="a", kind="imported")
    s1 = project.add_image_array(pixels(2), name="s1", kind="step", run_id=run.id, step_index=1)
    project.add_result(later.id, status="ok", step_index=0, output_image_id=a.id)
    project.add_result(run.id, status="ok", step_index=1, output_image_id=s1.id)
    project.add_result(run.id, status="ok", step_index=0, output_image_id=a.id)
    project.add_result(run.id, status="failed", step_index=2, error="blocked")  # no output
    project.add_result(run.id, status="ok", output_image_id=s1.id)  # no step
    assert project.step_outputs() == [(later.id, 0, a.id), (run.id, 0, a.id), (run.id, 1, s1.id)]


def test_scores_of_reads_each_asked_metric_once_and_nothing_for_no_metric(project):
    project.put_score("s1", "psnr", "v1", 30.5, reference_sha256="r")
    project.put_score("s2", "psnr", "v1", 31.0, reference_sha256="r")
    project.put_score("s1", "niqe", "v2", None, error="boom")
    project.put_score("s1", "brisque", "v3", 12.0)
    assert project.scores_of([]) == []
    assert project.scores_of(["absent"]) == []
    found = project.scores_of(["psnr", "niqe", "psnr"])
    rows = [dict(zip(SCORE_COLUMNS, row, strict=True)) for row in found]
    keys = ("image_sha256", "metric", "metric_version", "reference_sha256", "value", "error")
    got = sorted(tuple(r[k] for k in keys) for r in rows)
    assert got == [
        ("s1", "niqe", "v2", "", None, "boom"),
        ("s1", "psnr", "v1", "r", 30.5, None),
        ("s2", "psnr", "v1", "r", 31.0, None),
    ]
    assert all(r["created_at"] for r in rows)
    assert project.score_metric_names() == ["brisque", "niqe", "psnr"]


def test_an_empty_project_has_no_rows_of_any_kind(project):
    assert project.image_provenance() == []
    assert project.step_outputs() == []
    assert project.score_metric_names() == []
    assert project.scores_of(["psnr"]) == []
