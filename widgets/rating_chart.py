"""Human ratings per method: a mean/sd/n table and the 0-5 score distribution as bars.

Seed 000's user study (Fig. 5) reports each method's average rating and its
score distribution; this widget shows both for what it is given (a list of
``core.studies.ratings.MethodRatings``-like rows: method, n, mean, sd, distribution).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget

PALETTE = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
           (140, 86, 75), (227, 119, 194), (127, 127, 127)]  # fmt: skip


class RatingChart(QWidget):
    """Per-method mean, sd and n above grouped bars: how often each method got each score."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["method", "n", "mean", "sd"])
        self.table.verticalHeader().setVisible(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.setLabel("bottom", "score")
        self.plot.setLabel("left", "ratings")
        self.plot.getAxis("bottom").setTicks([[(s, str(s)) for s in range(6)]])
        self.legend = self.plot.addLegend(offset=(-5, 5), labelTextSize="8pt")
        self.bars: list[pg.BarGraphItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.plot, 2)

    def show_summary(self, rows: Sequence) -> None:
        """One table row and one bar series per method."""
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            mean = "" if row.mean is None else f"{row.mean:.2f}"
            sd = "" if row.sd is None else f"{row.sd:.2f}"
            for c, text in enumerate((row.method, str(row.n), mean, sd)):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        for bar in self.bars:
            self.plot.removeItem(bar)
        self.legend.clear()
        self.bars = []
        width = 0.8 / max(len(rows), 1)
        for index, row in enumerate(rows):
            colour = PALETTE[index % len(PALETTE)]
            offset = -0.4 + width * (index + 0.5)
            bar = pg.BarGraphItem(
                x=[s + offset for s in range(6)],
                height=list(row.distribution),
                width=width,
                brush=pg.mkBrush(*colour),
                pen=pg.mkPen(40, 40, 40),
                name=row.method,
            )
            self.plot.addItem(bar)  # its name puts it in the legend
            self.bars.append(bar)
        self.plot.setXRange(-0.6, 5.6, padding=0)

    def heights(self) -> dict[str, list[float]]:
        """method -> bar heights (scores 0-5), as drawn."""
        return {bar.name(): list(bar.opts["height"]) for bar in self.bars}
