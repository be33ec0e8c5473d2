"""The kinds and statuses a project's rows may hold, as string enums checked on every write.

They are ``StrEnum`` members, so ``run.kind == "iterate"`` and JSON output keep working;
rows read back hold plain strings (an old project may hold kinds IRIS no longer writes).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar


class ImageKind(StrEnum):
    """Where an image came from."""

    IMPORTED = "imported"
    DEGRADED = "degraded"
    RESTORED = "restored"
    STEP = "step"
    METHOD_OUTPUT = "method_output"
    DERIVED = "derived"
    GROUND_TRUTH = "ground_truth"  # a benchmark's truth a decoded map is evaluated against


class MethodKind(StrEnum):
    """How a method runs: offline code, a model file, a remote editor, or outputs made elsewhere."""

    CLASSICAL = "classical"
    MODEL = "model"
    EDITOR = "editor"
    IMPORTED = "imported"


class RunKind(StrEnum):
    """A restore batch (also imported outputs) or an iterative edit chain."""

    RESTORE = "restore"
    ITERATE = "iterate"


class RunStatus(StrEnum):
    """Where a run is in its lifecycle: running -> done / cancelled / failed / blocked."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"
    BLOCKED = "blocked"


class ResultStatus(StrEnum):
    """One result of a run."""

    OK = "ok"
    FAILED = "failed"


E = TypeVar("E", bound=StrEnum)


def checked(kind: type[E], value: str, what: str) -> E:
    """``value`` as a member of ``kind``; an unknown value raises ValueError naming the known."""
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(member.value for member in kind)
        raise ValueError(f"unknown {what} {value!r}; known: {known}") from None
