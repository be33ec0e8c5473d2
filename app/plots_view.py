"""The Metrics view: per-step metric curves of runs, the failure heatmap and the score table.

Pick runs (or run groups) and metrics, press *Score*: the compute worker scores
every step (cached scores are reused) and the view plots one curve per metric
and run, raw or normalized to [0, 100], or a group's mean with a +-1 sd band.
Clicking a point opens that step beside step 1 in the Compare view. The
heatmap shows the Banana100 gap Delta_i (or the largest) per metric and input
image; the table lists every score, sortable and filterable, for CSV export.
"""

from __future__ import annotations

from pathlib import Path
from statistics import fmean, pstdev

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QWidget,
)

from app.job_owner import JobOwner
from app.session import ProjectChange
from app.views import ViewContext
from widgets.heatmap import Heatmap
from widgets.metric_plot import Curve, MetricPlot
from widgets.score_table import ScoreTable

DEFAULT_METRICS = "niqe,brisque,piqe,entropy"
REFERENCES = ("(none)", "input", "step1", "step0", "clean")
GAP_CHOICES = ("largest", "5", "10", "20")
TABLE_COLUMNS = ["run", "group", "step", "metric", "value", "normalized", "image_id"]


class PlotsView(QWidget):
    """Registered in ``app/views.py`` as ``plots`` ("Metrics")."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.project_dir: Path | None = None
        self.series: list = []
        self.metrics: list[str] = []
        self.scoring = JobOwner(context.worker, context.session, self)
        self.reading = JobOwner(context.worker, None, self)  # reads only: changes nothing
        if context.session is not None:
            context.session.changed.connect(self._on_project_changed)

        self.runs = QListWidget()
        self.runs.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.metric_edit = QLineEdit(DEFAULT_METRICS)
        self.metric_edit.setToolTip("pyiqa metric names, comma-separated ('iris score --list')")
        self.reference = QComboBox()
        self.reference.addItems(list(REFERENCES))
        self.reference.setToolTip("Reference image of full-reference metrics (PSNR, SSIM, ...)")
        self.normalized = QCheckBox("Normalized [0, 100], higher = better")
        self.band = QCheckBox("Group mean and +-1 sd band")
        self.gap_step = QComboBox()
        self.gap_step.addItems(list(GAP_CHOICES))
        self.score_button = QPushButton("Score")
        self.score_button.clicked.connect(self.score)
        self.stored_button = QPushButton("Show All Stored Scores")
        self.stored_button.setToolTip(
            "Every score the project holds, imported results included, in the table"
        )
        self.stored_button.clicked.connect(self.show_stored)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        for widget in (self.normalized, self.band):
            widget.toggled.connect(self.redraw)
        self.gap_step.currentIndexChanged.connect(self.redraw)
        export_plot = QPushButton("Export plot...")
        export_plot.clicked.connect(lambda: self._export(self.plot.export, "metric-plot"))
        export_map = QPushButton("Export heatmap...")
        export_map.clicked.connect(lambda: self._export(self.heatmap.export, "failure-heatmap"))
        export_csv = QPushButton("Export CSV...")
        export_csv.clicked.connect(self._export_csv)

        controls = QWidget()
        form = QFormLayout(controls)
        form.addRow(QLabel("Runs and run groups"))
        form.addRow(self.runs)
        form.addRow("Metrics", self.metric_edit)
        form.addRow("Reference", self.reference)
        form.addRow(self.normalized)
        form.addRow(self.band)
        form.addRow("Heatmap gap", self.gap_step)
        form.addRow(self.score_button)
        form.addRow(self.stored_button)
        form.addRow(self.status)
        buttons = QHBoxLayout()
        for button in (export_plot, export_map, export_csv):
            buttons.addWidget(button)
        form.addRow(buttons)
        controls.setMaximumWidth(340)

        self.plot = MetricPlot()
        self.plot.point_clicked.connect(self.open_step)
        self.heatmap = Heatmap()
        self.table = ScoreTable()
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.heatmap)
        lower.addWidget(self.table)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.plot)
        right.addWidget(lower)
        right.setSizes([500, 300])
        layout = QHBoxLayout(self)
        layout.addWidget(controls)
        layout.addWidget(right, 1)

    # -- project -------------------------------------------------------------------

    def set_project(self, project) -> None:
        self.project_dir = project.path if project is not None else None
        self.series = []
        self.scoring.cancel()
        self._fill_runs(project, keep=[])
        if project is not None:
            self.load_stored_series()

    def _fill_runs(self, project, keep: list[str]) -> None:
        """List the project's groups and runs, selecting ``keep`` (else the first entry)."""
        self.runs.clear()
        if project is None:
            return
        runs = project.runs()
        for group in dict.fromkeys(r.group_name for r in runs if r.group_name):
            item = QListWidgetItem(f"group: {group}")
            item.setData(Qt.ItemDataRole.UserRole, group)
            self.runs.addItem(item)
        for run in runs:
            item = QListWidgetItem(f"{run.name} ({run.kind})")
            item.setData(Qt.ItemDataRole.UserRole, run.name)
            self.runs.addItem(item)
        for index in range(self.runs.count()):
            item = self.runs.item(index)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) in keep)
        if self.runs.count() and not self.runs.selectedItems():
            self.runs.item(0).setSelected(True)

    def _on_project_changed(self, what, source) -> None:
        """New runs appear in the list; scores stored by other jobs show without a restart."""
        if self.project_dir is None or source is self.scoring:
            return
        if what & (ProjectChange.RUNS | ProjectChange.IMAGES):
            from core.project import Project

            with Project.open(self.project_dir) as project:
                self._fill_runs(project, keep=self.selected_runs())
        if what & (ProjectChange.RUNS | ProjectChange.SCORES) and not self.scoring.busy:
            self.load_stored_series()

    def load_stored_series(self) -> None:
        """Curves of the selected runs from the scores already stored (nothing computed)."""
        from core.metrics.series import collect_series

        runs = self.selected_runs()
        metrics = [m.strip() for m in self.metric_edit.text().split(",") if m.strip()]
        if self.project_dir is None or not runs or not metrics:
            return
        reference = self.reference.currentText()
        self.reading.start(
            collect_series,
            str(self.project_dir),
            runs,
            metrics,
            reference=None if reference == "(none)" else reference,
            compute=False,
            name="Read stored scores",
            on_done=lambda series, m=metrics: self._show_stored_series(series, m),
        )

    def _show_stored_series(self, series: list, metrics: list[str]) -> None:
        if not any(v is not None for s in series for vs in s.values.values() for v in vs):
            self.status.setText("No stored scores for the selected runs yet: press Score.")
            return
        self.metrics = metrics
        self.set_series(series, stored=True)

    def selected_runs(self) -> list[str]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.runs.selectedItems()]

    # -- scoring on the worker -----------------------------------------------------

    def score(self) -> None:
        """Score the selected runs' steps on the compute worker; the UI thread computes nothing."""
        from core.metrics.series import collect_series

        runs = self.selected_runs()
        self.metrics = [m.strip() for m in self.metric_edit.text().split(",") if m.strip()]
        if self.project_dir is None or not runs or not self.metrics:
            self.status.setText("Select runs and give metrics.")
            return
        reference = self.reference.currentText()
        settings = self.context.settings
        self.score_button.setEnabled(False)
        self.status.setText("Scoring...")
        self.reading.cancel()
        self.job = self.scoring.start(
            collect_series,
            str(self.project_dir),
            runs,
            self.metrics,
            reference=None if reference == "(none)" else reference,
            device=settings.device,
            config=settings.weights_config(),
            name="Score runs",
            on_done=self.set_series,
            on_failed=self.status.setText,
            on_progress=lambda done, total: self.status.setText(f"Scoring {done}/{total} images"),
            on_finished=lambda _state: self.score_button.setEnabled(True),
            changes=ProjectChange.SCORES,
        )

    def show_stored(self) -> None:
        """Fill the table with every stored score (read on the worker, nothing computed)."""
        from core.metrics.stored import stored_scores

        if self.project_dir is None:
            return
        self.status.setText("Reading stored scores...")
        self.job = self.reading.start(
            stored_scores,
            str(self.project_dir),
            name="Read stored scores",
            on_done=self._show_stored_rows,
            on_failed=self.status.setText,
        )

    def _show_stored_rows(self, rows: list) -> None:
        from core.metrics.stored import STORED_COLUMNS

        self.table.set_rows(STORED_COLUMNS, rows)
        self.status.setText(f"{len(rows)} stored scores in the table.")

    def set_series(self, series: list, stored: bool = False) -> None:
        """Show scored series (from :func:`core.metrics.series.collect_series`)."""
        self.series = list(series)
        if not self.metrics and series:
            self.metrics = list(series[0].values)
        steps = sum(len(s.image_ids) for s in self.series)
        what = "stored scores shown" if stored else "images scored"
        self.status.setText(f"{len(self.series)} runs, {steps} {what}.")
        self.redraw()

    # -- drawing -------------------------------------------------------------------

    def _value(self, metric: str, value: float | None) -> float | None:
        if value is None or not self.normalized.isChecked():
            return value
        from core.metrics.normalize import normalize

        return normalize(value, metric)

    def curves(self) -> list[Curve]:
        """The curves to draw: per run, or per group (mean and spread) when banded."""
        curves: list[Curve] = []
        for metric in self.metrics:
            if self.band.isChecked():
                groups: dict[str, list] = {}
                for s in self.series:
                    groups.setdefault(s.group or s.run, []).append(s)
                for group, members in groups.items():
                    steps = sorted({k for s in members for k in s.keys})
                    means, spreads = [], []
                    for step in steps:
                        found = [self._value(metric, s.by_key(metric).get(step)) for s in members]
                        found = [v for v in found if v is not None]
                        means.append(fmean(found) if found else None)
                        spreads.append(pstdev(found) if len(found) > 1 else 0.0)
                    curves.append(Curve(metric, group, steps, means, spreads))
            else:
                for s in self.series:
                    values = [self._value(metric, v) for v in s.values.get(metric, [])]
                    curves.append(Curve(metric, s.run, list(s.keys), values))
        return curves

    def redraw(self) -> None:
        from core.metrics.gaps import failure_matrix
        from core.metrics.normalize import normalize
        from core.metrics.series import gaps_of

        label = "normalized score (higher = better)" if self.normalized.isChecked() else "score"
        self.plot.set_curves(self.curves(), y_label=label)
        gaps = gaps_of(self.series, self.metrics)
        choice = self.gap_step.currentText()
        step = None if choice == "largest" else int(choice)
        rows, columns, values = failure_matrix(gaps, step)
        names = [f"{m} ({gaps[m].fails}/{len(gaps[m].chains)} fail)" for m in rows]
        title = "Largest gap vs step 1" if step is None else f"Delta{step} vs step 1"
        self.heatmap.set_matrix(names, columns, values, f"{title} (red = fails)")
        table = []
        for s in self.series:
            for metric in self.metrics:
                for key, image_id, value in zip(
                    s.keys, s.image_ids, s.values.get(metric, []), strict=False
                ):
                    table.append({
                        "run": s.run, "group": s.group or "", "step": key, "metric": metric,
                        "value": value, "image_id": image_id,
                        "normalized": normalize(value, metric) if value is not None else None,
                    })  # fmt: skip
        self.table.set_rows(TABLE_COLUMNS, table)

    # -- interaction ---------------------------------------------------------------

    def step_images(self, run: str, step: int) -> tuple[int, int] | None:
        """Image ids of ``step`` and of step 1 of ``run`` (a group: its first run)."""
        for s in self.series:
            if s.run == run or (s.group == run and self.band.isChecked()):
                ids = dict(zip(s.keys, s.image_ids, strict=False))
                if step in ids and 1 in ids:
                    return ids[1], ids[step]
        return None

    def open_step(self, run: str, step: int) -> None:
        """Show ``step`` beside step 1 in the Compare view."""
        pair = self.step_images(run, step)
        window = self.window()
        project = getattr(window, "project", None)
        if pair is None or project is None or not hasattr(window, "show_view"):
            return
        view = window.show_view("compare")
        view.set_records([project.image(pair[0]), project.image(pair[1])])

    def _export(self, writer, stem: str) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export", f"{stem}.png", "PNG image (*.png);;SVG drawing (*.svg)"
        )
        if path:
            writer(path)

    def _export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export CSV", "scores.csv", "CSV (*.csv)")
        if path:
            self.table.export_csv(path)
