"""One small owner of a view's background jobs (Orange3's ``ConcurrentMixin`` is the model).

``start`` cancels the owner's previous job; callbacks of a job that is no longer
the owner's current one are dropped, so a stale result can never reach the view;
``done`` / ``failed`` / ``partial`` / ``progress`` / ``finished`` are routed to
the callbacks given; and when the job ends, what it declared it changes is
announced on the project session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject

from app.session import ProjectChange, ProjectSession
from app.worker import ComputeWorker, JobHandle


class JobOwner(QObject):
    """Runs at most one job at a time for its owner (a view, a panel, a tool)."""

    def __init__(
        self,
        worker: ComputeWorker,
        session: ProjectSession | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.worker = worker
        self.session = session
        self.handle: JobHandle | None = None

    @property
    def busy(self) -> bool:
        return self.handle is not None and not self.handle.is_finished

    def cancel(self) -> None:
        """Cancel the current job (its callbacks are dropped from now on)."""
        if self.handle is not None and not self.handle.is_finished:
            self.handle.cancel()
        self.handle = None

    def start(
        self,
        fn: Callable[..., Any],
        *args: Any,
        name: str,
        on_done: Callable[[Any], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
        on_partial: Callable[[Any], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_finished: Callable[[str], None] | None = None,
        partial_to: str | None = None,
        changes: ProjectChange = ProjectChange.NONE,
        **kwargs: Any,
    ) -> JobHandle | None:
        """Cancel the previous job, then submit ``fn``; returns the new job's handle.

        Returns None once the worker is shut down (a view's timer firing while the
        application closes): there is nobody left to run it or to show its result.
        """
        self.cancel()
        if not self.worker.is_running():
            return None
        handle = self.worker.submit(fn, *args, name=name, partial_to=partial_to, **kwargs)
        self.handle = handle

        def current(callback: Callable[..., None] | None) -> Callable[..., None]:
            def forward(*values: Any) -> None:
                if callback is not None and self.handle is handle:
                    callback(*values)

            return forward

        handle.succeeded.connect(current(on_done))
        handle.failed.connect(current(lambda message, _trace: on_failed and on_failed(message)))
        handle.partial.connect(current(on_partial))
        handle.progress.connect(current(on_progress))
        handle.finished.connect(lambda state: self._ended(handle, state, changes, on_finished))
        return handle

    def _ended(
        self,
        handle: JobHandle,
        state: str,
        changes: ProjectChange,
        on_finished: Callable[[str], None] | None,
    ) -> None:
        # A superseded job may still have written (a cancelled import keeps what it
        # committed), so its changes are announced whoever owns the view now.
        if self.session is not None:
            self.session.notify(changes, self)
        if self.handle is handle:
            self.handle = None
            if on_finished is not None:
                on_finished(state)
