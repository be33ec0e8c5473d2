"""The status bar's job corner: the job shown, its progress and cancel, models held, device.

One job at a time is shown (the newest started; when it ends, the next one still
running); its Cancel cancels only that one. A failed job's message goes to the
window's error report, never a traceback: a bug's traceback is in the log it names.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

from app.worker import ComputeWorker, JobHandle

DEVICE_JOB = "device"  # the worker's own device probe: shown as the device, not as a job


class JobStatus:
    """Builds the job widgets into ``bar`` and follows ``worker``'s jobs."""

    def __init__(
        self,
        bar: QStatusBar,
        worker: ComputeWorker,
        device: str,
        *,
        report_error: Callable[[str, str], None],
        show_status: Callable[[str], None],
    ) -> None:
        self.worker = worker
        self._report_error = report_error
        self._show_status = show_status
        self.shown_job: JobHandle | None = None
        self.device_label = QLabel(f"Device: {device} (resolving)")
        self.job_label = QLabel("")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_shown_job)
        self.models_label = QLabel("")  # local models the worker holds, and their GPU memory
        self.models_label.setVisible(False)
        for widget in (
            self.job_label, self.progress, self.cancel_button, self.models_label,
            self.device_label,
        ):  # fmt: skip
            bar.addPermanentWidget(widget)
        worker.job_started.connect(self._on_started)
        worker.job_progress.connect(self._on_progress)
        worker.job_finished.connect(self._on_finished)
        worker.device_changed.connect(
            lambda info: self.device_label.setText(f"Device: {info.label}")
        )

    def cancel_shown_job(self) -> None:
        """Cancel the job the status bar shows (others, queued or running, go on)."""
        if self.shown_job is not None and not self.shown_job.is_finished:
            self.shown_job.cancel()
            self.job_label.setText(f"Cancelling {self.shown_job.name}...")

    def _on_started(self, handle: JobHandle) -> None:
        if handle.name == DEVICE_JOB:
            return
        self.shown_job = handle
        self.job_label.setText(handle.name)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setEnabled(True)

    def _on_progress(self, handle: JobHandle, done: int, total: int) -> None:
        if handle is not self.shown_job:
            return
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        # Jobs count in their own units (a restore counts 1000 per image): large counts as %.
        amount = f"{100 * done // max(total, 1)}%" if total > 100 else f"{done}/{total}"
        self.job_label.setText(f"{handle.name} {amount}")

    def _show_loaded_models(self) -> None:
        from app.loaded_models import loaded_models_note

        note = loaded_models_note(self.worker.device_name)
        self.models_label.setVisible(note is not None)
        if note is not None:
            self.models_label.setText(note[0])
            self.models_label.setToolTip(note[1])

    def _on_finished(self, handle: JobHandle) -> None:
        self._show_loaded_models()
        if handle.name == DEVICE_JOB and handle.state == "failed":
            self.device_label.setText("Device: CPU (torch unavailable)")
            return
        if handle is self.shown_job:  # show the next job still running, if any
            running = [h for h in self.worker.active_jobs() if h.state == "running"]
            self.shown_job = next((h for h in running if h.name != DEVICE_JOB), None)
            if self.shown_job is not None:
                self.job_label.setText(self.shown_job.name)
        if self.shown_job is None:
            self.progress.setVisible(False)
            self.cancel_button.setEnabled(False)
            self.job_label.setText("")
        if handle.state == "failed":
            message = handle.error or ""
            if handle.log_path:  # a bug: the traceback is in the log, never in the dialog
                message = f"unexpected error: {message} (details in {handle.log_path})"
            self._report_error(f"{handle.name} failed", message)
        elif handle.state == "cancelled":
            self._show_status(f"{handle.name} cancelled")
