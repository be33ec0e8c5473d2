"""One Gemini image edit: a cancellable request with bounded retries and a parsed answer.

The async client runs on a private asyncio loop in the calling thread (the
compute worker), polling the cancel event every 20 ms, so a cancel abandons
the request in flight instead of waiting for it. Transient failures (429,
408, 5xx, timeouts, dropped connections) are retried with exponential
back-off; everything else that ends without an image raises
:class:`~core.methods.base.MethodFailed` with a stable reason code.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from core.errors import Cancelled
from core.gemini.config import DEFAULT_IMAGE_SIZE, base_url, retry_base_seconds
from core.methods.base import MethodFailed
from core.redact import redact, redact_data, register_secret

T = TypeVar("T")

POLL_S = 0.02
MAX_BACKOFF_FACTOR = 8
BLOCKED_FINISH = {
    "SAFETY",
    "IMAGE_SAFETY",
    "PROHIBITED_CONTENT",
    "IMAGE_PROHIBITED_CONTENT",
    "BLOCKLIST",
    "SPII",
    "RECITATION",
    "IMAGE_RECITATION",
}


@dataclass
class EditRequest:
    """What to send: the model, the prompt, the input image and the generation settings."""

    model: str
    prompt: str
    image: bytes | None = None
    mime_type: str = "image/png"
    more_images: tuple[bytes, ...] = ()
    """Further input images (same ``mime_type``) sent after ``image``, in order: a step that
    edits two images (the reconstruction's colour patches and edges) sends both in one request."""
    image_size: str | None = DEFAULT_IMAGE_SIZE
    aspect_ratio: str | None = None
    seed: int | None = None
    temperature: float | None = None
    include_thoughts: bool = True
    timeout_s: float = 180.0
    max_retries: int = 4
    modalities: tuple[str, ...] = ("TEXT", "IMAGE")  # ("TEXT",) for judges


@dataclass
class EditResponse:
    """The image and everything the API said about producing it."""

    image: bytes
    mime_type: str
    thoughts: str = ""
    drafts: list[bytes] = field(default_factory=list)
    text: str = ""
    finish_reason: str = ""
    model_version: str = ""
    response_id: str = ""
    usage: dict[str, Any] = field(default_factory=dict)
    latency_s: float = 0.0
    attempts: int = 1
    retried: list[str] = field(default_factory=list)
    """The transient failures (429, 503, timeouts) retried before this answer."""

    def meta(self) -> dict[str, Any]:
        return {
            "finish_reason": self.finish_reason,
            "model_version": self.model_version,
            "response_id": self.response_id,
            "usage": self.usage,
            "latency_s": round(self.latency_s, 4),
            "attempts": self.attempts,
            "retried": list(self.retried),
            "text": self.text,
            "output_mime_type": self.mime_type,
        }


def transient_reason(exc: BaseException) -> str | None:
    """A short code when ``exc`` is worth retrying, else None."""
    from google.genai import errors

    if isinstance(exc, errors.APIError):
        code = int(exc.code or 0)
        if code == 429:
            return "rate-limited"
        if code == 408:
            return "timeout"
        if code >= 500:
            return "server-error"
        return None
    names = {cls.__name__ for cls in type(exc).__mro__}
    if names & {"TimeoutException", "TimeoutError", "ServerTimeoutError"}:
        return "timeout"
    if names & {"TransportError", "ClientConnectionError", "ConnectionError", "ClientOSError"}:
        return "connection"
    return None


def _status_text(exc: BaseException) -> str:
    """One line about ``exc``, redacted: HTTP errors may quote the request, key included."""
    code = getattr(exc, "code", None)
    status = getattr(exc, "status", None)
    message = getattr(exc, "message", None)
    if code is not None:
        return redact(f"HTTP {code} {status or ''}: {message or ''}".strip())
    return redact(f"{type(exc).__name__}: {exc}".strip().rstrip(":"))


def _failed(reason: str, detail: str, meta: dict[str, Any]) -> MethodFailed:
    """A MethodFailed whose text and meta (server-supplied strings) carry no key."""
    return MethodFailed(reason, redact(detail), redact_data(meta))


async def _wait(awaitable, cancel: threading.Event | None):
    """Await ``awaitable`` while watching ``cancel``; a set event cancels it at once."""
    task = asyncio.ensure_future(awaitable)
    while not task.done():
        await asyncio.wait({task}, timeout=POLL_S)
        if cancel is not None and cancel.is_set() and not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
            raise Cancelled()
    return task.result()


async def _sleep(seconds: float, cancel: threading.Event | None) -> None:
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        await asyncio.sleep(min(POLL_S, left))


def _config(request: EditRequest):
    from google.genai import types

    image_config = {}
    if request.image_size and "IMAGE" in request.modalities:
        image_config["image_size"] = request.image_size
    if request.aspect_ratio and "IMAGE" in request.modalities:
        image_config["aspect_ratio"] = request.aspect_ratio
    return types.GenerateContentConfig(
        response_modalities=list(request.modalities),
        image_config=types.ImageConfig(**image_config) if image_config else None,
        thinking_config=types.ThinkingConfig(include_thoughts=request.include_thoughts),
        seed=request.seed,
        temperature=request.temperature,
    )


def parse_response(response, latency_s: float, attempts: int) -> EditResponse:
    """The last non-thought image of the first candidate, or MethodFailed saying why not."""
    usage = response.usage_metadata.model_dump(mode="json", exclude_none=True) if (
        response.usage_metadata
    ) else {}  # fmt: skip
    common = {
        "model_version": response.model_version or "",
        "usage": usage,
        "latency_s": round(latency_s, 4),
        "attempts": attempts,
    }
    if not response.candidates:
        feedback = response.prompt_feedback
        if feedback is not None and feedback.block_reason is not None:
            reason = getattr(feedback.block_reason, "value", str(feedback.block_reason))
            detail = reason + (
                f" ({feedback.block_reason_message})" if feedback.block_reason_message else ""
            )
            raise _failed("blocked-prompt", detail, {**common, "block_reason": reason})
        raise _failed("no-candidates", "the response had no candidates", common)
    candidate = response.candidates[0]
    finish = candidate.finish_reason
    finish = getattr(finish, "value", str(finish)) if finish is not None else ""
    parts = (candidate.content.parts if candidate.content else None) or []
    thoughts = redact("\n\n".join(p.text for p in parts if p.thought and p.text))
    text = redact("\n\n".join(p.text for p in parts if not p.thought and p.text))
    drafts = [
        p.inline_data.data for p in parts if p.thought and p.inline_data and p.inline_data.data
    ]
    images = [p for p in parts if not p.thought and p.inline_data and p.inline_data.data]
    meta = {**common, "finish_reason": finish, "thoughts": thoughts, "text": text}
    if not images:
        if finish in BLOCKED_FINISH:
            raise _failed("blocked-output", finish, meta)
        raise _failed("no-image", finish or "the response carried no image", meta)
    final = images[-1].inline_data
    return EditResponse(
        image=final.data,
        mime_type=final.mime_type or "image/png",
        thoughts=thoughts,
        drafts=drafts,
        text=text,
        finish_reason=finish,
        model_version=response.model_version or "",
        response_id=response.response_id or "",
        usage=usage,
        latency_s=latency_s,
        attempts=attempts,
    )


@dataclass
class TextResponse:
    """A text answer (a judge's rating or yes/no) and what the API said about it."""

    text: str
    thoughts: str = ""
    finish_reason: str = ""
    model_version: str = ""
    latency_s: float = 0.0
    attempts: int = 1
    retried: list[str] = field(default_factory=list)


def parse_text_response(response, latency_s: float, attempts: int) -> TextResponse:
    """The non-thought text of the first candidate, or MethodFailed saying why there is none."""
    meta = {"model_version": response.model_version or "", "attempts": attempts}
    if not response.candidates:
        feedback = response.prompt_feedback
        if feedback is not None and feedback.block_reason is not None:
            reason = getattr(feedback.block_reason, "value", str(feedback.block_reason))
            raise _failed("blocked-prompt", reason, meta)
        raise _failed("no-candidates", "the response had no candidates", meta)
    candidate = response.candidates[0]
    finish = candidate.finish_reason
    finish = getattr(finish, "value", str(finish)) if finish is not None else ""
    parts = (candidate.content.parts if candidate.content else None) or []
    text = redact("\n\n".join(p.text for p in parts if not p.thought and p.text))
    if not text.strip():
        raise _failed("no-text", finish or "the response carried no text", meta)
    return TextResponse(
        text=text,
        thoughts=redact("\n\n".join(p.text for p in parts if p.thought and p.text)),
        finish_reason=finish,
        model_version=response.model_version or "",
        latency_s=latency_s,
        attempts=attempts,
    )


async def _edit(
    request: EditRequest, key: str, cancel: threading.Event | None, parse=parse_response
):
    from google import genai
    from google.genai import types

    http = {"timeout": int(request.timeout_s * 1000)}
    if base_url():
        http.update(base_url=base_url(), api_version="v1beta")
    register_secret(key)  # whoever passed it, no message about this request may show it
    client = genai.Client(api_key=key, http_options=types.HttpOptions(**http))
    contents: list[Any] = []
    images = ([request.image] if request.image is not None else []) + list(request.more_images)
    for image in images:
        contents.append(types.Part.from_bytes(data=image, mime_type=request.mime_type))
    contents.append(request.prompt)
    config = _config(request)
    failures: list[str] = []
    try:
        for attempt in range(1, request.max_retries + 2):
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            start = time.perf_counter()
            try:
                response = await _wait(
                    client.aio.models.generate_content(
                        model=request.model, contents=contents, config=config
                    ),
                    cancel,
                )
            except Cancelled:
                raise
            except Exception as exc:
                reason = transient_reason(exc)
                failures.append(_status_text(exc))
                meta = {"attempts": attempt, "errors": failures}
                if reason is None:
                    if isinstance(exc, ValueError):  # JSON or schema errors in the answer
                        raise _failed("bad-response", _status_text(exc), meta) from None
                    raise _failed("api-error", _status_text(exc), meta) from None
                if attempt > request.max_retries:
                    detail = f"{failures[-1]} (after {attempt} attempts)"
                    raise _failed(reason, detail, meta) from None
                factor = min(2 ** (attempt - 1), MAX_BACKOFF_FACTOR)
                await _sleep(retry_base_seconds() * factor, cancel)
                continue
            answer = parse(response, time.perf_counter() - start, attempt)
            answer.retried = failures
            return answer
    finally:
        with contextlib.suppress(Exception):
            await client.aio.aclose()
        with contextlib.suppress(Exception):
            client.close()
    raise AssertionError("unreachable")  # pragma: no cover


def edit_image(
    request: EditRequest, key: str, *, cancel: threading.Event | None = None
) -> EditResponse:
    """Send ``request`` and wait for the image; raises MethodFailed, Cancelled."""
    return run_on_own_loop(lambda: _edit(request, key, cancel))


def generate_text(
    request: EditRequest, key: str, *, cancel: threading.Event | None = None
) -> TextResponse:
    """Send ``request`` (an optional image and a prompt) and wait for a text answer.

    The same cancellable, retrying request as :func:`edit_image`; judges use it.
    """
    return run_on_own_loop(lambda: _edit(request, key, cancel, parse_text_response))


def run_on_own_loop(make_coroutine: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a coroutine to its end on a fresh event loop in a short-lived thread of its own.

    ``asyncio.run`` refuses to start inside a thread whose loop is already running (a
    notebook, an async script calling IRIS), so the request always gets its own thread and
    loop; the caller blocks until it ends and gets its result or its exception. A side
    effect that matters for measuring: CPython 3.11 loses a tracer's frame stack when a
    task with a ``finally`` is cancelled (anyio's connection race does that), which left
    coverage misattributing the caller's lines; a thread that ends takes that with it.
    """
    outcome: dict[str, Any] = {}

    def body() -> None:
        try:
            outcome["value"] = asyncio.run(make_coroutine())
        except BaseException as exc:  # handed to the caller, raised there
            outcome["error"] = exc

    thread = threading.Thread(target=body, name="iris-gemini-request", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
