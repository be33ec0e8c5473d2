"""The Tables view: the pivot of ``iris table``, the Friedman stability test, correlations.

Three modes, chosen at the top: *Pivot* (below), *Stability (Friedman)*
(seed 000's Table 3, :mod:`app.tables_stability`) and *Correlation* (seed 003's
Table 8, :mod:`app.tables_correlation`). In the pivot, choose row keys (method,
prompt, a tag...), the columns (metric or a key), the metrics, statistics, the full-reference scores' reference and a filter; the
compute worker reads the stored scores and builds the table (the best value of
each column in bold on a tint, by the metric's direction). Images without a stored
score are counted per cell; *Compute Missing* scores them as ``iris score`` would.
Double-click a cell to open its images in Compare; export CSV, Markdown or LaTeX.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.job_owner import JobOwner
from app.session import ProjectChange
from app.tables_common import CONTROLS_WIDTH, EXPORTS, REFERENCES, export_buttons, export_text
from app.tables_correlation import CorrelationPanel
from app.tables_stability import StabilityPanel
from app.views import ViewContext
from core.studies.facts import BUILTIN_KEYS
from widgets.pivot_table import PivotTable
from widgets.plot_export import suggested_name

STATS = ("mean", "sd", "n", "ci95")
DEFAULT_METRICS = "psnr,ssim,niqe,brisque"
MAX_COMPARE = 8
MODES = {  # name -> (button label, the panel's class; None: the pivot, built here)
    "pivot": ("Pivot", None),
    "stability": ("Stability (Friedman)", StabilityPanel),
    "correlation": ("Correlation", CorrelationPanel),
}
EMPTY_TEXT = (
    "No table yet.\n\nScore images first (the Metrics view, or 'iris score --project'),\n"
    "then choose row keys and metrics on the left and press Build Table."
)
NO_SCORES_TEXT = (
    "This project holds no scores yet.\n\nScore images in the Metrics view (or run "
    "'iris score --project'),\nthen press Build Table."
)


class TablesView(QWidget):
    """Registered in ``app/views.py`` as ``tables`` ("Tables")."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.project_dir: Path | None = None
        self.table = None
        self.job = None
        self.reading = JobOwner(context.worker, None, self)  # builds tables: changes nothing
        self.scoring = JobOwner(context.worker, context.session, self)
        if context.session is not None:
            context.session.changed.connect(self._on_project_changed)

        self.rows = QListWidget()
        self.rows.setSelectionMode(QAbstractItemView.SelectionMode.MultiSelection)
        self.rows.setToolTip("Row keys, in list order; click to add or remove one")
        self.cols = QComboBox()
        self.metric_edit = QLineEdit(DEFAULT_METRICS)
        self.metric_edit.setToolTip("Metric names, comma-separated ('iris score --list')")
        self.stat_boxes = {name: QCheckBox(name) for name in STATS}
        self.stat_boxes["mean"].setChecked(True)
        self.reference = QComboBox()
        self.reference.addItems(list(REFERENCES))
        self.reference.setCurrentText("clean")
        self.reference.setToolTip("Which full-reference scores (PSNR, SSIM...): against what")
        self.where_edit = QLineEdit()
        self.where_edit.setPlaceholderText("key=value, key=value")
        self.where_edit.setToolTip("Keep images whose keys have these values (a key twice: either)")
        self.subtotals = QComboBox()
        self.build_button = QPushButton("Build Table")
        self.build_button.clicked.connect(self.build)
        self.compute_button = QPushButton("Compute Missing")
        self.compute_button.setToolTip("Score the images the table has no stored score for")
        self.compute_button.clicked.connect(lambda: self.build(compute=True))
        exports, self.export_buttons = export_buttons(self.export)
        self.status = QLabel("")
        self.status.setWordWrap(True)

        stats = QHBoxLayout()
        for box in self.stat_boxes.values():
            stats.addWidget(box)
        form = QFormLayout()
        form.addRow("Columns", self.cols)
        form.addRow("Metrics", self.metric_edit)
        form.addRow("Stats", stats)
        form.addRow("Reference", self.reference)
        form.addRow("Filter", self.where_edit)
        form.addRow("Subtotals", self.subtotals)
        controls = QWidget()
        controls.setFixedWidth(CONTROLS_WIDTH)
        side = QVBoxLayout(controls)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(QLabel("Rows"))
        side.addWidget(self.rows, 1)
        side.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.build_button)
        buttons.addWidget(self.compute_button)
        side.addLayout(buttons)
        side.addWidget(QLabel("Export"))
        side.addLayout(exports)
        side.addWidget(self.status)

        self.pivot = PivotTable()
        self.pivot.images_activated.connect(self.open_images)
        self.message = QLabel(EMPTY_TEXT)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.pivot)
        self.notes = QLabel("")
        self.notes.setWordWrap(True)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right = QVBoxLayout()
        right.addWidget(self.stack, 1)
        right.addWidget(self.notes)
        self.pivot_page = QWidget()
        pivot_layout = QHBoxLayout(self.pivot_page)
        pivot_layout.setContentsMargins(0, 0, 0, 0)
        pivot_layout.addWidget(controls)
        pivot_layout.addLayout(right, 1)
        self._fill_keys([])

        self.modes = QStackedWidget()
        self.panels: dict[str, QWidget] = {"pivot": self.pivot_page}
        self.mode_buttons: dict[str, QPushButton] = {}
        self.mode_group = QButtonGroup(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Mode"))
        for name, (label, panel) in MODES.items():
            if panel is not None:
                self.panels[name] = panel(context)
            self.modes.addWidget(self.panels[name])
            button = QPushButton(label)
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, n=name: self.set_mode(n))
            self.mode_group.addButton(button)
            self.mode_buttons[name] = button
            bar.addWidget(button)
        bar.addStretch(1)
        self.mode_buttons["pivot"].setChecked(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.modes, 1)

    @property
    def stability(self):
        return self.panels["stability"]

    @property
    def correlation(self):
        return self.panels["correlation"]

    def mode(self) -> str:
        return next(n for n, p in self.panels.items() if p is self.modes.currentWidget())

    def set_mode(self, name: str) -> None:
        """Show mode ``name`` (pivot, stability or correlation)."""
        self.mode_buttons[name].setChecked(True)
        self.modes.setCurrentWidget(self.panels[name])

    # -- project -------------------------------------------------------------------

    def set_project(self, project) -> None:
        for name, panel in self.panels.items():
            if name != "pivot":
                panel.set_project(project)
        self.reading.cancel()
        self.scoring.cancel()
        self.project_dir = project.path if project is not None else None
        self.table = None
        self._show_message(EMPTY_TEXT)
        if project is None:
            self._fill_keys([])
            return
        self._fill_keys(project.tag_keys())
        stored = project.score_metric_names()
        if not stored:
            self._show_message(NO_SCORES_TEXT)
            return
        self.metric_edit.setText(",".join(stored[:6]))
        self.build()

    def _fill_keys(self, tag_keys: list[str]) -> None:
        keys = [*BUILTIN_KEYS, *(k for k in tag_keys if k not in BUILTIN_KEYS)]
        chosen = self.row_keys() or ["method"]
        self.rows.clear()
        self.rows.addItems(keys)
        for index, key in enumerate(keys):
            self.rows.item(index).setSelected(key in chosen)
        for combo, first in ((self.cols, "metric"), (self.subtotals, "(none)")):
            current = combo.currentText()
            combo.clear()
            combo.addItems([first, *keys])
            combo.setCurrentText(current if current in keys else first)

    def _on_project_changed(self, what, source) -> None:
        """New scores or runs rebuild the table shown (never other widgets' business)."""
        if self.project_dir is None or source is self.scoring:
            return
        if what & (ProjectChange.IMAGES | ProjectChange.RUNS | ProjectChange.TAGS):
            from core.project import Project

            with Project.open(self.project_dir) as project:
                self._fill_keys(project.tag_keys())
        shown = self.table is not None and not self.scoring.busy
        if shown and what & (ProjectChange.SCORES | ProjectChange.RUNS | ProjectChange.IMAGES):
            self.build()

    # -- building on the worker ----------------------------------------------------

    def row_keys(self) -> list[str]:
        """The chosen row keys in list order."""
        return [
            self.rows.item(i).text()
            for i in range(self.rows.count())
            if self.rows.item(i).isSelected()
        ]

    def spec(self):
        from core.studies.table import TableSpec

        where: dict[str, list[str]] = {}
        for part in self.where_edit.text().split(","):
            if part.strip():
                key, _, value = part.partition("=")
                where.setdefault(key.strip(), []).append(value.strip())
        subtotals = self.subtotals.currentText()
        return TableSpec(
            rows=self.row_keys(),
            metrics=[m.strip() for m in self.metric_edit.text().split(",") if m.strip()],
            cols=self.cols.currentText() or "metric",
            stats=[name for name, box in self.stat_boxes.items() if box.isChecked()] or ["mean"],
            where=where,
            subtotals=None if subtotals in ("", "(none)") else subtotals,
        )

    def build(self, compute: bool = False) -> None:
        """Build the chosen table on the compute worker (and score what is missing first)."""
        from core.studies.table import project_table

        if self.project_dir is None:
            return
        spec = self.spec()
        if not spec.rows or not spec.metrics:
            self.status.setText("Choose at least one row key and one metric.")
            return
        reference = self.reference.currentText()
        settings = self.context.settings
        options = {"reference": None if reference == "(none)" else reference}
        if compute:
            options.update(compute=True, device=settings.device if settings else "auto")
            if settings is not None:
                options["config"] = settings.weights_config()
        owner = self.scoring if compute else self.reading
        (self.reading if compute else self.scoring).cancel()
        self.status.setText("Scoring missing images..." if compute else "Building the table...")
        self.job = owner.start(
            project_table,
            str(self.project_dir),
            spec,
            **options,
            name="Compute missing scores" if compute else "Build table",
            on_done=self.show_table,
            on_failed=self._failed,
            on_progress=lambda done, total: self.status.setText(f"Scoring {done}/{total}"),
            changes=ProjectChange.SCORES if compute else ProjectChange.NONE,
        )

    def _failed(self, message: str) -> None:
        self.status.setText(message)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)
        self.notes.setText("")
        for button in self.export_buttons.values():
            button.setEnabled(False)

    def show_table(self, table) -> None:
        self.table = table
        if not table.rows:
            self._show_message("No image matches the filter: change or clear it.")
            self.status.setText("Empty table.")
            return
        self.pivot.show_table(table)
        self.stack.setCurrentWidget(self.pivot)
        self.notes.setText("\n".join(table.notes()))
        for button in self.export_buttons.values():
            button.setEnabled(True)
        missing = table.missing_total()
        text = f"{len(table.rows)} rows x {len(table.columns)} columns."
        if missing:
            text += f" {missing} image score(s) missing: Compute Missing scores them."
        self.status.setText(text)

    # -- interaction ---------------------------------------------------------------

    def open_images(self, image_ids: list[int]) -> None:
        """Open the images behind a cell in Compare (the first eight)."""
        window = self.window()
        project = getattr(window, "project", None)
        if project is None or not hasattr(window, "show_view") or not image_ids:
            return
        records = [project.image(i) for i in image_ids[:MAX_COMPARE]]
        view = window.show_view("compare")
        view.set_records(records)
        more = len(image_ids) - len(records)
        self.context.show_status(
            f"Compare: {len(records)} image(s)" + (f", {more} more in the cell" if more else "")
        )

    def export_name(self, suffix: str) -> str:
        spec = self.table.spec if self.table is not None else self.spec()
        return suggested_name("table", [*spec.rows, *spec.metrics], suffix)

    def export(self, fmt: str) -> None:
        from core.studies.formats import render

        table = self.table
        if table is None:
            return
        text = export_text(self, fmt, self.export_name(EXPORTS[fmt][1]), lambda: render(table, fmt))
        if text:
            self.status.setText(text)
