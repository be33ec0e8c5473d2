"""Kinds and statuses are enums checked on every write; the store answers the queries others need."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.project import ImageKind, MethodKind, RunKind, RunStatus


def _pixels(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((4, 5, 3)).astype(np.float32)


@pytest.mark.parametrize(
    ("write", "message"),
    [
        (lambda p: p.ensure_method("m", "restorer"), "unknown method kind 'restorer'; known: "),
        (lambda p: p.create_run("r", "iterative"), "unknown run kind 'iterative'; known: "),
        (lambda p: p.create_run("r", "restore", status="ok"), "unknown run status 'ok'"),
        (
            lambda p: p.add_image_array(_pixels(0), name="x", kind="mystery"),
            "unknown image kind 'mystery'",
        ),
    ],
)
def test_an_unknown_kind_is_refused_naming_the_known(project, write, message):
    with pytest.raises(ValueError, match=message):
        write(project)
    assert project.counts() == {"images": 0, "methods": 0, "runs": 0, "results": 0, "scores": 0}


def test_the_error_lists_every_member():
    from core.project.kinds import checked

    with pytest.raises(ValueError) as raised:
        checked(MethodKind, "restorer", "method kind")
    assert str(raised.value).endswith("known: classical, model, editor, imported")


def test_enums_compare_and_serialise_as_their_strings(project):
    run = project.create_run("r", RunKind.ITERATE, status=RunStatus.RUNNING)
    assert run.kind == "iterate" and type(project.run("r").kind) is str
    assert json.dumps({"status": RunStatus.DONE}) == '{"status": "done"}'
    image = project.add_image_array(_pixels(1), name="x", kind=ImageKind.IMPORTED)
    assert project.image(image.id).kind == "imported"


def test_run_params_results_and_step_counts(project):
    source = project.add_image_array(_pixels(2), name="in", kind="imported")
    run = project.create_run("chain", "iterate", params={"steps": 2})
    project.add_result(run.id, status="ok", step_index=0, output_image_id=source.id)
    step = project.add_image_array(_pixels(3), name="s1", kind="step", run_id=run.id)
    project.add_result(run.id, status="ok", step_index=1, output_image_id=step.id)
    failed = project.add_result(run.id, status="failed", step_index=2, error="no-image")
    assert project.step_counts() == {run.id: (1, 2)}
    project.delete_result(failed.id)
    assert project.step_counts() == {run.id: (1, 1)}
    project.set_run_params(run.id, {"steps": 5, "nan": float("nan")})
    assert project.run("chain").params == {"steps": 5, "nan": None}
    assert project.runs_with_output(step.id) == [run.id]
    assert project.runs_with_output(source.id) == [run.id]


def test_image_methods_name_the_images_own_method_else_its_runs(project):
    own = project.ensure_method("nlmeans", "classical")
    by_run = project.ensure_method("gemini", "editor")
    run = project.create_run("r", "iterate", method_id=by_run)
    a = project.add_image_array(_pixels(4), name="a", kind="restored", method_id=own)
    b = project.add_image_array(_pixels(5), name="b", kind="step", run_id=run.id)
    c = project.add_image_array(_pixels(6), name="c", kind="imported")
    assert project.image_methods() == {a.id: "nlmeans", b.id: "gemini", c.id: None}


def test_scores_with_images(project):
    image = project.add_image_array(_pixels(7), name="img", kind="imported")
    project.put_score(image.sha256, "psnr", "1", 30.0, reference_sha256="f" * 64)
    project.put_score("e" * 64, "niqe", "1", None, error="boom")
    rows = {row["metric"]: row for row in project.scores_with_images()}
    assert (rows["psnr"]["image_id"], rows["psnr"]["image"], rows["psnr"]["kind"]) == (
        image.id,
        "img",
        "imported",
    )
    assert rows["psnr"]["reference"] is None and rows["psnr"]["reference_sha256"] == "f" * 64
    assert rows["niqe"]["image_id"] is None and rows["niqe"]["error"] == "boom"


def test_the_database_handle_is_private(project):
    assert not hasattr(project, "db")
