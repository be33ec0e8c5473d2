"""The gemini method against a fake Gemini server on 127.0.0.1, through the real google-genai client."""

from __future__ import annotations

import io
import logging
import threading
import time

import numpy as np
import pytest
from PIL import Image

from core.errors import Cancelled
from core.gemini.client import EditRequest, edit_image
from core.gemini.keys import MissingApiKey
from core.imageio import encode_png
from core.methods.runner import restore_images
from tests.core import rawdb
from tests.fakes.gemini_server import (
    FAKE_KEY,
    Reply,
    blocked_prompt_response,
    error_body,
    fake_gemini,
    finish_response,
    image_response,
)

KEY = FAKE_KEY


def png(value: float, size: int = 16) -> bytes:
    return encode_png(np.full((size, size, 3), value, np.float32))


@pytest.fixture
def server(monkeypatch):
    with fake_gemini(monkeypatch) as fake:
        yield fake


@pytest.fixture
def image(project):
    rng = np.random.default_rng(0)
    pixels = rng.uniform(0, 1, (24, 24, 3)).astype(np.float32)
    return project.add_image_bytes(encode_png(pixels), name="degraded", kind="imported")


def run(project, image, **params):
    (result,) = restore_images(project.path, [image.id], "gemini", params)
    return result


def test_success_stores_image_thoughts_drafts_and_usage(project, image, server):
    server.push(
        Reply(
            body=image_response(
                png(0.5), thoughts=["**Assessing**", "Restoring."], drafts=[png(0.2)]
            )
        )
    )
    result = run(project, image, prompt="LF3", image_size="2K", seed=7, temperature=0.4)
    assert result.status == "ok"
    out = project.image(result.output_image_id)
    assert out.kind == "restored" and out.parent_id == image.id
    assert np.allclose(project.load_pixels(out).pixels, 0.5, atol=1 / 255)
    meta = project.results(result.run_id)[0].meta
    assert meta["thoughts"] == "**Assessing**\n\nRestoring."
    assert meta["model_version"] == "fake-model-001" and meta["finish_reason"] == "STOP"
    assert meta["usage"]["total_token_count"] == 1710 and meta["latency_s"] > 0
    assert meta["prompt_id"] == "LF3" and meta["prompt"].startswith("Restore the degraded image")
    (draft,) = [project.image(i) for i in meta["draft_image_ids"]]
    assert draft.kind == "derived" and draft.parent_id == out.id
    (request,) = server.requests
    assert request.path == "/v1beta/models/gemini-3-pro-image:generateContent"
    config = request.json["generationConfig"]
    assert config["imageConfig"] == {"imageSize": "2K"} and config["seed"] == 7
    assert config["temperature"] == 0.4 and config["thinkingConfig"]["include_thoughts"] is True
    assert request.json["contents"][0]["parts"][-1]["text"] == meta["prompt"]
    assert any(m["name"] == "gemini:gemini-3-pro-image" for m in project.methods())


@pytest.mark.parametrize(
    "failures",
    [
        [Reply(status=429, body=error_body(429, "RESOURCE_EXHAUSTED"))],
        [Reply(status=503, body=error_body(503, "UNAVAILABLE"))] * 2,
        [Reply(drop=True)],
    ],
    ids=["429-then-ok", "two-503-then-ok", "dropped-then-ok"],
)
def test_transient_failures_are_retried(project, image, server, failures):
    server.push(*failures, Reply(body=image_response(png(0.3))))
    result = run(project, image)
    assert result.status == "ok"
    assert len(server.requests) == len(failures) + 1
    assert project.results(result.run_id)[0].meta["attempts"] == len(failures) + 1


@pytest.mark.parametrize(
    ("body", "reason", "detail"),
    [
        (blocked_prompt_response("PROHIBITED_CONTENT"), "blocked-prompt", "PROHIBITED_CONTENT"),
        (finish_response("IMAGE_SAFETY"), "blocked-output", "IMAGE_SAFETY"),
        (finish_response("NO_IMAGE", text="I cannot edit this."), "no-image", "NO_IMAGE"),
        (finish_response("STOP", text="Here is a description."), "no-image", "STOP"),
        ("{not json", "bad-response", ""),
    ],
    ids=["blocked-prompt", "image-safety", "no-image", "text-only", "malformed-json"],
)
def test_answers_without_an_image_are_failed_results(project, image, server, body, reason, detail):
    server.push(Reply(body=body))
    result = run(project, image)
    assert result.status == "failed" and result.output_image_id is None
    assert result.error.startswith(reason) and detail in result.error
    row = project.results(result.run_id)[0]
    assert row.meta["reason"] == reason and row.meta["prompt_id"] == "LF3"
    assert project.run(result.run_id).status == "failed"
    assert len(server.requests) == 1, "a non-transient failure must not be retried"


def test_timeout_is_retried_then_recorded(project, image, server):
    server.push(
        Reply(body=image_response(png(0.1)), delay=3), Reply(body=image_response(png(0.1)), delay=3)
    )
    start = time.monotonic()
    result = run(project, image, timeout_s=1, retries=1)
    assert time.monotonic() - start < 2.9
    assert result.status == "failed" and result.error.startswith("timeout")
    assert len(server.requests) == 2


def test_cancel_in_flight_returns_within_half_a_second(server):
    server.push(Reply(body=image_response(png(0.1)), delay=20))
    cancel = threading.Event()
    outcome = {}

    def call():
        try:
            edit_image(
                EditRequest(model="gemini-3-pro-image", prompt="x", image=png(0.4)),
                KEY,
                cancel=cancel,
            )
        except Cancelled:
            outcome["cancelled"] = time.monotonic()

    thread = threading.Thread(target=call)
    thread.start()
    deadline = time.monotonic() + 5
    while not server.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.requests, "the request never reached the server"
    cancelled_at = time.monotonic()
    cancel.set()
    thread.join(5)
    assert "cancelled" in outcome
    assert outcome["cancelled"] - cancelled_at < 0.5


def test_missing_api_key_gives_a_clear_message(project, image, server, monkeypatch):
    monkeypatch.delenv("GEMINI_API_KEY")
    with pytest.raises(MissingApiKey, match="GEMINI_API_KEY"):
        run(project, image)
    assert project.runs() == [] and server.requests == []


def test_repeats_make_separate_generations(project, image, server):
    server.push(*[Reply(body=image_response(png(v))) for v in (0.2, 0.4, 0.6)])
    results = restore_images(project.path, [image.id], "gemini", {"prompt": "SF2"}, repeat=3)
    assert [r.status for r in results] == ["ok"] * 3
    values = [float(project.load_pixels(r.output_image_id).pixels.mean()) for r in results]
    assert np.allclose(values, [0.2, 0.4, 0.6], atol=0.01)


def test_key_never_reaches_the_project_or_logs(project, image, server, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    server.push(
        Reply(body=image_response(png(0.5), thoughts=["t"])),
        Reply(status=429, body=error_body(429, "RESOURCE_EXHAUSTED")),
        Reply(status=400, body=error_body(400, "INVALID_ARGUMENT", "bad request")),
        Reply(body=blocked_prompt_response()),
        Reply(body="{oops"),
    )
    for _ in range(4):
        run(project, image, retries=1)
    assert server.requests[0].headers.get("x-goog-api-key") == KEY  # the key was really used
    rawdb.checkpoint(project)  # the rows in iris.db itself, not only in its WAL file
    needle = KEY.encode()
    for path in project.path.rglob("*"):
        if path.is_file():
            assert needle not in path.read_bytes(), f"API key found in {path}"
    captured = capfd.readouterr()
    assert KEY not in caplog.text and KEY not in captured.out and KEY not in captured.err


def test_output_bytes_are_stored_as_delivered(project, image, server):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 12), (200, 100, 50)).save(buffer, format="JPEG", quality=90)
    server.push(Reply(body=image_response(buffer.getvalue(), mime_type="image/jpeg")))
    result = run(project, image)
    out = project.image(result.output_image_id)
    assert out.format == "JPEG" and (out.width, out.height) == (20, 12)
    assert project.image_path(out).read_bytes() == buffer.getvalue()
