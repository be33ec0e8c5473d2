"""The Tables view's Correlation mode: a metric against human ratings or a second metric.

Seed 003's Table 8: choose the metric, its reference, what it is compared with
(the human 0-5 ratings, mean of an image's raters, or a second metric) and the
pairing (per image, per method, per rating), press *Correlate*: the worker scores
what is missing and runs :func:`core.studies.correlate.correlate` (Kendall's
tau-b, SRCC, PLCC with p-values, scipy's); the coefficients show above a scatter
plot of the pairs. Export CSV, Markdown or LaTeX.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
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
)
from app.views import ViewContext
from core.studies.correlate import LEVELS
from widgets.correlation_chart import CorrelationChart
from widgets.plot_export import suggested_name

RATINGS_HINT = (
    "Against human ratings, rate images first: the Annotate view's rating mode (keys 0-5), "
    "or 'iris ratings import'."
)
EMPTY_TEXT = (
    "Seed 003's Table 8: how well does a metric agree with people (or with another metric)?\n\n"
    "Choose the metric and what to compare it with on the left, then press Correlate.\n"
    + RATINGS_HINT
)


def _metric_combo(tooltip: str) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.setToolTip(tooltip)
    return combo


class CorrelationPanel(ModeJobMixin, QWidget):
    """Kendall tau-b, SRCC and PLCC of a metric, with the scatter of its pairs."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.project_dir: Path | None = None
        self.result = None
        self.job = None
        self.owner = JobOwner(context.worker, context.session, self)
        if context.session is not None:
            context.session.changed.connect(self._on_project_changed)

        self.metric = _metric_combo("The metric on x (type any name 'iris score --list' knows)")
        self.reference = QComboBox()
        self.reference.addItems(list(REFERENCES))
        self.reference.setCurrentText("clean")
        self.reference.setToolTip("Which full-reference scores (PSNR, SSIM...): against what")
        self.human = QRadioButton("Human ratings")
        self.human.setToolTip("The 0-5 ratings of the Annotate view's rating mode")
        self.second = QRadioButton("Second metric")
        self.against = QButtonGroup(self)
        self.against.addButton(self.human)
        self.against.addButton(self.second)
        self.human.setChecked(True)
        self.metric2 = _metric_combo("The second metric, on y")
        self.metric2.setEnabled(False)
        self.second.toggled.connect(self._against_changed)
        self.by = QComboBox()
        self.by.addItems(list(LEVELS))
        self.by.setToolTip(
            "image: one pair per image (mean of its raters); method: the means per method; "
            "rating: one pair per rating (human ratings only)"
        )
        self.run_button = QPushButton("Correlate")
        self.run_button.setToolTip("Score what is missing, then compute the three coefficients")
        self.run_button.clicked.connect(self.run)
        self.bar = JobBar(self.cancel)
        exports, self.export_buttons = export_buttons(self.export)
        self.status = QLabel("")
        self.status.setWordWrap(True)

        against = QVBoxLayout()
        against.addWidget(self.human)
        against.addWidget(self.second)
        against.addWidget(self.metric2)
        form = QFormLayout()
        form.addRow("Metric", self.metric)
        form.addRow("Reference", self.reference)
        form.addRow("Against", against)
        form.addRow("Pairs by", self.by)
        self.chart = CorrelationChart()
        self.stack, self.message, self.notes = lay_out_mode(
            self, form, self.run_button, self.bar, exports, self.status, self.chart, EMPTY_TEXT
        )

    # -- project -------------------------------------------------------------------

    def set_project(self, project) -> None:
        self.cancel()
        self.project_dir = project.path if project is not None else None
        self._show_message(EMPTY_TEXT)
        self.status.setText("")
        stored = project.score_metric_names() if project is not None else []
        for combo in (self.metric, self.metric2):
            current = combo.currentText()
            combo.clear()
            combo.addItems(stored)
            if current:
                combo.setCurrentText(current)
        if len(stored) > 1 and not self.metric2.currentText().strip():
            self.metric2.setCurrentIndex(1)

    def _against_changed(self, second: bool) -> None:
        self.metric2.setEnabled(second)
        if second and self.by.currentText() == "rating":
            self.by.setCurrentText("image")

    def _on_project_changed(self, what, source) -> None:
        if self.project_dir is None or source is self.owner or self.result is None:
            return
        if what & (ProjectChange.SCORES | ProjectChange.ANNOTATIONS | ProjectChange.IMAGES):
            self.status.setText("The project changed: press Correlate to compute again.")

    # -- the correlation on the worker ---------------------------------------------

    def run(self) -> None:
        from core.studies.correlate import correlate

        if self.project_dir is None:
            return
        metric = self.metric.currentText().strip()
        human = self.human.isChecked()
        metric2 = None if human else self.metric2.currentText().strip()
        if not metric or metric2 == "":
            self.status.setText("Name the metric (and the second metric).")
            return
        by = self.by.currentText()
        if by == "rating" and not human:
            self.status.setText("Pairs by rating need the human ratings: pair by image or method.")
            return
        settings = self.context.settings
        self.status.setText(f"Correlating {metric}...")
        self.bar.started()
        self.job = self.owner.start(
            correlate,
            str(self.project_dir),
            metric,
            reference_value(self.reference.currentText()),
            human=human,
            metric2=metric2,
            by=by,
            device=settings.device if settings is not None else "auto",
            name=f"Correlate {metric}",
            on_done=self.show_result,
            on_failed=self._failed,
            on_progress=self._progress,
            on_finished=self._finished,
            changes=ProjectChange.SCORES,
        )

    def _failed(self, message: str) -> None:
        self.status.setText(message)
        if "no human ratings" in message:
            self._show_message(f"No human ratings in this project yet.\n\n{RATINGS_HINT}")
        elif "at least" in message and "pairs" in message:
            self._show_message(
                f"Too few pairs to correlate: {message}.\n\nScore or rate more images, or pair "
                "by image instead of by method."
            )

    def _show_message(self, text: str) -> None:
        self.result = None
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.notes.setText("")
        for button in self.export_buttons.values():
            button.setEnabled(False)

    def show_result(self, result) -> None:
        from core.studies.stat_formats import correlation_notes

        self.result = result
        self.chart.show_result(result)
        self.stack.setCurrentWidget(self.chart)
        self.notes.setText("\n".join(correlation_notes(result)))
        for button in self.export_buttons.values():
            button.setEnabled(True)
        self.status.setText(f"{result.n} pairs by {result.by}.")

    # -- export --------------------------------------------------------------------

    def export(self, fmt: str) -> None:
        from core.studies.stat_formats import render_correlation

        result = self.result
        if result is None:
            return
        name = suggested_name("correlation", [result.metric, result.against, result.by],
                              EXPORTS[fmt][1])  # fmt: skip
        text = export_text(self, fmt, name, lambda: render_correlation(result, fmt))
        if text:
            self.status.setText(text)
