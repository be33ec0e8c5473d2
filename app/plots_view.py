"""The Metrics view: per-step metric curves of runs, the failure heatmap and the score table.

Pick runs (or run groups) and metrics, press *Score*: the compute worker scores
every step (cached scores are reused) and the view plots one curve per metric
and run, raw or normalized to [0, 100], or a group's mean with a +-1 sd band.
Clicking a point opens that step beside step 1 in the Compare view. The
heatmap shows the Banana100 gap Delta_i (or the largest) per metric and input
image; the table lists every score, sortable and filterable, for CSV export.
Restore runs (no steps) are drawn per input image, named on the axis. Before
anything is scored the plot says what to do instead of showing empty axes.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QListWidgetItem,
    QSplitter,
    QWidget,
)

from app.job_owner import JobOwner
from app.metrics_controls import FIG6, MetricsControls
from app.metrics_data import (
    JUDGE_METRICS,
    RESTORE_NO_GAPS,
    TABLE_COLUMNS,
    collect_labelled,
    plot_data,
    table_rows,
)
from app.session import ProjectChange
from app.views import ViewContext
from widgets.failure_bars import FailureBars
from widgets.heatmap import EMPTY_TEXT as HEATMAP_EMPTY
from widgets.heatmap import Heatmap
from widgets.metric_plot import EMPTY_TEXT as PLOT_EMPTY
from widgets.metric_plot import Curve, MetricPlot
from widgets.plot_export import file_filter, suggested_name, with_suffix
from widgets.score_table import ScoreTable

_CONTROL_WIDGETS = (
    "runs", "metric_edit", "reference", "align", "normalized", "band", "gap_step", "count_runs",
    "score_button", "stored_button", "judge_button", "status",
    "export_plot", "export_map", "export_bars", "export_csv",
)  # fmt: skip
NO_STORED = (
    "No stored scores for the selected runs and metrics yet: press Score.\n"
    "Stored scores show here automatically."
)


class PlotsView(QWidget):
    """Registered in ``app/views.py`` as ``plots`` ("Metrics")."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.project_dir: Path | None = None
        self.series: list = []
        self.names: dict[int, str] = {}  # input image id -> name, for restore runs
        self.metrics: list[str] = []
        self.first_yes: dict[str, int | None] = {}  # the thought judge's verdict per run
        self.thought_marks: list = []  # the lines marking them on the curves
        self.scoring = JobOwner(context.worker, context.session, self)
        self.reading = JobOwner(context.worker, None, self)  # reads only: changes nothing
        if context.session is not None:
            context.session.changed.connect(self._on_project_changed)

        self.controls = MetricsControls(self)
        for name in _CONTROL_WIDGETS:  # the view's own names for its controls
            setattr(self, name, getattr(self.controls, name))
        self._reload = QTimer(self, singleShot=True, interval=150)
        self._reload.timeout.connect(self._selection_settled)
        self.runs.itemSelectionChanged.connect(self._reload.start)
        for box in (self.normalized, self.band, self.count_runs):
            box.toggled.connect(self.redraw)
        self.gap_step.currentIndexChanged.connect(self.redraw)
        self.score_button.clicked.connect(self.score)
        self.stored_button.clicked.connect(self.show_stored)
        self.judge_button.clicked.connect(self.open_judge)
        self.judge_dialog = None
        self.export_plot.clicked.connect(lambda: self._export(self.plot.export, "metrics"))
        self.export_map.clicked.connect(lambda: self._export(self.heatmap.export, "gaps"))
        self.export_bars.clicked.connect(lambda: self._export(self.bars.export, "failures"))
        self.export_csv.clicked.connect(self._export_csv)

        self.plot = MetricPlot()
        self.plot.point_clicked.connect(self.open_step)
        self.heatmap = Heatmap()
        self.bars = FailureBars()
        self.table = ScoreTable()
        self.lower = QSplitter(Qt.Orientation.Horizontal)
        self.lower.addWidget(self.heatmap)
        self.lower.addWidget(self.bars)
        self.lower.addWidget(self.table)
        self.lower.setStretchFactor(0, 2)
        self.lower.setStretchFactor(1, 1)
        self.lower.setStretchFactor(2, 3)
        self.lower.setSizes([400, 250, 600])
        self.lower.setChildrenCollapsible(False)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.plot)
        self.right.addWidget(self.lower)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 2)
        self.right.setSizes([600, 400])
        self.right.setChildrenCollapsible(False)
        self.plot.setMinimumHeight(200)
        self.lower.setMinimumHeight(160)
        self.heatmap.setMinimumWidth(260)
        self.table.setMinimumWidth(240)
        self.bars.setMinimumWidth(200)
        self._show_fig6_widgets(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.controls)
        layout.addWidget(self.right, 1)

    # -- project -------------------------------------------------------------------

    def set_project(self, project) -> None:
        self.project_dir = project.path if project is not None else None
        self.series, self.names = [], {}
        self.scoring.cancel()
        self.reading.cancel()
        if self.judge_dialog is not None:
            self.judge_dialog.close()
        self.plot.show_message(PLOT_EMPTY)
        self.heatmap.show_message(HEATMAP_EMPTY)
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
            item.setToolTip(f"{run.name} ({run.kind})")
            item.setData(Qt.ItemDataRole.UserRole, run.name)
            self.runs.addItem(item)
        for index in range(self.runs.count()):
            item = self.runs.item(index)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) in keep)
        if self.runs.count() and not self.runs.selectedItems():
            self.runs.item(0).setSelected(True)
        self._reload.stop()  # a refill is not the user picking runs: the caller loads what it needs

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

    def _selection_settled(self) -> None:
        """Picking runs shows what is already stored for them (scoring is never started)."""
        if not self.scoring.busy:
            self.load_stored_series()

    def load_stored_series(self) -> None:
        """Curves of the selected runs from the scores already stored (nothing computed)."""
        runs = self.selected_runs()
        metrics = [m.strip() for m in self.metric_edit.text().split(",") if m.strip()]
        if self.project_dir is None or not runs or not metrics:
            return
        reference = self.reference.currentText()
        self.reading.start(
            collect_labelled,
            str(self.project_dir),
            runs,
            metrics,
            reference=None if reference == "(none)" else reference,
            align_policy=self.align.currentText(),
            compute=False,
            name="Read stored scores",
            on_done=lambda found, m=metrics: self._show_stored_series(*found, m),
            on_failed=self.status.setText,
        )

    def _show_stored_series(
        self, series: list, names: dict, first_yes: dict, metrics: list[str]
    ) -> None:
        wanted = [*metrics, *(m for m in JUDGE_METRICS if m not in metrics)]
        found = [
            m for m in wanted if any(v is not None for s in series for v in s.values.get(m, []))
        ]
        if not found:
            self.series, self.names, self.first_yes = [], {}, {}
            self.redraw()
            self.plot.show_message(NO_STORED)
            self.status.setText("No stored scores for the selected runs yet: press Score.")
            return
        self.metrics = found
        self.set_series(series, stored=True, names=names, first_yes=first_yes)

    def selected_runs(self) -> list[str]:
        return [item.data(Qt.ItemDataRole.UserRole) for item in self.runs.selectedItems()]

    # -- scoring on the worker -----------------------------------------------------

    def score(self) -> None:
        """Score the selected runs' steps on the compute worker; the UI thread computes nothing."""
        runs = self.selected_runs()
        self.metrics = [m.strip() for m in self.metric_edit.text().split(",") if m.strip()]
        if self.project_dir is None or not runs or not self.metrics:
            self.status.setText("Choose runs and give metrics.")
            return
        reference = self.reference.currentText()
        settings = self.context.settings
        self.score_button.setEnabled(False)
        self.status.setText("Scoring...")
        self.reading.cancel()
        self.job = self.scoring.start(
            collect_labelled,
            str(self.project_dir),
            runs,
            self.metrics,
            reference=None if reference == "(none)" else reference,
            align_policy=self.align.currentText(),
            device=settings.device,
            config=settings.weights_config(),
            name="Score runs",
            on_done=lambda found: self.set_series(found[0], names=found[1], first_yes=found[2]),
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

    def set_series(
        self,
        series: list,
        stored: bool = False,
        names: dict | None = None,
        first_yes: dict | None = None,
    ) -> None:
        """Show scored series (from :func:`core.metrics.series.collect_series`), with the
        judges' stored RS/FS as metrics and first-'yes' steps (``first_yes``) marked."""
        self.series = list(series)
        self.names = dict(names or {})
        self.first_yes = dict(first_yes or {})
        if not self.metrics and series:
            self.metrics = list(series[0].values)
        judged = [
            m for m in JUDGE_METRICS
            if m not in self.metrics and any(v is not None for s in self.series
                                             for v in s.values.get(m, []))
        ]  # fmt: skip
        self.metrics = [*self.metrics, *judged]
        steps = sum(len(s.image_ids) for s in self.series)
        what = "stored scores shown" if stored else "images scored"
        runs = f"{len(self.series)} run{'s' if len(self.series) != 1 else ''}"
        self.status.setText(f"{runs}, {steps} {what}.")
        self.redraw()

    # -- drawing -------------------------------------------------------------------

    def curves(self) -> list[Curve]:
        """The curves to draw: per run, or per group (mean and spread) when banded."""
        return self._plot_data().curves

    def _plot_data(self):
        return plot_data(
            self.series,
            self.metrics,
            self.names,
            normalized=self.normalized.isChecked(),
            band=self.band.isChecked(),
        )

    def redraw(self) -> None:
        from core.metrics.gaps import failure_matrix
        from core.metrics.series import gaps_of

        if not self.series:
            self.plot.show_message(PLOT_EMPTY)
            self.heatmap.show_message(HEATMAP_EMPTY)
            if self.table.columns == TABLE_COLUMNS:  # keep the stored-scores listing
                self.table.set_rows(TABLE_COLUMNS, [])
            return
        label = "normalized score (higher = better)" if self.normalized.isChecked() else "score"
        data = self._plot_data()
        self.plot.set_curves(
            data.curves,
            y_label=label,
            x_label=data.x_label,
            categories=data.categories,
            empty_text=NO_STORED,
        )
        self.plot.plot.setTitle(data.note or None, color="#555", size="9pt")
        self._mark_first_yes(data.categories is None)
        gaps = gaps_of(self.series, [m for m in self.metrics if m not in JUDGE_METRICS])
        choice = self.gap_step.currentText()
        iterative = any(s.kind == "iterate" for s in self.series)
        empty = {} if iterative else {"empty_text": RESTORE_NO_GAPS}
        self._show_fig6_widgets(choice == FIG6)
        if choice == FIG6:
            self._draw_fig6(gaps, empty)
        else:
            step = None if choice == "largest" else int(choice)
            rows, columns, values = failure_matrix(gaps, step)
            names = [f"{m} ({gaps[m].fails}/{len(gaps[m].chains)} fail)" for m in rows]
            title = "Largest gap vs step 1" if step is None else f"Delta{step} vs step 1"
            self.heatmap.set_matrix(names, columns, values, title, **empty)
        self.table.set_rows(
            TABLE_COLUMNS, table_rows(self.series, self.metrics, self.names, self.first_yes)
        )

    def _mark_first_yes(self, on_steps: bool) -> None:
        """A dashed vertical line at each judged run's first 'yes' step, named by the run."""
        import pyqtgraph as pg

        self.thought_marks = []
        if not on_steps or self.plot.showing_message:
            return
        marked = [(run, step) for run, step in self.first_yes.items() if step is not None]
        last = max((k for sr in self.series for k in sr.keys), default=0)
        for index, (run, step) in enumerate(marked):
            line = pg.InfiniteLine(
                pos=step, angle=90, movable=False,
                pen=pg.mkPen((120, 60, 160), width=1, style=Qt.PenStyle.DashLine),
                label=f"{run}: first 'yes'",
                labelOpts={
                    "position": 0.95 - 0.07 * (index % 8), "color": (90, 40, 130),
                    "anchors": [(1, 0), (1, 0)] if step > last / 2 else [(0, 0), (0, 0)],
                },  # the label on the side of the line with room for it
            )  # fmt: skip
            self.plot.plot.addItem(line, ignoreBounds=True)
            self.thought_marks.append((run, step, line))

    # -- judges --------------------------------------------------------------------

    def open_judge(self) -> None:
        """Open the judge dialog on the selected runs (or the browser's selected images)."""
        from app.judge_panel import JudgeDialog

        if self.project_dir is None:
            self.status.setText("Open a project first.")
            return
        if self.judge_dialog is None:
            self.judge_dialog = JudgeDialog(self.context, self.selected_runs, self)
            self.judge_dialog.judged.connect(self._judged)
        self.judge_dialog.set_project(self.project_dir)
        self.judge_dialog.open()

    def _judged(self, summary: str) -> None:
        """The judge's summary; its results come with the session's SCORES change."""
        self.status.setText(summary)
        if self.context.session is None:
            self.load_stored_series()

    def _show_fig6_widgets(self, shown: bool) -> None:
        for widget in (self.bars, self.count_runs, self.export_bars):
            widget.setVisible(shown)

    def _draw_fig6(self, gaps: dict, empty: dict) -> None:
        """Banana100 Fig. 6: failures per metric x image cell, and per metric as bars."""
        from core.metrics.gaps import GAP_STEPS, failed_images, failure_counts

        by_runs = self.count_runs.isChecked()
        rows, columns, counts = failure_counts(gaps, count="runs" if by_runs else "steps")
        if by_runs:
            runs = [s.image for s in self.series if s.kind == "iterate"]
            maximum = max((runs.count(image) for image in columns), default=1)
            title, what = "Failed runs", "failing runs"
        else:
            maximum = len(GAP_STEPS)
            steps = ", ".join(str(s) for s in GAP_STEPS)
            title, what = "Fig. 6 failures", f"failing steps of {steps}"
        self.heatmap.set_counts(rows, columns, counts, maximum, title, what, **empty)
        bar_empty = {"empty_text": empty["empty_text"]} if empty else {}
        if by_runs:
            metrics = [m for m in gaps if gaps[m].chains]
            failed = [gaps[m].fails for m in metrics]
            scored = [
                sum(any(d is not None for d in c.deltas.values()) for c in gaps[m].chains)
                for m in metrics
            ]
            self.bars.set_counts(metrics, failed, scored, "Runs failed", "runs failed",
                                 **bar_empty)  # fmt: skip
        else:
            found = failed_images(gaps)
            metrics = list(found)
            self.bars.set_counts(
                metrics, [found[m][0] for m in metrics], [found[m][1] for m in metrics],
                "Images failed", "images failed", **bar_empty,
            )  # fmt: skip

    # -- interaction ---------------------------------------------------------------

    def step_images(self, run: str, step: int) -> tuple[int, int] | None:
        """Image ids to compare for a clicked point: step 1 and ``step`` of ``run`` (a group:
        its first run), or, on a per-image plot, the input and the run's output of image ``step``."""
        categorical = self.plot.categories is not None
        if categorical:
            keys = list(
                dict.fromkeys(k for s in self.series if s.kind != "iterate" for k in s.keys)
            )
            if not 0 <= step < len(keys):
                return None
        for s in self.series:
            if s.run != run and not (s.group == run and self.band.isChecked()):
                continue
            if categorical:
                outputs = dict(zip(s.keys, s.image_ids, strict=False))
                if keys[step] in outputs:
                    return keys[step], outputs[keys[step]]
                continue
            ids = dict(zip(s.keys, s.image_ids, strict=False))
            if step in ids and 1 in ids:
                return ids[1], ids[step]
        return None

    def open_step(self, run: str, step: int) -> None:
        """Show ``step`` beside step 1 (or a restore output beside its input) in Compare."""
        pair = self.step_images(run, step)
        window = self.window()
        project = getattr(window, "project", None)
        if pair is None or project is None or not hasattr(window, "show_view"):
            return
        view = window.show_view("compare")
        view.set_records([project.image(pair[0]), project.image(pair[1])])

    def export_name(self, stem: str, suffix: str = ".png") -> str:
        """A file name from what is shown: the selected runs and the metrics."""
        runs = self.selected_runs() or [s.run for s in self.series]
        parts = runs[:1] + ([f"and-{len(runs) - 1}-more"] if len(runs) > 1 else [])
        return suggested_name(stem, parts + self.metrics[:3], suffix)

    def _save_path(self, title: str, name: str, filters: str) -> tuple[str, str]:
        folder = Path.home()
        return QFileDialog.getSaveFileName(self, title, str(folder / name), filters)

    def _export(self, writer, stem: str) -> None:
        path, chosen = self._save_path("Export", self.export_name(stem), file_filter())
        if not path:
            return
        path = with_suffix(path, chosen)
        try:
            writer(path)
        except OSError as error:
            self.status.setText(f"Export failed: {error}")
            return
        self.status.setText(f"Exported {path}")

    def _export_csv(self) -> None:
        path, _ = self._save_path("Export CSV", self.export_name("scores", ".csv"), "CSV (*.csv)")
        if not path:
            return
        try:
            self.table.export_csv(path)
        except OSError as error:
            self.status.setText(f"Export failed: {error}")
            return
        self.status.setText(f"Exported {path}")
