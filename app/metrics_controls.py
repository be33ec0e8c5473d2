"""The Metrics view's control column: runs, metrics, reference, display and export buttons.

Only widgets and their layout live here; the view (app/plots_view.py) connects them
to what they do, so a newcomer reads the behaviour in one place and the form in another.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from core.metrics.alignment import POLICIES

DEFAULT_METRICS = "niqe,brisque,piqe,entropy"
REFERENCES = ("(none)", "input", "previous", "step1", "step0", "clean")
FIG6 = "failures (Fig. 6)"
GAP_CHOICES = ("largest", "5", "10", "20", FIG6)
CONTROLS_WIDTH = 270


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    return button


class MetricsControls(QWidget):
    """The fixed-width column on the Metrics view's left."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runs = QListWidget()
        self.runs.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.runs.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.runs.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.runs.setMinimumHeight(90)
        self.metric_edit = QLineEdit(DEFAULT_METRICS)
        self.metric_edit.setToolTip("pyiqa metric names, comma-separated ('iris score --list')")
        self.reference = QComboBox()
        self.reference.addItems(list(REFERENCES))
        self.reference.setToolTip("Reference image of full-reference metrics (PSNR, SSIM, ...)")
        self.align = QComboBox()
        self.align.addItems(list(POLICIES))
        self.align.setToolTip(
            "Full-reference images of another size than the reference: resize (bicubic) "
            "to its size, crop to the box they show, or refuse"
        )
        self.normalized = QCheckBox("Normalized [0, 100], higher = better")
        self.band = QCheckBox("Group mean and +-1 sd band")
        self.gap_step = QComboBox()
        self.gap_step.addItems(list(GAP_CHOICES))
        self.gap_step.setToolTip(
            "Delta_i per cell, the largest, or Banana100 Fig. 6: how many of steps 5, 10, 20 "
            "fail per metric x image (the paper's count), with failures per metric beside it"
        )
        self.count_runs = QCheckBox("Count runs, not steps")
        self.count_runs.setToolTip(
            "Fig. 6 mode: count the runs of each image a metric fails on (any gap > 0), and "
            "failed runs per metric, instead of the paper's count over steps 5, 10, 20"
        )
        self.score_button = QPushButton("Score")
        self.stored_button = _button(
            "Show All Stored Scores",
            "Every score the project holds, imported results included, in the table",
        )
        self.judge_button = _button(
            "Judge...",
            "RealIR-Bench RS/FS (a VLM rates each output and its input) or the Banana100 "
            "thought judge (first step whose reasoning mentions noise) on the selected runs",
        )
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.export_plot = _button("Plot...", "Export the plot as PNG, SVG or PDF")
        self.export_map = _button("Heatmap...", "Export the failure heatmap as PNG, SVG or PDF")
        self.export_bars = _button(
            "Bars...", "Export the failures-per-metric chart as PNG, SVG or PDF"
        )
        self.export_csv = _button("CSV...", "Export the table's rows as shown (filtered, sorted)")
        self._lay_out()

    def _lay_out(self) -> None:
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel("Runs and run groups"))
        column.addWidget(self.runs, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Metrics", self.metric_edit)
        form.addRow("Reference", self.reference)
        form.addRow("Size alignment", self.align)
        form.addRow(self.normalized)
        form.addRow(self.band)
        form.addRow("Heatmap", self.gap_step)
        form.addRow(self.count_runs)
        column.addLayout(form)
        column.addWidget(self.score_button)
        column.addWidget(self.stored_button)
        column.addWidget(self.judge_button)
        column.addWidget(self.status)
        column.addWidget(QLabel("Export"))
        buttons = QHBoxLayout()
        for button in (self.export_plot, self.export_map, self.export_csv):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            buttons.addWidget(button)
        column.addLayout(buttons)
        column.addWidget(self.export_bars)  # the Fig. 6 mode's own chart, shown with it
        self.setFixedWidth(CONTROLS_WIDTH)
