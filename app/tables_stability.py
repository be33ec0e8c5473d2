"""The Tables view's Stability mode: seed 000's Friedman test (Table 3) per group and metric.

Choose what to group by (prompt, prompt group, method, run or a tag key), the
metrics and the full-reference scores' reference, press *Run Test*: the worker
scores what is missing (cached, as ``iris stats friedman``) and runs
:func:`core.studies.stability.friedman_table`; the table shows per group a Stat
and a p-val row, the tests significant at p < 0.05 marked. Export CSV, Markdown
or LaTeX.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.job_owner import JobOwner
from app.session import ProjectChange
from app.tables_common import (
    EXPORTS,
    REFERENCES,
    JobBar,
    ModeJobMixin,
    export_buttons,
    export_text,
    lay_out_mode,
    reference_value,
    split_list,
)
from app.views import ViewContext
from core.studies.restore_outputs import FIXED_KEYS
from widgets.plot_export import suggested_name
from widgets.stability_table import StabilityTable

DEFAULT_METRICS = "psnr,ssim,niqe,brisque"
REPEAT_HINT = (
    "It needs restore runs with repeats: restore with Repeat 3 (the Restore dialog, or "
    "'iris restore --repeat 3') to get repeats."
)
EMPTY_TEXT = (
    "Seed 000's stability test (Table 3): do repeated runs of a method score alike?\n\n"
    "Choose what to group by and the metrics on the left, then press Run Test.\n" + REPEAT_HINT
)


class StabilityPanel(ModeJobMixin, QWidget):
    """Friedman per group and metric over the repeats of restore runs."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.project_dir: Path | None = None
        self.rows: list | None = None
        self.shown: tuple[str, list[str]] = ("", [])  # group_by, metrics of the rows shown
        self.job = None
        self.owner = JobOwner(context.worker, context.session, self)
        if context.session is not None:
            context.session.changed.connect(self._on_project_changed)

        self.group_by = QComboBox()
        self.group_by.setToolTip("One test per value of this key (a tag key: per tag value)")
        self.metric_edit = QLineEdit(DEFAULT_METRICS)
        self.metric_edit.setToolTip("Metric names, comma-separated ('iris score --list')")
        self.reference = QComboBox()
        self.reference.addItems(list(REFERENCES))
        self.reference.setCurrentText("clean")
        self.reference.setToolTip("Which full-reference scores (PSNR, SSIM...): against what")
        self.runs_edit = QLineEdit()
        self.runs_edit.setPlaceholderText("all restore runs")
        self.runs_edit.setToolTip("Only these restore runs (names, comma-separated)")
        self.run_button = QPushButton("Run Test")
        self.run_button.setToolTip("Score what is missing, then test every group and metric")
        self.run_button.clicked.connect(self.run)
        self.bar = JobBar(self.cancel)
        exports, self.export_buttons = export_buttons(self.export)
        self.status = QLabel("")
        self.status.setWordWrap(True)

        form = QFormLayout()
        form.addRow("Group by", self.group_by)
        form.addRow("Metrics", self.metric_edit)
        form.addRow("Reference", self.reference)
        form.addRow("Runs", self.runs_edit)
        self.table = StabilityTable()
        self.stack, self.message, self.notes = lay_out_mode(
            self, form, self.run_button, self.bar, exports, self.status, self.table, EMPTY_TEXT
        )
        self._fill_keys([])

    # -- project -------------------------------------------------------------------

    def set_project(self, project) -> None:
        self.cancel()
        self.project_dir = project.path if project is not None else None
        self._show_message(EMPTY_TEXT)
        self.status.setText("")
        if project is None:
            self._fill_keys([])
            return
        self._fill_keys(project.tag_keys())
        stored = project.score_metric_names()
        if stored:
            self.metric_edit.setText(",".join(stored[:6]))

    def _fill_keys(self, tag_keys: list[str]) -> None:
        current = self.group_by.currentText() or "prompt"
        keys = [*FIXED_KEYS, *(k for k in tag_keys if k not in FIXED_KEYS)]
        self.group_by.clear()
        self.group_by.addItems(keys)
        self.group_by.setCurrentText(current if current in keys else "prompt")

    def _on_project_changed(self, what, source) -> None:
        if self.project_dir is None or source is self.owner:
            return
        if what & (ProjectChange.IMAGES | ProjectChange.RUNS | ProjectChange.TAGS):
            from core.project import Project

            with Project.open(self.project_dir) as project:
                self._fill_keys(project.tag_keys())
        if self.rows is not None and what & (ProjectChange.SCORES | ProjectChange.RUNS):
            self.status.setText("The project changed: press Run Test to test again.")

    # -- the test on the worker ----------------------------------------------------

    def run(self) -> None:
        from core.studies.stability import friedman_table

        if self.project_dir is None:
            return
        metrics = split_list(self.metric_edit.text())
        if not metrics:
            self.status.setText("Name at least one metric.")
            return
        group_by = self.group_by.currentText()
        runs = split_list(self.runs_edit.text()) or None
        settings = self.context.settings
        self.status.setText(f"Testing per {group_by}...")
        self.bar.started()
        self.job = self.owner.start(
            friedman_table,
            str(self.project_dir),
            group_by,
            metrics,
            reference_value(self.reference.currentText()),
            runs=runs,
            device=settings.device if settings is not None else "auto",
            name=f"Friedman test per {group_by}",
            on_done=lambda rows: self.show_rows(rows, group_by, metrics),
            on_failed=self._failed,
            on_progress=self._progress,
            on_finished=self._finished,
            changes=ProjectChange.SCORES,
        )

    def _failed(self, message: str) -> None:
        self.status.setText(message)
        if "no restore outputs" in message:
            self._show_message(f"No restore outputs to test in this project.\n\n{REPEAT_HINT}")

    def _show_message(self, text: str) -> None:
        self.rows = None
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.notes.setText("")
        for button in self.export_buttons.values():
            button.setEnabled(False)

    def show_rows(self, rows: list, group_by: str, metrics: list[str]) -> None:
        from core.studies.stat_formats import stability_notes

        self.rows = rows
        self.shown = (group_by, metrics)
        self.table.show_rows(rows, group_by, metrics)
        self.stack.setCurrentWidget(self.table)
        self.notes.setText("\n".join(stability_notes(rows, metrics)))
        for button in self.export_buttons.values():
            button.setEnabled(True)
        tests = [r for r in rows if r.p_value is not None]
        if not tests:
            self.status.setText(f"No test could be made (see the notes). {REPEAT_HINT}")
            return
        significant = sum(1 for r in tests if r.significant)
        self.status.setText(f"{len(tests)} tests, {significant} significant at p < 0.05.")

    # -- export --------------------------------------------------------------------

    def export(self, fmt: str) -> None:
        from core.studies.stat_formats import render_stability

        if self.rows is None:
            return
        group_by, metrics = self.shown
        name = suggested_name("friedman", [group_by, *metrics], EXPORTS[fmt][1])
        text = export_text(
            self, fmt, name, lambda: render_stability(self.rows, group_by, metrics, fmt)
        )
        if text:
            self.status.setText(text)
