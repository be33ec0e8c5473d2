"""The judges in the GUI: RealIR-Bench RS/FS and the Banana100 thought judge, on the worker.

The Metrics view's *Judge...* opens :class:`JudgeDialog`: choose the judge (RS/FS of
restored outputs against their inputs, or the thought judge of iterative runs), what
it judges (the selected runs, or the images selected in the browser), the task (each
image's ``task=`` tag, or one for all), the backend (Gemini, or a local VLM folder),
model and prompt. *Run* starts :func:`judge_job` on the compute worker with progress
and cancel; its judgements are stored (``judgements`` and ``scores``) and the view
shows them beside the metrics. A missing API key or model folder is one line in the
dialog, never a traceback.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.job_owner import JobOwner
from app.session import ProjectChange
from core.errors import IrisError
from core.jobs import ProgressFn, no_progress

# kind -> (label, prompt ids, first the paper's)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "rs": ("RealIR-Bench RS / FS (severity 1-5)", ("RIR-SEVERITY", "IRIS-SEVERITY-0-5")),
    "thoughts": ("Thoughts: first noisy step (Banana100)", ("B100-SELF-EVAL", "IRIS-THOUGHTS")),
}
TARGETS = {"runs": "Selected runs", "images": "Images selected in the browser"}
TAG_TASK = "from each image's task= tag"
BACKENDS = ("gemini", "local")
NO_MODEL = "the local judge needs its model folder (the paper's is Qwen3-VL-8B-Instruct)"


def _run_outputs(project, runs: Sequence[str]) -> list[int]:
    from core.metrics.series import expand_runs

    ids: list[int] = []
    for name in expand_runs(project, runs):
        run = project.run(name)
        ids += [
            r.output_image_id
            for r in project.results(run.id)
            if r.output_image_id and (r.step_index is None or r.step_index >= 1)
        ]
    return list(dict.fromkeys(ids))


def judge_job(
    project_dir: str | Path,
    kind: str,
    *,
    runs: Sequence[str] = (),
    image_ids: Sequence[int] = (),
    task: str | None = None,
    judge: str = "gemini",
    model: str | None = None,
    prompt_id: str | None = None,
    lps_metric: str | None = "lpips",
    device: str = "auto",
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> str:
    """Run one judge on the worker; returns a one-line summary of what it stored."""
    from core.metrics import judges
    from core.project import Project

    if judge == "gemini":
        from core.gemini.keys import api_key

        api_key()  # no key: one clear message before anything is read or sent
    elif not model:
        raise IrisError(NO_MODEL)
    prompt_id = prompt_id or KINDS[kind][1][0]
    if kind == "thoughts":
        if not runs:
            raise IrisError("choose iterative runs (or run groups) for the thought judge")
        found = judges.judge_thoughts(
            project_dir, runs, judge=judge, model=model, prompt_id=prompt_id,
            progress=progress, cancel=cancel,
        )  # fmt: skip
        said = sum(r.first_yes is not None for r in found)
        failed = sum(len(r.failed) for r in found)
        extra = f", {failed} unreadable answers recorded" if failed else ""
        return f"Thought judge: {said} of {len(found)} runs said 'yes' at some step{extra}."
    ids = list(image_ids)
    if not ids:
        with Project.open(project_dir) as project:
            ids = _run_outputs(project, runs)
    if not ids:
        raise IrisError("nothing to judge: choose runs with outputs, or pick images")
    rows = judges.realir_scores(
        project_dir, ids, task=task, judge=judge, model=model, prompt_id=prompt_id,
        lps_metric=lps_metric, device=device, progress=progress, cancel=cancel,
    )  # fmt: skip
    failed = sum(r.rs is None for r in rows)
    extra = f", {failed} without RS (unreadable answers are recorded)" if failed else ""
    images = f"{len(rows)} image{'s' if len(rows) != 1 else ''}"
    return f"RealIR-Bench judge: {images} rated{extra}."


class JudgeDialog(QDialog):
    """Options, progress and cancel of one judge job; ``judged(summary)`` when it is done."""

    judged = Signal(str)

    def __init__(
        self, context, selected_runs: Callable[[], list[str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Judge")
        self.context = context
        self.selected_runs = selected_runs
        self.project_dir: Path | None = None
        self.owner = JobOwner(context.worker, context.session, self)
        self.job = None
        self.kind = QComboBox()
        for key, (label, _prompts) in KINDS.items():
            self.kind.addItem(label, key)
        self.target = QComboBox()
        for key, label in TARGETS.items():
            self.target.addItem(label, key)
        self.task = QComboBox()
        from core.metrics.realir import TASKS

        self.task.addItem(TAG_TASK, None)
        for task in TASKS:
            self.task.addItem(f"{task.key} ({task.column})", task.key)
        self.backend = QComboBox()
        self.backend.addItems(list(BACKENDS))
        self.model = QLineEdit()
        self.prompt = QComboBox()
        self.lps = QLineEdit("lpips")
        self.lps.setToolTip("LPS metric for FS = 0.2 x (1 - LPS) x RS; 'none' for RS alone")
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.run_button = QPushButton("Run")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Close")
        self.cancel_button.clicked.connect(self.cancel_or_close)
        form = QFormLayout()
        form.addRow("Judge", self.kind)
        form.addRow("Judge what", self.target)
        form.addRow("Task", self.task)
        form.addRow("Backend", self.backend)
        form.addRow("Model", self.model)
        form.addRow("Prompt", self.prompt)
        form.addRow("LPS metric", self.lps)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.backend.currentIndexChanged.connect(self._backend_changed)
        self._kind_changed()
        self._backend_changed()
        self.setMinimumWidth(420)

    def set_project(self, project_dir: Path | None) -> None:
        if project_dir != self.project_dir:
            self.owner.cancel()
            self.message.setText("")
        self.project_dir = project_dir

    def _kind_changed(self) -> None:
        kind = self.kind.currentData()
        self.prompt.clear()
        self.prompt.addItems(list(KINDS[kind][1]))
        severity = kind == "rs"
        for widget in (self.task, self.lps, self.target):
            widget.setEnabled(severity)
        if not severity:
            self.target.setCurrentIndex(0)

    def _backend_changed(self) -> None:
        local = self.backend.currentText() == "local"
        self.model.setPlaceholderText(
            "model folder (e.g. Qwen3-VL-8B-Instruct)" if local
            else "default: IRIS_JUDGE_MODEL, else the prompt's default"
        )  # fmt: skip

    def run(self) -> None:
        """Start the judge on the worker (the UI thread computes and sends nothing)."""
        if self.project_dir is None:
            self.message.setText("Open a project first.")
            return
        kind = self.kind.currentData()
        judge = self.backend.currentText()
        model = self.model.text().strip() or None
        if judge == "local" and not model:
            self.message.setText(NO_MODEL[0].upper() + NO_MODEL[1:] + ".")
            return
        options: dict = {"judge": judge, "model": model, "prompt_id": self.prompt.currentText()}
        if kind == "rs":
            lps = self.lps.text().strip()
            options |= {"task": self.task.currentData(),
                        "lps_metric": None if lps in ("", "none") else lps}  # fmt: skip
            settings = self.context.settings
            if settings is not None:
                options["device"] = settings.device
        if kind == "rs" and self.target.currentData() == "images":
            options["image_ids"] = [r.id for r in self.context.selection()]
            if not options["image_ids"]:
                self.message.setText("Pick images in the browser first.")
                return
        else:
            options["runs"] = self.selected_runs()
            if not options["runs"]:
                self.message.setText("Pick runs in the Metrics view first.")
                return
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.message.setText("Judging...")
        self.run_button.setEnabled(False)
        self.cancel_button.setText("Cancel")
        self.job = self.owner.start(
            judge_job,
            str(self.project_dir),
            kind,
            name="Judge",
            on_done=self._done,
            on_failed=self._failed,
            on_progress=self._progress,
            on_finished=self._finished,
            changes=ProjectChange.SCORES,
            **options,
        )

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.message.setText(f"Judging {done}/{total}...")

    def _done(self, summary: str) -> None:
        self.message.setText(summary)
        self.judged.emit(summary)

    def _failed(self, message: str) -> None:
        self.message.setText(message.strip().splitlines()[0] if message.strip() else "failed")

    def _finished(self, state: str) -> None:
        self.run_button.setEnabled(True)
        self.cancel_button.setText("Close")
        self.progress.setRange(0, 1)
        self.progress.setValue(1 if state == "done" else 0)
        if state == "cancelled":
            self.message.setText("Cancelled: what was judged before is stored.")

    def cancel_or_close(self) -> None:
        """Cancel the running judge, or close the dialog when nothing runs."""
        if self.owner.busy:
            handle = self.owner.handle
            self.owner.cancel()  # callbacks are dropped from here on: finish the look here
            self._finished("cancelled")
            self.job = handle
            return
        self.close()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        self.owner.cancel()
        super().closeEvent(event)
