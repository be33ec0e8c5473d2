"""The runner with the offline generation-loss editor: the data contract, resume, PSNR decay."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from core.errors import Cancelled, IrisError
from core.iterate.geometry import aligned_to_original, psnr
from core.iterate.runner import IterateSpec, iterate
from core.iterate.schedules import Schedule, Transform
from core.iterate.steps import iterate_runs, run_steps, run_summary
from core.methods.registry import get_method

LOSS = {"quality": 60, "colour_drift": 0.01, "resize_jitter": 0.1}


def spec(steps: int, schedule: Schedule | None = None, **params) -> IterateSpec:
    return IterateSpec("generation-loss", steps, schedule or Schedule(), {**LOSS, **params})


def test_generation_loss_is_registered_and_offline():
    method = get_method("generation-loss")
    assert not method.needs_network and "quality" in method.defaults()


def test_100_steps_offline_psnr_against_step_0_falls(project, image):
    schedule = Schedule("replicate", seed_policy="per-step", seed=5)
    (outcome,) = iterate(project.path, image.id, spec(100, schedule), group="loss")
    assert outcome.status == "done" and outcome.completed == 100
    steps = run_steps(project, "loss-r1")
    assert [s.index for s in steps] == list(range(101))
    original = project.load_pixels(image).pixels
    curve = []
    for step in steps[1:]:
        pixels = project.load_pixels(step.image_id).pixels
        ref, out = aligned_to_original(original, pixels, Transform(), step.meta["crop"])
        curve.append(psnr(ref, out))
    assert curve[0] > curve[9] > curve[99], curve[::10]
    assert curve[0] - curve[99] > 3


def test_rows_follow_the_data_contract(project, image):
    schedule = Schedule("mirror", seed_policy="fixed", seed=9, image_size="cycle")
    outcomes = iterate(project.path, image.id, spec(3, schedule), runs=2, group="g")
    assert [o.run for o in outcomes] == ["g-r1", "g-r2"]
    run = project.run("g-r1")
    assert run.kind == "iterate" and run.group_name == "g" and run.status == "done"
    for key in ("editor", "schedule", "steps", "prompt", "seed_policy", "image_size"):
        assert key in run.params
    assert run.params["editor"] == "generation-loss" and run.params["schedule"] == "mirror"
    method = next(m for m in project.methods() if m["id"] == run.method_id)
    assert method["name"] == "generation-loss"
    results = project.results(run.id)
    assert results[0].step_index == 0 and results[0].output_image_id == image.id
    assert results[0].status == "ok"
    previous = image.id
    for result in results[1:]:
        out = project.image(result.output_image_id)
        assert out.kind == "step" and out.run_id == run.id
        assert out.step_index == result.step_index and out.parent_id == previous
        assert result.input_image_id == previous and result.seconds > 0
        meta = result.meta
        assert meta["prompt"].startswith("Mirror") and meta["seed"] == 9
        assert (meta["width"], meta["height"]) == (out.width, out.height)
        assert "thoughts" in meta and "crop" in meta and "aspect_change" in meta
        previous = out.id
    # generation-loss has no image_size: the schedule's size is not claimed for its steps
    assert [r.meta["image_size"] for r in results[1:]] == [None, None, None]
    assert [r.meta["expected_transform"]["mirror"] for r in results[1:]] == [True, False, True]
    summary = run_summary(project, "g-r1")
    assert summary["status"] == "done" and summary["editor"] == "generation-loss"
    assert set(summary["steps"][1]) >= {
        "index", "status", "image", "width", "height", "thoughts", "error", "seconds",
    }  # fmt: skip
    listed = {r["run"]: r for r in iterate_runs(project)}
    assert listed["g-r2"]["completed"] == 3 and listed["g-r2"]["group"] == "g"


def test_crop_at_each_step_is_recorded(project, image):
    iterate(project.path, image.id, spec(2, crop=0.1), group="c")
    steps = run_steps(project, "c-r1")
    assert (steps[1].width, steps[1].height) == (52, 38)
    assert steps[1].meta["aspect_change"]["ratio"] != 1.0 and steps[1].meta["crop"]["w"] <= 64


def test_cancel_then_resume_gives_every_step_once_and_keeps_files(project, image):
    cancel = threading.Event()
    seen = []

    def on_step(event):
        seen.append(event.index)
        if event.index == 4:
            cancel.set()

    schedule = Schedule("replicate", seed_policy="per-step", seed=1)
    with pytest.raises(Cancelled):
        iterate(project.path, image.id, spec(9, schedule), group="r", on_step=on_step,
                cancel=cancel)  # fmt: skip
    assert project.run("r-r1").status == "cancelled" and seen == [1, 2, 3, 4]
    before = {s.index: Path(s.image).read_bytes() for s in run_steps(project, "r-r1")}
    with pytest.raises(IrisError, match="already exists"):
        iterate(project.path, image.id, spec(9, schedule), group="r")
    (outcome,) = iterate(project.path, image.id, spec(12, schedule), group="r", resume=True)
    assert outcome.status == "done" and outcome.completed == 12
    steps = run_steps(project, "r-r1")
    assert [s.index for s in steps] == list(range(13)) and {s.status for s in steps} == {"ok"}
    for index, data in before.items():
        assert Path(steps[index].image).read_bytes() == data
    assert project.run("r-r1").params["steps"] == 12


def test_resumed_chain_equals_an_uninterrupted_one(project, image):
    schedule = Schedule("rotate", seed_policy="per-step", seed=2)
    iterate(project.path, image.id, spec(6, schedule), group="whole")
    cancel = threading.Event()
    with pytest.raises(Cancelled):
        iterate(project.path, image.id, spec(6, schedule), group="split", cancel=cancel,
                on_step=lambda e: e.index == 3 and cancel.set())  # fmt: skip
    iterate(project.path, image.id, spec(6, schedule), group="split", resume=True)
    whole = [s.image_id for s in run_steps(project, "whole-r1")]
    split = [s.image_id for s in run_steps(project, "split-r1")]
    shas = [
        (project.image(a).sha256, project.image(b).sha256)
        for a, b in zip(whole, split, strict=True)
    ]
    assert all(a == b for a, b in shas), "the same seeds must give the same chain"
    assert np.array_equal(
        project.load_pixels(whole[4]).pixels, project.load_pixels(split[4]).pixels
    )


def _upscaler():
    from core.methods.base import Method, MethodOutput

    def run(pixels, params, *, progress, cancel, context):
        return MethodOutput(np.repeat(np.repeat(pixels, 2, axis=0), 2, axis=1))

    return Method("test-upscale-2x", "classical", "2x", "nearest 2x upscale", (), run)


def test_an_output_over_the_pixel_limit_fails_the_run_with_its_reason(project, image, monkeypatch):
    from core.methods.registry import METHODS

    if "test-upscale-2x" not in METHODS:
        METHODS.register("test-upscale-2x", _upscaler())
    monkeypatch.setenv("IRIS_MAX_PIXELS", str(200 * 200))
    (outcome,) = iterate(project.path, image.id, IterateSpec("test-upscale-2x", 5), group="big")
    assert outcome.status == "failed" and outcome.completed == 1  # 128x96 fits, 256x192 not
    steps = run_steps(project, "big-r1")
    assert [s.status for s in steps] == ["ok", "ok", "failed"]
    assert steps[-1].error == "too-large: the output is 256x192"
    assert project.run("big-r1").status == "failed"


def _hungry_after(ok_steps: int):
    from core.methods.base import Method, MethodOutput

    calls = {"n": 0}

    def run(pixels, params, *, progress, cancel, context):
        calls["n"] += 1
        if calls["n"] > ok_steps:
            raise MemoryError("Unable to allocate 9 GiB")
        return MethodOutput(pixels)

    return Method("test-hungry-editor", "classical", "hungry", "fails after two steps", (), run)


def test_an_editor_out_of_memory_is_a_failed_step_row(project, image, monkeypatch):
    monkeypatch.setattr("core.iterate.runner.get_method", lambda name: _hungry_after(2))
    (outcome,) = iterate(project.path, image.id, IterateSpec("test-hungry-editor", 5), group="oom")
    assert outcome.status == "failed" and outcome.completed == 2
    steps = run_steps(project, "oom-r1")
    assert [s.status for s in steps] == ["ok", "ok", "ok", "failed"]
    assert steps[-1].error.startswith("out-of-memory: the editor ran out of memory")
