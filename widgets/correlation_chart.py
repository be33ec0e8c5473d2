"""Seed 003's Table 8 on screen: Kendall tau-b, SRCC and PLCC with p-values, and the pairs.

Above, the three coefficients in the paper's layout (Metric, Correlation
Coefficient, p-value); below, a scatter plot of the pairs they were computed on
(the metric on x, the human ratings or the second metric on y). Pairs by method
are few, so each point is labelled with its method.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

from core.studies.stat_formats import p_text

MAX_LABELLED = 30
POINT = (31, 119, 180)


class CorrelationChart(QWidget):
    """Shows a :class:`core.studies.correlate.Correlation`: its coefficients and its scatter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Metric", "Correlation Coefficient", "p-value"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._fit_table(3)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=True, y=True, alpha=0.2)
        self.scatter = pg.ScatterPlotItem(
            size=8, pen=pg.mkPen(20, 60, 110), brush=pg.mkBrush(*POINT, 170)
        )
        self.plot.addItem(self.scatter)
        self.labels: list[pg.TextItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.plot, 1)

    def _fit_table(self, rows: int) -> None:
        """Tall enough for the header and ``rows`` rows: the three coefficients never scroll."""
        header = self.table.horizontalHeader().sizeHint().height()
        row = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(header + rows * row + 2 * self.table.frameWidth() + 2)

    def show_result(self, result) -> None:
        self.table.setRowCount(len(result.coefficients))
        self._fit_table(len(result.coefficients))
        for r, c in enumerate(result.coefficients):
            value = "undefined" if c.value is None else f"{c.value:.4f}"
            for col, text in enumerate((c.title, value, p_text(c.p_value))):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if col == 1 and c.value is None:
                    item.setToolTip("one of the vectors is constant: the coefficient is undefined")
                self.table.setItem(r, col, item)
        self.scatter.setData(x=list(result.x), y=list(result.y), data=list(result.labels))
        for label in self.labels:
            self.plot.removeItem(label)
        self.labels = []
        if result.by == "method" and result.n <= MAX_LABELLED:
            for text, x, y in zip(result.labels, result.x, result.y, strict=True):
                label = pg.TextItem(text, color=(40, 40, 40), anchor=(0, 1))
                label.setPos(x, y)
                self.plot.addItem(label)
                self.labels.append(label)
        against = "human rating (mean of raters)" if result.against == "human" else result.against
        if result.against == "human" and result.by == "rating":
            against = "human rating"
        self.plot.setLabel("bottom", result.metric)
        self.plot.setLabel("left", against)
        self.plot.setTitle(f"{result.n} pairs by {result.by}", size="9pt")
        self.plot.autoRange()

    def points(self) -> list[tuple[float, float]]:
        """The (x, y) pairs drawn."""
        x, y = self.scatter.getData()
        return [(float(a), float(b)) for a, b in zip(x, y, strict=True)]
