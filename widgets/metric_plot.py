"""Per-step metric curves (pyqtgraph): one curve per metric and run, or a group's mean and band.

Hovering shows the nearest point's run, step and value; clicking a point emits
``point_clicked(run, step)`` (the Metrics view opens that step beside step 1).
The plot exports to PNG and SVG.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

PALETTE = [
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
]  # fmt: skip
STYLES = [None, (6, 3), (2, 3), (8, 3, 2, 3)]


@dataclass
class Curve:
    """One line: a metric over the steps of a run (``spread`` > 0 draws a band: mean +- spread)."""

    metric: str
    run: str
    steps: list[int]
    values: list[float | None]
    spread: list[float | None] | None = None

    @property
    def label(self) -> str:
        return f"{self.metric} - {self.run}"


class MetricPlot(QWidget):
    """A plot of :class:`Curve` s with hover read-out, clickable points and export."""

    point_clicked = Signal(str, int)  # run, step

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setLabel("bottom", "step")
        self.plot.setLabel("left", "score")
        self.legend = self.plot.addLegend(
            offset=(-10, -10), brush=pg.mkBrush(255, 255, 255, 200), labelTextColor=(30, 30, 30)
        )
        self.readout = pg.TextItem("", color=(20, 20, 20), anchor=(0, 1), fill=(255, 255, 255, 220))
        self.readout.setZValue(100)
        self.curves: list[Curve] = []
        self._points: list[tuple[float, float, str, int, str]] = []  # x, y, run, step, metric
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot)
        self.plot.scene().sigMouseMoved.connect(self._on_moved)

    def set_curves(self, curves: list[Curve], *, y_label: str = "score") -> None:
        """Replace the curves; colours follow the metric, dash styles the run."""
        self.plot.clear()
        self.legend.clear()
        self.curves = list(curves)
        self._points = []
        self.plot.setLabel("left", y_label)
        metrics = list(dict.fromkeys(c.metric for c in curves))
        runs = list(dict.fromkeys(c.run for c in curves))
        for curve in curves:
            colour = PALETTE[metrics.index(curve.metric) % len(PALETTE)]
            style = STYLES[runs.index(curve.run) % len(STYLES)]
            pen = pg.mkPen(colour, width=2)
            if style:
                pen.setDashPattern(list(style))
            xs = np.array(
                [s for s, v in zip(curve.steps, curve.values, strict=True) if v is not None], float
            )
            ys = np.array([v for v in curve.values if v is not None], float)
            if curve.spread is not None:
                sd = np.array(
                    [
                        d or 0.0
                        for d, v in zip(curve.spread, curve.values, strict=True)
                        if v is not None
                    ]
                )
                upper = pg.PlotDataItem(xs, ys + sd, pen=pg.mkPen(None))
                lower = pg.PlotDataItem(xs, ys - sd, pen=pg.mkPen(None))
                band = pg.FillBetweenItem(upper, lower, brush=pg.mkBrush(*colour, 50))
                self.plot.addItem(band)
            item = self.plot.plot(
                xs, ys, pen=pen, symbol="o", symbolSize=5, symbolBrush=colour, symbolPen=None,
                name=curve.label,
            )  # fmt: skip
            item.sigPointsClicked.connect(
                lambda _item, points, _ev=None, run=curve.run: self._on_clicked(run, points)
            )
            self._points += [
                (x, y, curve.run, int(x), curve.metric) for x, y in zip(xs, ys, strict=True)
            ]
        self.plot.addItem(self.readout, ignoreBounds=True)
        self.readout.setText("")
        self.plot.enableAutoRange()

    def _on_clicked(self, run: str, points) -> None:
        if len(points):
            self.point_clicked.emit(run, int(round(points[0].pos().x())))

    def nearest(self, x: float, y: float) -> tuple[float, float, str, int, str] | None:
        """The data point closest to (x, y) in screen-relative units of the current view."""
        if not self._points:
            return None
        (x0, x1), (y0, y1) = self.plot.viewRange()
        sx, sy = max(x1 - x0, 1e-12), max(y1 - y0, 1e-12)
        return min(self._points, key=lambda p: ((p[0] - x) / sx) ** 2 + ((p[1] - y) / sy) ** 2)

    def _on_moved(self, position) -> None:
        if not self.plot.sceneBoundingRect().contains(position):
            return
        point = self.plot.plotItem.vb.mapSceneToView(position)
        found = self.nearest(point.x(), point.y())
        if found is None:
            return
        x, y, run, step, metric = found
        self.readout.setText(f"{metric}  {run}\nstep {step}: {y:.4g}")
        self.readout.setPos(x, y)

    def export(self, path: str) -> str:
        """Write the plot as PNG or SVG (by the file's extension)."""
        from widgets.plot_export import export_view

        return export_view(self.plot, path, "IRIS metric plot")
