"""core/gemini/method.py's ``run_gemini``: how the parameters become the request (seed and
temperature -1 mean "none", ``auto`` aspect means none, a multi-input step sends every image),
the prompt's metadata, and the untrusted answer: undecodable image or draft bytes become a
``bad-image`` failure whose text and meta hold no key, and a failed request keeps the prompt.

The request itself is pinned against the fake server elsewhere; here ``edit_image`` is replaced
by a stand-in that records the request and answers with ``parse_response`` of a real
google-genai response object, so the code after the request is measured (the anyio sockets of
a real request leave coverage's tracer unbalanced for the rest of the calling frame).
"""

from __future__ import annotations

import threading

import numpy as np
import pytest
from google.genai import types

from core.errors import Cancelled
from core.gemini import client
from core.gemini.keys import MissingApiKey
from core.gemini.method import GEMINI, run_gemini
from core.imageio import encode_png, load_image
from core.methods.base import MethodContext, MethodFailed
from core.redact import MARKER, forget_secrets
from tests.fakes.gemini_server import FAKE_KEY

PIXELS = np.full((8, 8, 3), 0.5, np.float32)


def _answer(image: bytes, drafts=(), text: str = "") -> types.GenerateContentResponse:
    parts = [types.Part(inline_data=types.Blob(data=d, mime_type="image/png"), thought=True)
             for d in drafts]  # fmt: skip
    if text:
        parts.append(types.Part(text=text))
    parts.append(types.Part(inline_data=types.Blob(data=image, mime_type="image/png")))
    return types.GenerateContentResponse(
        candidates=[types.Candidate(content=types.Content(parts=parts), finish_reason="STOP")],
        model_version="stand-in-1",
    )


@pytest.fixture
def editor(monkeypatch):
    """Replace the request with a stand-in; ``editor.answer`` or ``editor.fail`` says what it does."""
    monkeypatch.setenv("GEMINI_API_KEY", FAKE_KEY)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")

    class StandIn:
        answer: types.GenerateContentResponse | None = None
        fail: MethodFailed | None = None
        calls: list = []

        def __call__(self, request, key, *, cancel=None):
            self.calls.append((request, key))
            if self.fail is not None:
                raise self.fail
            return client.parse_response(self.answer, 0.5, 1)

    stand_in = StandIn()
    stand_in.calls = []
    monkeypatch.setattr(client, "edit_image", stand_in)
    return stand_in


def _run(params=None, extra=None, project_dir=None, cancel=None):
    values = {**GEMINI.defaults(), **(params or {})}
    return run_gemini(
        PIXELS, values, progress=lambda *a: None, cancel=cancel,
        context=MethodContext(project_dir=project_dir, extra=extra or {}),
    )  # fmt: skip


def test_defaults_send_no_seed_temperature_or_aspect(editor):
    out_png = encode_png(np.full((6, 10, 3), 0.2, np.float32))
    editor.answer = _answer(out_png, drafts=[encode_png(PIXELS)], text="done")
    output = _run()
    ((request, key),) = editor.calls
    assert key == FAKE_KEY
    assert (request.seed, request.temperature, request.aspect_ratio) == (None, None, None)
    assert request.image_size == "2K" and request.more_images == () and request.max_retries == 4
    assert np.array_equal(load_image(request.image).pixels, load_image(encode_png(PIXELS)).pixels)
    assert output.pixels.shape == (6, 10, 3) and len(output.drafts) == 1
    assert output.encoded == out_png and output.thoughts is None
    assert output.meta["prompt_id"] == "LF3" and output.meta["input_count"] == 1
    assert output.meta["model_version"] == "stand-in-1" and output.meta["text"] == "done"


def test_set_values_and_every_input_image_go_into_the_request(editor, project):
    editor.answer = _answer(encode_png(PIXELS))
    second = np.zeros((4, 4, 3), np.float32)
    params = {
        "seed": 0,
        "temperature": 0.0,
        "aspect_ratio": "21:9",
        "thoughts": False,
        "timeout_s": 5.0,
        "retries": 0,
        "prompt": "Make the sky blue",
        "image_size": "1K",
    }
    output = _run(params, extra={"input_images": [PIXELS, second]}, project_dir=str(project.path))
    ((request, _),) = editor.calls
    assert (request.seed, request.temperature, request.aspect_ratio) == (0, 0.0, "21:9")
    assert (request.include_thoughts, request.timeout_s, request.max_retries) == (False, 5.0, 0)
    assert request.prompt == "Make the sky blue" and request.image_size == "1K"
    assert request.more_images == (encode_png(second),)
    assert output.meta["input_count"] == 2 and output.meta["prompt_id"] == ""


@pytest.mark.parametrize("where", ["image", "draft"])
def test_undecodable_answer_bytes_are_a_bad_image_without_the_key(editor, where):
    forget_secrets()
    junk = b"\x89PNG\r\n\x1a\n" + f"junk {FAKE_KEY}".encode()
    good = encode_png(PIXELS)
    editor.answer = (
        _answer(junk, text=f"echo {FAKE_KEY}") if where == "image"
        else _answer(good, drafts=[junk], text=f"echo {FAKE_KEY}")
    )  # fmt: skip
    with pytest.raises(MethodFailed) as caught:
        _run()
    failure = caught.value
    assert failure.reason == "bad-image"
    assert failure.meta["prompt_id"] == "LF3" and failure.meta["text"] == f"echo {MARKER}"
    assert FAKE_KEY not in str(failure) and FAKE_KEY not in repr(failure.meta)
    forget_secrets()


def test_a_failed_request_keeps_the_prompt_in_its_meta(editor):
    editor.fail = MethodFailed("blocked-prompt", "SAFETY", {"attempts": 1})
    with pytest.raises(MethodFailed) as caught:
        _run({"model": "gemini-2.5-flash-image"})
    meta = caught.value.meta
    assert meta["attempts"] == 1 and meta["model"] == "gemini-2.5-flash-image"
    assert meta["prompt_id"] == "LF3" and meta["input_count"] == 1
    assert meta["prompt_library"] == "nano_banana2_restoration"


def test_a_set_cancel_sends_nothing(editor):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        _run(cancel=cancel)
    assert editor.calls == []


def test_instance_names_and_the_key_check(monkeypatch):
    assert GEMINI.stored_name({**GEMINI.defaults(), "model": "x-image"}) == "gemini:x-image"
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    with pytest.raises(MissingApiKey, match="GEMINI_API_KEY"):
        GEMINI.check({})
