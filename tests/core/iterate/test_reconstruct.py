"""The reconstruction chain: colour patches, edges, then a rebuild from both (two input images).

Offline with the generation-loss editor (the rebuild is computed from both stored
inputs), through the real Gemini client against the fake server (both images in one
request), and resumed after an interruption (the same files as an uninterrupted run).
"""

from __future__ import annotations

import base64
import threading

import numpy as np
import pytest

from core.errors import Cancelled, IrisError
from core.imageio import encode_png, load_image
from core.iterate.generation_loss import blend_inputs, degrade
from core.iterate.runner import IterateSpec, iterate
from core.iterate.schedules import RECONSTRUCT_PROMPTS, Schedule, reconstruct_inputs
from core.iterate.steps import run_steps, run_summary
from core.methods.registry import get_method
from tests.fakes.gemini_server import Reply, image_response

LOSS = {"quality": 70, "colour_drift": 0.1}  # a new drift per step: patches != edges


def spec(steps: int, editor: str = "generation-loss", params=None) -> IterateSpec:
    schedule = Schedule("reconstruct", seed_policy="per-step", seed=11)  # seed 11 + step
    return IterateSpec(editor, steps, schedule, dict(LOSS if params is None else params))


def test_the_schedule_names_each_steps_inputs_in_cycles_of_three():
    assert [reconstruct_inputs(i) for i in range(1, 8)] == [
        (0,), (0,), (1, 2), (3,), (3,), (4, 5), (6,),
    ]  # fmt: skip
    plans = [Schedule("reconstruct").plan(i) for i in (1, 2, 3, 4)]
    assert [p.prompt for p in plans] == [*RECONSTRUCT_PROMPTS, RECONSTRUCT_PROMPTS[0]]
    assert plans[2].input_steps == (1, 2) and plans[3].input_steps == (3,)
    again = Schedule.from_dict(Schedule("reconstruct").as_dict())
    assert again.plan(3).prompt == RECONSTRUCT_PROMPTS[2]
    with pytest.raises(IrisError, match="takes no --prompt"):
        Schedule("reconstruct", prompt="replicate this")


def test_offline_the_rebuild_is_made_from_both_stored_inputs(project, image):
    (outcome,) = iterate(project.path, image.id, spec(6), group="rec")
    assert outcome.status == "done"
    steps = run_steps(project, "rec-r1")
    summary = run_summary(project, "rec-r1")
    assert [s["inputs"] for s in summary["steps"]] == [[], [0], [0], [1, 2], [3], [3], [4, 5]]
    assert [s.meta["input_count"] for s in steps[1:]] == [1, 1, 2, 1, 1, 2]
    for rebuild, (a, b) in ((3, (1, 2)), (6, (4, 5))):
        record = project.image(steps[rebuild].image_id)
        assert record.parent_id == steps[a].image_id and record.meta["inputs"] == [a, b]
        inputs = [project.load_pixels(steps[i].image_id).pixels for i in (a, b)]
        seed = 11 + rebuild
        params = get_method("generation-loss").validate({**LOSS, "seed": seed, "prompt": "x"})
        expected = degrade(blend_inputs(inputs), params, np.random.default_rng(seed))
        stored = project.load_pixels(record).pixels
        assert np.abs(stored - expected).max() <= 1 / 255 + 1e-6  # the one 8-bit rounding
        # not one input alone: the rebuild differs from a re-encode of either
        for alone in inputs:
            single = degrade(alone, params, np.random.default_rng(seed))
            assert np.abs(stored - single).mean() > 0.01
    assert project.image(steps[2].image_id).parent_id == image.id  # edges of step 0


def _inline_images(request) -> list[np.ndarray]:
    parts = request.json["contents"][0]["parts"]
    return [
        load_image(base64.urlsafe_b64decode(p["inlineData"]["data"]), name="sent").pixels
        for p in parts
        if "inlineData" in p
    ]


def test_gemini_receives_both_images_in_one_request(project, image, gemini):
    for step in range(1, 4):
        pixels = np.full((48, 64, 3), step / 8, np.float32)
        pixels[:, : 8 * step] = 1.0  # each answer distinct
        gemini.push(Reply(body=image_response(encode_png(pixels))))
    params = {"timeout_s": 1.0, "retries": 0}
    (outcome,) = iterate(project.path, image.id, spec(3, "gemini", params), group="nb")
    assert outcome.status == "done"
    assert len(gemini.requests) == 3
    steps = run_steps(project, "nb-r1")
    sent = [_inline_images(r) for r in gemini.requests]
    assert [len(images) for images in sent] == [1, 1, 2]
    original = project.load_pixels(image).pixels
    assert np.array_equal(sent[0][0], original) and np.array_equal(sent[1][0], original)
    for sent_image, step in zip(sent[2], (1, 2), strict=True):
        assert np.array_equal(sent_image, project.load_pixels(steps[step].image_id).pixels)
    parts = gemini.requests[2].json["contents"][0]["parts"]
    assert parts[-1]["text"] == RECONSTRUCT_PROMPTS[2]  # images first, then the prompt
    assert steps[3].meta["inputs"] == [1, 2] and steps[3].meta["input_count"] == 2


def test_an_interrupted_reconstruction_resumes_to_the_same_files(project, image):
    (whole,) = iterate(project.path, image.id, spec(6), group="whole")
    cancel = threading.Event()

    def stop_after_four(event) -> None:
        if event.index == 4:
            cancel.set()

    with pytest.raises(Cancelled):
        iterate(project.path, image.id, spec(6), group="cut", on_step=stop_after_four,
                cancel=cancel)  # fmt: skip
    assert [s.index for s in run_steps(project, "cut-r1")] == [0, 1, 2, 3, 4]
    (resumed,) = iterate(project.path, image.id, spec(6), group="cut", resume=True)
    assert resumed.status == "done" and resumed.completed == 6
    shas = {
        name: [project.image(s.image_id).sha256 for s in run_steps(project, name)]
        for name in ("whole-r1", "cut-r1")
    }
    assert shas["whole-r1"] == shas["cut-r1"]
    steps = run_steps(project, "cut-r1")
    assert steps[6].meta["inputs"] == [4, 5]
    assert project.image(steps[6].image_id).parent_id == steps[4].image_id
