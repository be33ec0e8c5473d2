"""A scriptable fake of the Gemini ``generateContent`` endpoint on 127.0.0.1.

Tests drive the real ``google-genai`` client against it (``IRIS_GEMINI_BASE_URL``)::

    with FakeGeminiServer() as server:
        server.push(Reply(status=429, body=error_body(429, "RESOURCE_EXHAUSTED")))
        server.push(Reply(body=image_response(png, thoughts=["Planning..."])))
        ... run the method with base_url=server.url ...
        assert len(server.requests) == 2

Each request takes the next queued :class:`Reply` (or ``default`` when the
queue is empty). A reply sets the status, the JSON (or raw) body, a delay
before answering, or ``drop=True`` to close the connection without an answer.
Every request is recorded (path, headers, parsed JSON) for assertions.
"""

from __future__ import annotations

import base64
import contextlib
import json
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """What the fake answers to one request."""

    status: int = 200
    body: dict | str | bytes | None = None
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body or b"null")


def error_body(code: int, status: str, message: str = "fake error") -> dict:
    """The error envelope the Gemini API sends with 4xx/5xx answers."""
    return {"error": {"code": code, "message": message, "status": status}}


def _inline(png: bytes, mime: str = "image/png") -> dict:
    return {"inlineData": {"mimeType": mime, "data": base64.b64encode(png).decode("ascii")}}


def image_response(
    png: bytes,
    *,
    thoughts: list[str] | None = None,
    drafts: list[bytes] | None = None,
    text: str | None = None,
    finish_reason: str = "STOP",
    model_version: str = "fake-model-001",
    usage: dict | None = None,
    mime_type: str = "image/png",
) -> dict:
    """A successful answer: thought parts (text and draft images), then the final image."""
    parts: list[dict] = [{"text": t, "thought": True} for t in thoughts or []]
    parts += [{**_inline(d), "thought": True} for d in drafts or []]
    if text:
        parts.append({"text": text})
    parts.append(_inline(png, mime_type))
    return {
        "candidates": [
            {"content": {"role": "model", "parts": parts}, "finishReason": finish_reason}
        ],
        "usageMetadata": usage
        or {
            "promptTokenCount": 300,
            "candidatesTokenCount": 1290,
            "thoughtsTokenCount": 120,
            "totalTokenCount": 1710,
        },  # fmt: skip
        "modelVersion": model_version,
        "responseId": "fake-response",
    }


def text_response(text: str, *, thoughts: list[str] | None = None) -> dict:
    """A successful text-only answer (what a judge gets back)."""
    parts: list[dict] = [{"text": t, "thought": True} for t in thoughts or []]
    parts.append({"text": text})
    return {
        "candidates": [{"content": {"role": "model", "parts": parts}, "finishReason": "STOP"}],
        "usageMetadata": {"promptTokenCount": 50, "totalTokenCount": 52},
        "modelVersion": "fake-judge-001",
    }


def blocked_prompt_response(reason: str = "SAFETY") -> dict:
    """The prompt itself was blocked: no candidates, a ``promptFeedback.blockReason``."""
    return {
        "promptFeedback": {"blockReason": reason},
        "usageMetadata": {"promptTokenCount": 300, "totalTokenCount": 300},
        "modelVersion": "fake-model-001",
    }


def finish_response(reason: str, text: str | None = None) -> dict:
    """A candidate that ended without an image (IMAGE_SAFETY, NO_IMAGE, ...)."""
    candidate: dict[str, Any] = {"finishReason": reason}
    if text:
        candidate["content"] = {"role": "model", "parts": [{"text": text}]}
    return {
        "candidates": [candidate],
        "usageMetadata": {"promptTokenCount": 300, "totalTokenCount": 300},
        "modelVersion": "fake-model-001",
    }


class FakeGeminiServer:
    """A threaded HTTP server on 127.0.0.1 with a queue of scripted replies."""

    def __init__(self, default: Reply | None = None) -> None:
        self.default = default or Reply(status=500, body=error_body(500, "INTERNAL", "no reply"))
        self.replies: deque[Reply] = deque()
        self.requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting -------------------------------------------------------------------

    def push(self, *replies: Reply) -> None:
        with self._lock:
            self.replies.extend(replies)

    def _next(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            return self.replies.popleft() if self.replies else self.default

    # -- lifecycle -------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None, "start the server first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeGeminiServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802 (http.server API)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = RecordedRequest("POST", self.path, dict(self.headers.items()), body)
                reply = fake._next(request)
                if reply.delay and fake._stopping.wait(reply.delay):
                    return
                if reply.drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if isinstance(reply.body, dict | list):
                    data = json.dumps(reply.body).encode()
                elif isinstance(reply.body, str):
                    data = reply.body.encode()
                else:
                    data = reply.body or b""
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json; charset=UTF-8")
                    self.send_header("Content-Length", str(len(data)))
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client went away (cancel, timeout)
                    self.close_connection = True

            do_GET = do_POST  # noqa: N815

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="fake-gemini", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self) -> FakeGeminiServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


FAKE_KEY = "iris-test-key-not-a-secret-7f3a9c21"
"""A dummy API key: unique enough to search the project and logs for after a test."""


@contextlib.contextmanager
def fake_gemini(
    monkeypatch, key: str = FAKE_KEY, **server_options: Any
) -> Iterator[FakeGeminiServer]:
    """A running fake server with the real client pointed at it: dummy key, no OS keyring,
    fast retries. ``server_options`` go to :class:`FakeGeminiServer` (``default=Reply(...)``)."""
    monkeypatch.setenv("GEMINI_API_KEY", key)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    monkeypatch.setenv("IRIS_GEMINI_RETRY_BASE_S", "0.01")
    with FakeGeminiServer(**server_options) as fake:
        monkeypatch.setenv("IRIS_GEMINI_BASE_URL", fake.url)
        yield fake
