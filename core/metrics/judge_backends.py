"""Judge backends: how a VLM or LLM judge is asked, and which model it uses by default.

:data:`BACKENDS` maps ``gemini`` (through :mod:`core.gemini.client`: same retries, cancel
and endpoint override) and ``local`` (``core.local_models.vlm.ask``, a local VLM such as
RealRestorer's Qwen3-VL-8B-Instruct, imported on first use) to one
``ask(model, prompt, image, mime, cancel) -> str``. :func:`judge_version` names what a
stored judgement depends on (backend, model, prompt id, task, prompt text), so changing
any of them asks again. Used by :mod:`core.metrics.judges` (severity) and
:mod:`core.metrics.thought_judge` (Banana100's self-evaluation).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.errors import IrisError

JUDGE_MODEL_ENV = "IRIS_JUDGE_MODEL"
DEFAULT_SEVERITY_MODEL = "gemini-2.5-flash"  # IRIS's choice for the gemini backend
PAPER_SEVERITY_MODEL = "Qwen3-VL-8B-Instruct"  # RealRestorer's judge (a local VLM)
DEFAULT_THOUGHT_MODEL = "gemini-3-flash-preview"  # Banana100's "Gemini-3-flash" (section 4.3)
MANUAL = "manual"
ANSWER_KEEP = 2000  # characters of an answer kept in its record


def _ask_gemini(model: str, prompt: str, image: bytes | None, mime: str, cancel) -> str:
    from core.gemini.client import EditRequest, generate_text
    from core.gemini.keys import api_key

    request = EditRequest(
        model=model,
        prompt=prompt,
        image=image,
        mime_type=mime,
        image_size=None,
        include_thoughts=False,
        timeout_s=60.0,
        modalities=("TEXT",),
    )
    return generate_text(request, api_key(), cancel=cancel).text


LOCAL_MISSING = (
    "the 'local' judge needs IRIS's local-model runtime (core.local_models.vlm), "
    "which this installation does not have; use --judge gemini"
)


def _ask_local(model: str, prompt: str, image: bytes | None, mime: str, cancel) -> str:
    try:
        from core.local_models import vlm
    except ModuleNotFoundError as exc:
        if exc.name in ("core.local_models", "core.local_models.vlm"):
            raise IrisError(LOCAL_MISSING) from None
        raise
    return str(vlm.ask(model, prompt, image, mime, cancel))


def _gemini_default(kind: str) -> str:
    fallback = DEFAULT_THOUGHT_MODEL if kind == "thoughts" else DEFAULT_SEVERITY_MODEL
    return os.environ.get(JUDGE_MODEL_ENV, "").strip() or fallback


def _local_default(kind: str) -> str:
    raise IrisError(
        f"the local judge needs --model FOLDER (a vision-language model folder; the paper's "
        f"severity judge is {PAPER_SEVERITY_MODEL})"
    )


@dataclass(frozen=True)
class Backend:
    """How a judge model is asked, and which model it uses when none is given."""

    ask: Callable[[str, str, bytes | None, str, Any], str]
    default_model: Callable[[str], str]


BACKENDS: dict[str, Backend] = {
    "gemini": Backend(_ask_gemini, _gemini_default),
    "local": Backend(_ask_local, _local_default),
}


def backend(name: str) -> Backend:
    if name not in BACKENDS:
        raise IrisError(f"unknown judge {name!r}; known: {', '.join([*BACKENDS, MANUAL])}")
    return BACKENDS[name]


def judge_model(kind: str = "severity") -> str:
    """The Gemini model that judges when none is given (``IRIS_JUDGE_MODEL`` first)."""
    return _gemini_default(kind)


def judge_version(judge: str, model: str, prompt_id: str, task: str, text: str) -> str:
    """The metric version of a judgement: backend, model, prompt id, task, prompt digest."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    return f"{judge}:{model}|{prompt_id}|{task or '-'}|{digest}"
