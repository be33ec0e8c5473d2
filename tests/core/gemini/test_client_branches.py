"""core/gemini/client.py: which failures are transient, how answers without an image or text are
refused (reason code, detail, meta, the key never in them), the request's generation config,
text answers for judges, and cancels before a request and during the retry back-off.

Parsing is pinned on google-genai response objects built in the test; the requests go through
the real client to the fake server on 127.0.0.1 (tests/fakes), never the internet.
"""

from __future__ import annotations

import asyncio
import threading
import time

import numpy as np
import pytest
from google.genai import errors, types

from core.errors import Cancelled
from core.gemini import client
from core.gemini.client import (
    EditRequest,
    _config,
    _status_text,
    generate_text,
    parse_response,
    parse_text_response,
    transient_reason,
)
from core.imageio import encode_png
from core.methods.base import MethodFailed
from core.redact import MARKER, forget_secrets, register_secret
from tests.fakes.gemini_server import (
    FAKE_KEY,
    Reply,
    blocked_prompt_response,
    error_body,
    fake_gemini,
    image_response,
    text_response,
)

SECRET = "iris-branch-test-secret-91be04"
PNG = encode_png(np.full((8, 8, 3), 0.25, np.float32))


@pytest.fixture
def secret():
    forget_secrets()
    register_secret(SECRET)
    yield SECRET
    forget_secrets()


def _api_error(code: int, status: str = "X", message: str = "m") -> errors.APIError:
    return errors.APIError(code, {"error": {"code": code, "message": message, "status": status}})


# -- transient_reason and _status_text ---------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (429, "rate-limited"),
        (408, "timeout"),
        (500, "server-error"),
        (503, "server-error"),
        (499, None),  # the edge below 500: a client error, not retried
        (400, None),
        (404, None),
    ],
)
def test_api_errors_are_transient_by_status_code(code, reason):
    assert transient_reason(_api_error(code)) == reason


def test_exceptions_are_transient_by_class_name():
    class ServerTimeoutError(Exception):
        pass

    class ClientOSError(Exception):
        pass

    assert transient_reason(TimeoutError()) == "timeout"
    assert transient_reason(ServerTimeoutError()) == "timeout"
    assert transient_reason(ConnectionResetError()) == "connection"  # a ConnectionError subclass
    assert transient_reason(ClientOSError()) == "connection"
    assert transient_reason(ValueError("bad json")) is None
    assert transient_reason(RuntimeError("boom")) is None


def test_status_text_names_the_code_or_the_class_and_hides_the_key(secret):
    text = _status_text(_api_error(403, "PERMISSION_DENIED", f"key {secret} refused"))
    assert text == f"HTTP 403 PERMISSION_DENIED: key {MARKER} refused"
    assert _status_text(ValueError(f"echo {secret}")) == f"ValueError: echo {MARKER}"
    assert _status_text(TimeoutError()) == "TimeoutError"  # no trailing colon without a message


# -- the generation config ---------------------------------------------------------------------


def test_config_sends_size_and_aspect_only_for_image_answers():
    both = _config(EditRequest(model="m", prompt="p", image_size="4K", aspect_ratio="16:9"))
    assert both.image_config.image_size == "4K" and both.image_config.aspect_ratio == "16:9"
    assert both.response_modalities == ["TEXT", "IMAGE"]
    aspect_only = _config(EditRequest(model="m", prompt="p", image_size=None, aspect_ratio="3:4"))
    assert aspect_only.image_config.image_size is None
    assert aspect_only.image_config.aspect_ratio == "3:4"
    text = _config(EditRequest(model="m", prompt="p", aspect_ratio="1:1", modalities=("TEXT",)))
    assert text.image_config is None and text.response_modalities == ["TEXT"]
    bare = _config(EditRequest(model="m", prompt="p", image_size=None, include_thoughts=False))
    assert bare.image_config is None and bare.thinking_config.include_thoughts is False


# -- parse_response ----------------------------------------------------------------------------


def _response(parts=None, *, finish="STOP", candidates=True, feedback=None, **fields):
    candidate = types.Candidate(
        content=types.Content(role="model", parts=parts) if parts is not None else None,
        finish_reason=finish,
    )
    return types.GenerateContentResponse(
        candidates=[candidate] if candidates else None, prompt_feedback=feedback, **fields
    )


def _image(data: bytes, mime: str | None = "image/png", thought: bool | None = None):
    return types.Part(inline_data=types.Blob(data=data, mime_type=mime), thought=thought)


def test_the_last_final_image_wins_and_a_missing_mime_type_reads_as_png():
    response = _response(
        [
            types.Part(text="thinking", thought=True),
            _image(b"draft", thought=True),
            _image(b"first"),
            types.Part(text="done"),
            _image(b"last", mime=None),
        ],
        model_version=None,
        response_id=None,
    )
    answer = parse_response(response, 1.23456, 2)
    assert (answer.image, answer.mime_type) == (b"last", "image/png")
    assert answer.drafts == [b"draft"] and answer.thoughts == "thinking" and answer.text == "done"
    assert (answer.model_version, answer.response_id, answer.usage) == ("", "", {})
    assert answer.meta()["latency_s"] == 1.2346 and answer.meta()["attempts"] == 2


def test_a_blocked_prompt_names_the_reason_and_its_message_without_the_key(secret):
    feedback = types.GenerateContentResponsePromptFeedback(
        block_reason="OTHER", block_reason_message=f"refused for {secret}"
    )
    with pytest.raises(MethodFailed) as caught:
        parse_response(_response(candidates=False, feedback=feedback), 0.5, 1)
    failure = caught.value
    assert failure.reason == "blocked-prompt"
    assert failure.detail == f"OTHER (refused for {MARKER})"
    assert failure.meta["block_reason"] == "OTHER" and failure.meta["attempts"] == 1
    assert secret not in str(failure) and secret not in repr(failure.meta)


def test_no_candidates_and_no_feedback_is_no_candidates():
    for feedback in (None, types.GenerateContentResponsePromptFeedback()):
        with pytest.raises(MethodFailed) as caught:
            parse_response(_response(candidates=False, feedback=feedback), 0.0, 3)
        assert caught.value.reason == "no-candidates"
        assert caught.value.detail == "the response had no candidates"
        assert caught.value.meta["attempts"] == 3


def test_a_candidate_without_content_or_finish_reason_is_no_image():
    with pytest.raises(MethodFailed) as caught:
        parse_response(_response(None, finish=None), 0.0, 1)
    assert caught.value.reason == "no-image"
    assert caught.value.detail == "the response carried no image"
    assert caught.value.meta["finish_reason"] == ""


def test_only_draft_images_are_not_an_answer_and_text_is_redacted(secret):
    parts = [_image(b"draft", thought=True), types.Part(text=f"my key is {secret}")]
    with pytest.raises(MethodFailed) as caught:
        parse_response(_response(parts, finish="IMAGE_RECITATION"), 0.0, 1)
    assert caught.value.reason == "blocked-output" and caught.value.detail == "IMAGE_RECITATION"
    assert caught.value.meta["text"] == f"my key is {MARKER}"


# -- parse_text_response -----------------------------------------------------------------------


def test_text_answer_keeps_text_and_thoughts_apart():
    parts = [types.Part(text="weighing", thought=True), types.Part(text="4"), _image(b"x")]
    answer = parse_text_response(_response(parts, model_version="judge-7"), 0.25, 2)
    assert (answer.text, answer.thoughts, answer.finish_reason) == ("4", "weighing", "STOP")
    assert (answer.model_version, answer.latency_s, answer.attempts) == ("judge-7", 0.25, 2)


@pytest.mark.parametrize(
    ("response", "reason", "detail"),
    [
        (
            _response(
                candidates=False,
                feedback=types.GenerateContentResponsePromptFeedback(block_reason="SAFETY"),
            ),
            "blocked-prompt",
            "SAFETY",
        ),
        (_response(candidates=False), "no-candidates", "the response had no candidates"),
        (_response([types.Part(text="   \n")], finish="MAX_TOKENS"), "no-text", "MAX_TOKENS"),
        (_response([types.Part(text="only thinking", thought=True)], finish=None), "no-text",
         "the response carried no text"),
    ],
    ids=["blocked", "no-candidates", "blank-text", "thoughts-only"],
)  # fmt: skip
def test_text_answers_without_text_are_refused(response, reason, detail):
    with pytest.raises(MethodFailed) as caught:
        parse_text_response(response, 0.0, 1)
    assert (caught.value.reason, caught.value.detail) == (reason, detail)
    assert caught.value.meta == {"model_version": "", "attempts": 1}


# -- through the fake server -------------------------------------------------------------------


@pytest.fixture
def server(monkeypatch):
    with fake_gemini(monkeypatch) as fake:
        yield fake


def test_generate_text_asks_for_text_only_and_returns_the_answer(server):
    server.push(Reply(body=text_response("yes", thoughts=["comparing"])))
    answer = generate_text(
        EditRequest(model="judge", prompt="same?", image=PNG, aspect_ratio="1:1",
                    modalities=("TEXT",)),
        FAKE_KEY,
    )  # fmt: skip
    assert (answer.text, answer.thoughts, answer.model_version) == (
        "yes",
        "comparing",
        "fake-judge-001",
    )
    assert answer.retried == [] and answer.attempts == 1
    (request,) = server.requests
    config = request.json["generationConfig"]
    assert config["responseModalities"] == ["TEXT"] and "imageConfig" not in config


def test_generate_text_refuses_a_blocked_prompt(server):
    server.push(Reply(body=blocked_prompt_response("PROHIBITED_CONTENT")))
    with pytest.raises(MethodFailed) as caught:
        generate_text(EditRequest(model="judge", prompt="p", modalities=("TEXT",)), FAKE_KEY)
    assert caught.value.reason == "blocked-prompt" and caught.value.detail == "PROHIBITED_CONTENT"


def test_a_408_is_retried_and_listed_and_two_images_go_in_order(server):
    server.push(
        Reply(status=408, body=error_body(408, "DEADLINE_EXCEEDED", "slow")),
        Reply(body=image_response(PNG)),
    )
    request = EditRequest(model="m", prompt="p", image=b"one", more_images=(b"two",),
                          aspect_ratio="4:3", max_retries=1)  # fmt: skip
    answer = client.edit_image(request, FAKE_KEY)
    assert answer.image == PNG and answer.attempts == 2
    assert answer.retried == ["HTTP 408 DEADLINE_EXCEEDED: slow"]
    parts = server.requests[1].json["contents"][0]["parts"]
    assert [p["inlineData"]["data"] for p in parts[:2]] == ["b25l", "dHdv"]  # base64 one, two
    assert parts[2]["text"] == "p"
    assert server.requests[1].json["generationConfig"]["imageConfig"]["aspectRatio"] == "4:3"


def test_retries_exhausted_name_the_last_error_and_the_attempts(server):
    server.push(*[Reply(status=503, body=error_body(503, "UNAVAILABLE", "busy"))] * 2)
    with pytest.raises(MethodFailed) as caught:
        client.edit_image(EditRequest(model="m", prompt="p", max_retries=1), FAKE_KEY)
    assert caught.value.reason == "server-error"
    assert caught.value.detail == "HTTP 503 UNAVAILABLE: busy (after 2 attempts)"
    assert caught.value.meta["errors"] == ["HTTP 503 UNAVAILABLE: busy"] * 2
    assert len(server.requests) == 2


def test_a_client_error_is_not_retried_and_its_echoed_key_is_hidden(server, monkeypatch):
    forget_secrets()
    key = "iris-branch-echo-key-3c1d7e"
    monkeypatch.setenv("GEMINI_API_KEY", key)
    server.push(Reply(status=400, body=error_body(400, "INVALID_ARGUMENT", f"bad key {key}")))
    with pytest.raises(MethodFailed) as caught:
        client.edit_image(EditRequest(model="m", prompt="p", max_retries=3), key)
    assert caught.value.reason == "api-error"
    assert caught.value.detail == f"HTTP 400 INVALID_ARGUMENT: bad key {MARKER}"
    assert key not in str(caught.value) and key not in repr(caught.value.meta)
    assert len(server.requests) == 1
    forget_secrets()


def test_a_cancel_set_before_the_call_sends_nothing(server):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        client.edit_image(EditRequest(model="m", prompt="p"), FAKE_KEY, cancel=cancel)
    assert server.requests == []


def test_without_a_base_url_a_set_cancel_still_sends_nothing(monkeypatch):
    monkeypatch.delenv("IRIS_GEMINI_BASE_URL", raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")  # were anything sent, it goes nowhere
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        client.edit_image(EditRequest(model="m", prompt="p"), FAKE_KEY, cancel=cancel)


def test_a_cancel_during_the_back_off_stops_at_once(server, monkeypatch):
    monkeypatch.setenv("IRIS_GEMINI_RETRY_BASE_S", "30")
    server.push(Reply(status=429, body=error_body(429, "RESOURCE_EXHAUSTED")))
    cancel = threading.Event()
    outcome = {}

    def call():
        try:
            client.edit_image(EditRequest(model="m", prompt="p"), FAKE_KEY, cancel=cancel)
        except Cancelled:
            outcome["at"] = time.monotonic()

    thread = threading.Thread(target=call)
    thread.start()
    deadline = time.monotonic() + 5
    while not server.requests and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)  # the 429 answered: the call now sleeps its 30 s back-off
    set_at = time.monotonic()
    cancel.set()
    thread.join(5)
    assert "at" in outcome and outcome["at"] - set_at < 0.5
    assert len(server.requests) == 1, "no retry after the cancel"


def test_a_request_from_inside_a_running_event_loop_works_and_errors_reach_the_caller(server):
    """A notebook or an async script already runs a loop; the request runs on its own."""
    server.push(Reply(body=text_response("yes")))
    server.push(Reply(body=blocked_prompt_response("SAFETY")))
    request = EditRequest(model="judge", prompt="same?", modalities=("TEXT",))

    async def from_async_code():
        answer = generate_text(request, FAKE_KEY)
        with pytest.raises(MethodFailed) as caught:
            generate_text(request, FAKE_KEY)
        return answer.text, caught.value.reason

    assert asyncio.run(from_async_code()) == ("yes", "blocked-prompt")
    assert len(server.requests) == 2
