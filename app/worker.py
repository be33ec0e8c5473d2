"""The compute worker: one long-lived QThread that runs heavy jobs one at a time.

It owns torch state (models, the CUDA context, the current device), so GPU
work never runs on the UI thread and never runs twice at once. A job is a plain
core function ``fn(*args, progress=..., cancel=..., **kwargs)``; the GUI gets a
:class:`JobHandle` whose signals report progress, the result, the error (with
its traceback) or the cancellation.

Cancel is a per-job ``threading.Event`` set directly from the GUI thread: a
queued "cancel" slot would wait behind the running job. The progress callback
handed to the job raises :class:`core.Cancelled` at the next progress point
after the event is set, so even a job that never polls stops there.
"""

from __future__ import annotations

import itertools
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from core.device import DeviceInfo, resolve_device
from core.errors import Cancelled, IrisError
from core.redact import redact
from core.thread_trace import follow_tracer

PROGRESS_INTERVAL_S = 0.05
_RUNNING_WORKERS: set[ComputeWorker] = set()


def running_workers() -> list[ComputeWorker]:
    """Workers whose thread has not been shut down (tests assert this is empty)."""
    return [w for w in _RUNNING_WORKERS if w.is_running()]


class JobHandle(QObject):
    """The GUI side of one job: its state, its cancel event and its signals."""

    started = Signal()
    progress = Signal(int, int)
    partial = Signal(object)  # one unit of the result as it is made (a step, an image's result)
    succeeded = Signal(object)
    failed = Signal(str, str)  # message, traceback
    cancelled = Signal()
    finished = Signal(str)  # the final state: done, failed or cancelled

    def __init__(self, job_id: int, name: str) -> None:
        super().__init__()
        self.id = job_id
        self.name = name
        self.state = "queued"
        self.cancel_event = threading.Event()
        self.result: Any = None
        self.error: str | None = None
        self.traceback: str | None = None
        self.log_path: str | None = None
        """Where an unexpected error's traceback was logged (None for an IrisError)."""
        self.last_progress: tuple[int, int] = (0, 0)

    def cancel(self) -> None:
        """Ask the job to stop; it ends at its next progress or cancel check."""
        self.cancel_event.set()

    @property
    def is_finished(self) -> bool:
        return self.state in ("done", "failed", "cancelled")


@dataclass
class _Job:
    id: int
    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    cancel: threading.Event = field(default_factory=threading.Event)


class _Executor(QObject):
    """Lives in the worker thread; runs each job it receives, in order."""

    job_started = Signal(int)
    job_progress = Signal(int, int, int)
    job_partial = Signal(int, object)
    job_succeeded = Signal(int, object)
    job_failed = Signal(int, str, str, str)  # id, message, traceback, log path ("" for IrisError)
    job_cancelled = Signal(int)

    @Slot(object)
    def run(self, job: _Job) -> None:
        follow_tracer()  # coverage and debuggers reach the Qt-started worker thread too
        if job.cancel.is_set():
            self.job_cancelled.emit(job.id)
            return
        self.job_started.emit(job.id)
        last_emit = 0.0

        def progress(done: int, total: int) -> None:
            nonlocal last_emit
            if job.cancel.is_set():
                raise Cancelled()
            now = time.monotonic()
            if now - last_emit >= PROGRESS_INTERVAL_S or done >= total:
                last_emit = now
                self.job_progress.emit(job.id, int(done), int(total))

        try:
            result = job.fn(*job.args, progress=progress, cancel=job.cancel, **job.kwargs)
        except Cancelled:
            self.job_cancelled.emit(job.id)
        except BaseException as exc:  # every failure must reach the GUI, never kill the thread
            self._report_failure(job, exc)
        else:
            if job.cancel.is_set():
                self.job_cancelled.emit(job.id)
            else:
                self.job_succeeded.emit(job.id, result)

    def _report_failure(self, job: _Job, exc: BaseException) -> None:
        """Emit the redacted error; an unexpected one (a bug) also goes to the log file."""
        trace = redact(traceback.format_exc())
        if isinstance(exc, IrisError):
            self.job_failed.emit(job.id, redact(str(exc)), trace, "")  # its message is for users
            return
        from core.crashlog import one_line, record_crash

        log = record_crash(exc, f"job {getattr(job.fn, '__name__', 'job')}")
        self.job_failed.emit(job.id, one_line(exc), trace, str(log or "<not written>"))


def _resolve_device_job(choice: str, *, progress: Callable, cancel: threading.Event) -> DeviceInfo:
    return resolve_device(choice)


def _warm_metrics_job(choice: str, *, progress: Callable, cancel: threading.Event) -> bool:
    from core.metrics.warm import warm_up_metrics

    return warm_up_metrics(resolve_device(choice).name, progress=progress, cancel=cancel)


class ComputeWorker(QObject):
    """GUI-thread facade of the compute thread. Create once; call :meth:`shutdown` at exit."""

    job_started = Signal(object)
    job_progress = Signal(object, int, int)
    job_finished = Signal(object)
    device_changed = Signal(object)
    _submit = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._jobs: dict[int, tuple[_Job, JobHandle]] = {}
        self.device: DeviceInfo | None = None
        self._thread = QThread()
        self._thread.setObjectName("iris-compute")
        self._executor = _Executor()
        self._executor.moveToThread(self._thread)
        self._submit.connect(self._executor.run)
        self._executor.job_started.connect(self._on_started)
        self._executor.job_progress.connect(self._on_progress)
        self._executor.job_partial.connect(self._on_partial)
        self._executor.job_succeeded.connect(self._on_succeeded)
        self._executor.job_failed.connect(self._on_failed)
        self._executor.job_cancelled.connect(self._on_cancelled)
        self._thread.finished.connect(self._executor.deleteLater)
        self._thread.start()
        _RUNNING_WORKERS.add(self)

    # -- submitting and cancelling -------------------------------------------------

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        name: str = "",
        partial_to: str | None = None,
        **kwargs: Any,
    ) -> JobHandle:
        """Queue ``fn(*args, progress=, cancel=, **kwargs)``; returns its handle at once.

        ``partial_to`` names the keyword through which ``fn`` reports partial results
        (``iterate(on_step=...)``, ``restore_images(on_result=...)``): each one it passes
        arrives on the GUI thread as the handle's ``partial`` signal.
        """
        if not self.is_running():
            raise RuntimeError("the compute worker has been shut down")
        job_id = next(self._ids)
        if partial_to is not None:
            emit = self._executor.job_partial.emit
            kwargs[partial_to] = lambda item, job_id=job_id: emit(job_id, item)
        job = _Job(job_id, fn, args, kwargs)
        handle = JobHandle(job.id, name or getattr(fn, "__name__", "job"))
        handle.cancel_event = job.cancel
        self._jobs[job.id] = (job, handle)
        self._submit.emit(job)
        return handle

    def set_device(self, choice: str) -> JobHandle:
        """Resolve the device setting on the compute thread (torch is imported there)."""
        handle = self.submit(_resolve_device_job, choice, name="device")
        handle.succeeded.connect(self._on_device)
        return handle

    def prepare_compute(self, choice: str) -> list[JobHandle]:
        """At start: resolve the device, then warm the metric library (core/metrics/warm.py).

        Both run on the compute thread before any job the user starts, so the imports that
        hold the GIL happen once, at start, and not while the user scores.
        """
        device = self.set_device(choice)
        warm = self.submit(_warm_metrics_job, choice, name="prepare metrics")
        return [device, warm]

    def _on_device(self, info: DeviceInfo) -> None:
        self.device = info
        self.device_changed.emit(info)

    @property
    def device_name(self) -> str:
        return self.device.name if self.device else "cpu"

    def active_jobs(self) -> list[JobHandle]:
        return [handle for _job, handle in self._jobs.values()]

    def cancel_all(self) -> None:
        for job, _handle in self._jobs.values():
            job.cancel.set()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel every job, stop the thread and wait for it; True when it stopped."""
        self.cancel_all()
        self._thread.quit()
        stopped = self._thread.wait(timeout_ms)
        if stopped:
            _RUNNING_WORKERS.discard(self)
        return stopped

    # -- signals from the compute thread (delivered on the GUI thread) --------------------

    def _handle(self, job_id: int) -> JobHandle | None:
        entry = self._jobs.get(job_id)
        return entry[1] if entry else None

    def _on_started(self, job_id: int) -> None:
        handle = self._handle(job_id)
        if handle:
            handle.state = "running"
            handle.started.emit()
            self.job_started.emit(handle)

    def _on_progress(self, job_id: int, done: int, total: int) -> None:
        handle = self._handle(job_id)
        if handle and not handle.is_finished:
            handle.last_progress = (done, total)
            handle.progress.emit(done, total)
            self.job_progress.emit(handle, done, total)

    def _on_partial(self, job_id: int, item: object) -> None:
        handle = self._handle(job_id)
        if handle and not handle.is_finished:
            handle.partial.emit(item)

    def _finish(self, job_id: int, state: str) -> JobHandle | None:
        entry = self._jobs.pop(job_id, None)
        if entry is None:
            return None
        entry[1].state = state
        return entry[1]

    def _on_succeeded(self, job_id: int, result: object) -> None:
        handle = self._finish(job_id, "done")
        if handle:
            handle.result = result
            handle.succeeded.emit(result)
            handle.finished.emit("done")
            self.job_finished.emit(handle)

    def _on_failed(self, job_id: int, message: str, trace: str, log: str) -> None:
        handle = self._finish(job_id, "failed")
        if handle:
            handle.error, handle.traceback, handle.log_path = message, trace, log or None
            handle.failed.emit(message, trace)
            handle.finished.emit("failed")
            self.job_finished.emit(handle)

    def _on_cancelled(self, job_id: int) -> None:
        handle = self._finish(job_id, "cancelled")
        if handle:
            handle.cancelled.emit()
            handle.finished.emit("cancelled")
            self.job_finished.emit(handle)
