"""The one run lifecycle: ``running`` -> ``done`` / ``cancelled`` / ``failed`` / ``blocked``.

Every run that does work (a restore batch, an iterative chain, a resumed chain)
goes through :func:`running`, so the statuses and error texts are written in one
place: :class:`~core.Cancelled` ends a run ``cancelled`` ("cancelled by the
user"), any other exception ends it ``failed`` with ``Type: message`` (redacted)
and is re-raised, and a block that completes ends it ``done`` unless it said
otherwise through :meth:`RunEnd.end` (a blocked step, every result failed).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from core.errors import Cancelled
from core.project.kinds import RunStatus, checked
from core.redact import error_text, redact

if TYPE_CHECKING:
    from core.project.store import Project

CANCELLED_TEXT = "cancelled by the user"
ENDINGS = (RunStatus.DONE, RunStatus.FAILED, RunStatus.BLOCKED, RunStatus.CANCELLED)


class RunEnd:
    """How the run of a :func:`running` block ends when the block completes."""

    def __init__(self) -> None:
        self.status = RunStatus.DONE
        self.error: str | None = None

    def end(self, status: str, error: str | None = None) -> None:
        """End the run ``status`` (done, failed, blocked, cancelled) with ``error`` (redacted)."""
        status = checked(RunStatus, status, "run status")
        if status not in ENDINGS:
            raise ValueError(
                f"a run cannot end {status.value!r}; it ends one of {', '.join(ENDINGS)}"
            )
        self.status = status
        self.error = redact(error) if error else None


@contextlib.contextmanager
def running(project: Project, run_id: int) -> Iterator[RunEnd]:
    """Mark run ``run_id`` running, do the block, then write how it ended (once, here)."""
    project.set_run_status(run_id, RunStatus.RUNNING)
    ending = RunEnd()
    try:
        yield ending
    except Cancelled:
        project.set_run_status(run_id, RunStatus.CANCELLED, CANCELLED_TEXT)
        raise
    except BaseException as exc:
        project.set_run_status(run_id, RunStatus.FAILED, error_text(exc))
        raise
    project.set_run_status(run_id, ending.status, ending.error)
