"""A labelled heatmap (metric x image) of score gaps: red where a metric fails (Delta > 0).

Values are Delta = norm(step i) - norm(step 1); the diverging colours are
symmetric about 0, empty cells are grey, and each cell prints its value.
Exports to PNG and SVG.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QVBoxLayout, QWidget

MISSING = (200, 200, 200)


def diverging(value: float, limit: float) -> tuple[int, int, int]:
    """Blue (negative: the metric saw the decay) - white - red (positive: a failure)."""
    t = max(-1.0, min(1.0, value / limit)) if limit > 0 else 0.0
    if t >= 0:
        return (255, int(255 * (1 - t * 0.85)), int(255 * (1 - t * 0.85)))
    return (int(255 * (1 + t * 0.85)), int(255 * (1 + t * 0.55)), 255)


class Heatmap(QWidget):
    """Rows (metrics) x columns (images) of numbers, coloured about zero."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMouseEnabled(False, False)
        self.plot.invertY(True)
        self.plot.hideButtons()
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.rows: list[str] = []
        self.columns: list[str] = []
        self.values: list[list[float | None]] = []
        self._labels: list[pg.TextItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)

    def set_matrix(
        self, rows: list[str], columns: list[str], values: list[list[float | None]], title: str = ""
    ) -> None:
        self.rows, self.columns, self.values = list(rows), list(columns), values
        for label in self._labels:
            self.plot.removeItem(label)
        self._labels = []
        known = [abs(v) for row in values for v in row if v is not None]
        limit = max(known) if known else 1.0
        rgb = np.zeros((max(len(columns), 1), max(len(rows), 1), 3), np.uint8)
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                rgb[c, r] = MISSING if value is None else diverging(value, limit)
                text = "" if value is None else f"{value:+.1f}"
                label = pg.TextItem(text, color=(0, 0, 0), anchor=(0.5, 0.5))
                label.setPos(c + 0.5, r + 0.5)
                self.plot.addItem(label)
                self._labels.append(label)
        self.image.setImage(rgb, levels=(0, 255))
        self.plot.getAxis("left").setTicks([[(i + 0.5, name) for i, name in enumerate(rows)]])
        self.plot.getAxis("bottom").setTicks([[(i + 0.5, name) for i, name in enumerate(columns)]])
        self.plot.setTitle(title, color="k")
        self.plot.setRange(
            xRange=(0, max(len(columns), 1)), yRange=(0, max(len(rows), 1)), padding=0
        )

    def export(self, path: str) -> str:
        """Write the plot as PNG or SVG (by the file's extension)."""
        from widgets.plot_export import export_view

        return export_view(self.plot, path, "IRIS failure heatmap")
