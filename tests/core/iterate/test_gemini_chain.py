"""Twenty Gemini steps through the real google-genai client against the fake server, with faults."""

from __future__ import annotations

import numpy as np

from core.imageio import encode_png
from core.iterate.runner import IterateSpec, iterate
from core.iterate.schedules import Schedule
from core.iterate.steps import run_steps
from tests.core.iterate.conftest import KEY
from tests.fakes.gemini_server import Reply, error_body, finish_response, image_response

PARAMS = {"timeout_s": 1.0, "retries": 2}


def answer(step: int, width: int = 64, height: int = 48) -> Reply:
    pixels = np.full((height, width, 3), step / 40, np.float32)
    return Reply(body=image_response(encode_png(pixels), thoughts=[f"Step {step}: an exact copy."]))


def test_twenty_steps_with_faults_all_end_ok_with_thoughts_and_faults_kept(project, image, gemini):
    faults = {
        3: [Reply(status=429, body=error_body(429, "RESOURCE_EXHAUSTED"))],
        7: [Reply(status=503, body=error_body(503, "UNAVAILABLE"))],
        11: [Reply(body=image_response(encode_png(np.zeros((8, 8, 3), np.float32))), delay=2.5)],
        15: [Reply(body=finish_response("IMAGE_SAFETY"))],
    }
    for step in range(1, 21):
        gemini.push(*faults.get(step, []))
        gemini.push(answer(step, 48 if step == 1 else 64, 48))  # step 1 crops to a square
    schedule = Schedule("replicate", seed_policy="fixed", seed=7, temperature=0.4)
    (outcome,) = iterate(
        project.path, image.id, IterateSpec("gemini", 20, schedule, PARAMS), group="nb"
    )
    assert outcome.status == "done" and outcome.completed == 20
    steps = run_steps(project, "nb-r1")
    assert [s.index for s in steps] == list(range(21)) and {s.status for s in steps} == {"ok"}
    assert steps[5].thoughts == "Step 5: an exact copy."
    meta = {s.index: s.meta for s in steps}
    assert meta[3]["attempts"] == 2 and "429" in meta[3]["retried"][0]
    assert meta[7]["attempts"] == 2 and "503" in meta[7]["retried"][0]
    assert meta[11]["attempts"] == 2 and "Timeout" in meta[11]["retried"][0]
    assert [f["reason"] for f in meta[15]["failed_attempts"]] == ["blocked-output"]
    assert meta[1]["aspect_change"]["to"] == [48, 48] and meta[1]["crop"]["w"] == 48
    assert meta[2]["aspect_change"] is None and meta[2]["resized"] and not meta[3]["resized"]
    assert meta[4]["model_version"] == "fake-model-001" and meta[4]["finish_reason"] == "STOP"
    assert meta[4]["usage"]["total_token_count"] == 1710 and meta[4]["seed"] == 7
    assert len(gemini.requests) == 24
    config = gemini.requests[0].json["generationConfig"]
    assert config["seed"] == 7 and config["temperature"] == 0.4
    assert gemini.requests[0].json["contents"][0]["parts"][-1]["text"].startswith("Produce an")
    for path in project.path.rglob("*"):  # the database, its WAL and every image file
        assert not path.is_file() or KEY.encode() not in path.read_bytes(), path


def test_a_step_blocked_beyond_the_retry_policy_ends_the_run_blocked(project, image, gemini):
    gemini.push(answer(1), answer(2), *[Reply(body=finish_response("IMAGE_SAFETY"))] * 3)
    spec = IterateSpec("gemini", 5, Schedule(), PARAMS, step_retries=2)
    (outcome,) = iterate(project.path, image.id, spec, group="blk")
    assert outcome.status == "blocked" and outcome.completed == 2
    assert "IMAGE_SAFETY" in outcome.error
    run = project.run("blk-r1")
    assert run.status == "blocked" and "blocked-output" in run.error
    steps = run_steps(project, run)
    assert [s.status for s in steps] == ["ok", "ok", "ok", "failed"]
    assert steps[3].image is None and "IMAGE_SAFETY" in steps[3].error
    assert len(steps[3].meta["failed_attempts"]) == 3
    gemini.push(answer(3), answer(4), answer(5))  # the filter relents: resume finishes the run
    (again,) = iterate(project.path, image.id, spec, group="blk", resume=True)
    assert again.status == "done"
    assert [s.status for s in run_steps(project, run)] == ["ok"] * 6
