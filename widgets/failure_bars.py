"""A bar chart of failures per metric (Banana100 Fig. 6's companion): one bar per metric.

Each bar is how many items (input images, or runs) a metric fails on, out of those
scored, written above the bar as ``fails/scored``. With nothing to count it says so
instead of drawing empty axes. Exports to PNG, SVG and PDF like the heatmap.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

EMPTY_TEXT = "Failures per metric show here once iterative runs (steps 1..N) are scored."
BAR_COLOUR = (176, 38, 38)


class FailureBars(QWidget):
    """Bars ``counts[i]`` of ``totals[i]`` for each metric ``metrics[i]``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.showGrid(y=True, alpha=0.25)
        self.message = QLabel(EMPTY_TEXT)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #555; padding: 16px;")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.message)
        self.pages.addWidget(self.plot)
        self.metrics: list[str] = []
        self.counts: list[int] = []
        self.totals: list[int] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.show_message(EMPTY_TEXT)

    @property
    def showing_message(self) -> bool:
        return self.pages.currentWidget() is self.message

    def show_message(self, text: str) -> None:
        self.metrics, self.counts, self.totals = [], [], []
        self.message.setText(text)
        self.pages.setCurrentWidget(self.message)

    def set_counts(
        self,
        metrics: list[str],
        counts: list[int],
        totals: list[int],
        title: str = "",
        y_label: str = "failures",
        empty_text: str = EMPTY_TEXT,
    ) -> None:
        """One bar per metric: ``counts[i]`` failures of ``totals[i]`` scored items."""
        if not metrics or not any(totals):
            self.show_message(empty_text)
            return
        self.metrics, self.counts, self.totals = list(metrics), list(counts), list(totals)
        self.plot.clear()
        xs = list(range(len(metrics)))
        bars = pg.BarGraphItem(x=xs, height=self.counts, width=0.6, brush=pg.mkBrush(*BAR_COLOUR))
        self.plot.addItem(bars)
        for x, count, total in zip(xs, self.counts, self.totals, strict=True):
            label = pg.TextItem(f"{count}/{total}", color=(0, 0, 0), anchor=(0.5, 1.0))
            label.setPos(x, count)
            self.plot.addItem(label)
        self.plot.getAxis("bottom").setTicks([list(enumerate(self.metrics))])
        self.plot.setLabel("left", y_label)
        self.plot.setTitle(title, color="k")
        top = max(self.totals)
        self.plot.setRange(xRange=(-0.6, len(metrics) - 0.4), yRange=(0, top * 1.15), padding=0)
        self.pages.setCurrentWidget(self.plot)

    def export(self, path: str) -> str:
        """Write the chart as PNG, SVG or PDF (by the file's extension)."""
        from widgets.plot_export import export_widget

        return export_widget(self, path, "IRIS failures per metric")
