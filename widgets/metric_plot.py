"""Metric curves (pyqtgraph): per step of iterative runs, or per input image of restore runs.

Iterative runs are drawn as lines over an integer step axis; runs without steps
(restore runs: one output per input image) as points over a categorical axis
labelled by image. The legend is a list beside the plot, so it never covers a
curve or the hover read-out (the nearest point's run, step or image and value).
Clicking a point emits ``point_clicked(run, key)``: the step, or the image's index.
With nothing to draw the plot gives way to a message saying what to do next.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QWidget,
)

PALETTE = [
    (31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
    (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207),
]  # fmt: skip
STYLES = [None, (6, 3), (2, 3), (8, 3, 2, 3)]
SYMBOLS = ["o", "s", "t", "d", "+", "x"]
EMPTY_TEXT = "Select runs on the left and press Score; stored scores show here automatically."


@dataclass
class Curve:
    """One line: a metric over the steps of a run (``spread`` > 0 draws a band: mean +- spread).

    On a categorical plot ``steps`` are indices into the plot's categories (input images).
    """

    metric: str
    run: str
    steps: list[int]
    values: list[float | None]
    spread: list[float | None] | None = None

    @property
    def label(self) -> str:
        return f"{self.metric} - {self.run}"


class StepAxis(pg.AxisItem):
    """An x axis with whole-number ticks only: there is no step 2.5."""

    def tickValues(self, minVal, maxVal, size):  # noqa: N802 (pyqtgraph override)
        levels = [
            (spacing, [v for v in values if abs(v - round(v)) < 1e-9])
            for spacing, values in super().tickValues(minVal, maxVal, size)
            if spacing >= 1
        ]
        levels = [(spacing, values) for spacing, values in levels if values]
        if not levels:
            lo, hi = math.ceil(minVal), math.floor(maxVal)
            levels = [(1.0, [float(v) for v in range(lo, hi + 1)])]
        return levels

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph override)
        return [str(int(round(v))) for v in values]


def _swatch(colour: tuple[int, int, int], dash: tuple | None, symbol: bool) -> QIcon:
    pixmap = QPixmap(28, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(*colour), 2)
    if dash:
        pen.setDashPattern([d / 2 for d in dash])
    painter.setPen(pen)
    if symbol:
        painter.setBrush(QColor(*colour))
        painter.drawEllipse(10, 2, 8, 8)
    else:
        painter.drawLine(1, 6, 27, 6)
    painter.end()
    return QIcon(pixmap)


def elide(text: str, width: int = 14) -> str:
    """``text`` cut in the middle to ``width`` characters (tick labels stay readable)."""
    if len(text) <= width:
        return text
    half = (width - 1) // 2
    return f"{text[:half]}…{text[-(width - 1 - half) :]}"


class MetricPlot(QWidget):
    """A plot of :class:`Curve` s with a side legend, hover read-out, clickable points, export."""

    point_clicked = Signal(str, int)  # run, step (or category index)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.axis = StepAxis("bottom")
        self.plot = pg.PlotWidget(background="w", axisItems={"bottom": self.axis})
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.setLabel("bottom", "step")
        self.plot.setLabel("left", "score")
        self.readout = pg.TextItem("", color=(20, 20, 20), anchor=(0, 1), fill=(255, 255, 255, 220))
        self.readout.setZValue(100)
        self.message = QLabel(EMPTY_TEXT)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #555; font-size: 11pt; padding: 24px;")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.message)
        self.pages.addWidget(self.plot)
        self.legend = QListWidget()
        self.legend.setIconSize(QSize(28, 12))
        self.legend.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.legend.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.legend.setFixedWidth(170)
        self.legend.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.legend.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.legend.hide()
        self.curves: list[Curve] = []
        self.categories: list[str] | None = None
        self._points: list[tuple[float, float, str, int, str]] = []  # x, y, run, key, metric
        self._offsets: dict[str, float] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.legend)
        self.plot.scene().sigMouseMoved.connect(self._on_moved)

    @property
    def showing_message(self) -> bool:
        return self.pages.currentWidget() is self.message

    def show_message(self, text: str = EMPTY_TEXT) -> None:
        """Replace the plot by ``text`` (what to do next), instead of blank axes."""
        self.plot.clear()
        self.curves, self._points = [], []
        self.legend.clear()
        self.legend.hide()
        self.message.setText(text)
        self.pages.setCurrentWidget(self.message)

    def set_curves(
        self,
        curves: list[Curve],
        *,
        y_label: str = "score",
        x_label: str = "step",
        categories: list[str] | None = None,
        empty_text: str = EMPTY_TEXT,
    ) -> None:
        """Replace the curves; colours follow the metric, dash styles (or symbols) the run.

        With ``categories`` the x axis names them (curve steps index them) and each
        run is drawn as points, since a line between two images means nothing.
        """
        curves = [c for c in curves if any(v is not None for v in c.values)]
        if not curves:
            self.show_message(empty_text)
            return
        self.plot.clear()
        self.curves = list(curves)
        self.categories = list(categories) if categories is not None else None
        self._points = []
        self.pages.setCurrentWidget(self.plot)
        self.plot.setLabel("left", y_label)
        self.plot.setLabel("bottom", x_label)
        metrics = list(dict.fromkeys(c.metric for c in curves))
        runs = list(dict.fromkeys(c.run for c in curves))
        spread = 0.5 / max(len(runs), 1) if self.categories is not None else 0.0
        self._offsets = {run: (i - (len(runs) - 1) / 2) * spread for i, run in enumerate(runs)}
        for curve in curves:
            self._draw(curve, metrics.index(curve.metric), runs.index(curve.run))
        self._fill_legend(metrics, runs)
        if self.categories is not None:
            ticks = self._category_ticks()
            self.axis.setTicks([ticks, []])
        else:
            self.axis.setTicks(None)
        self.plot.addItem(self.readout, ignoreBounds=True)
        self.readout.setText("")
        self.plot.enableAutoRange()
        if self.categories is not None:
            self.plot.setXRange(-0.6, len(self.categories) - 0.4, padding=0)

    def _category_ticks(self) -> list[tuple[float, str]]:
        """Image names cut in the middle to the room each has on the axis (never overlapping)."""
        names = self.categories or []
        font = self.axis.style.get("tickFont") or self.plot.font()
        metrics = QFontMetrics(font)
        room = int(0.8 * (self.plot.width() - 60) / max(len(names), 1))
        return [
            (float(i), metrics.elidedText(name, Qt.TextElideMode.ElideMiddle, max(room, 30)))
            for i, name in enumerate(names)
        ]

    def _draw(self, curve: Curve, metric_index: int, run_index: int) -> None:
        colour = PALETTE[metric_index % len(PALETTE)]
        offset = self._offsets[curve.run]
        pairs = [(s, v) for s, v in zip(curve.steps, curve.values, strict=True) if v is not None]
        xs = np.array([s + offset for s, _ in pairs], float)
        ys = np.array([v for _, v in pairs], float)
        if self.categories is not None:
            symbol = SYMBOLS[run_index % len(SYMBOLS)]
            item = self.plot.plot(
                xs, ys, pen=None, symbol=symbol, symbolSize=10, symbolBrush=colour,
                symbolPen=pg.mkPen(30, 30, 30), name=curve.label,
            )  # fmt: skip
        else:
            style = STYLES[run_index % len(STYLES)]
            pen = pg.mkPen(colour, width=2)
            if style:
                pen.setDashPattern(list(style))
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
                self.plot.addItem(pg.FillBetweenItem(upper, lower, brush=pg.mkBrush(*colour, 50)))
            item = self.plot.plot(
                xs, ys, pen=pen, symbol="o", symbolSize=5, symbolBrush=colour, symbolPen=None,
                name=curve.label,
            )  # fmt: skip
        item.sigPointsClicked.connect(
            lambda _item, points, _ev=None, run=curve.run: self._on_clicked(run, points)
        )
        self._points += [
            (x, y, curve.run, int(round(x - offset)), curve.metric)
            for x, y in zip(xs, ys, strict=True)
        ]

    def _fill_legend(self, metrics: list[str], runs: list[str]) -> None:
        """Colours name the metrics, dashes (or symbols) the runs: m + r rows, not m x r."""
        self.legend.clear()
        categorical = self.categories is not None
        for title, names in (("Metrics", metrics), ("Runs", runs)):
            header = QListWidgetItem(title)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a title: black, not selectable
            self.legend.addItem(header)
            for i, name in enumerate(names):
                if title == "Metrics":
                    icon = _swatch(PALETTE[i % len(PALETTE)], None, False)
                else:
                    icon = _swatch((60, 60, 60), STYLES[i % len(STYLES)], categorical)
                item = QListWidgetItem(icon, name)
                item.setToolTip(name)
                self.legend.addItem(item)
        self.legend.show()

    def legend_labels(self) -> list[str]:
        """The legend's rows as text (section titles included)."""
        return [self.legend.item(i).text() for i in range(self.legend.count())]

    def _on_clicked(self, run: str, points) -> None:
        if len(points):
            x = points[0].pos().x() - self._offsets.get(run, 0.0)
            self.point_clicked.emit(run, int(round(x)))

    def nearest(self, x: float, y: float) -> tuple[float, float, str, int, str] | None:
        """The data point closest to (x, y) in screen-relative units of the current view."""
        if not self._points:
            return None
        (x0, x1), (y0, y1) = self.plot.viewRange()
        sx, sy = max(x1 - x0, 1e-12), max(y1 - y0, 1e-12)
        return min(self._points, key=lambda p: ((p[0] - x) / sx) ** 2 + ((p[1] - y) / sy) ** 2)

    def describe(self, point: tuple[float, float, str, int, str]) -> str:
        """The read-out of a point: metric, run, then its step or its image, and the value."""
        _x, y, run, key, metric = point
        if self.categories is not None and 0 <= key < len(self.categories):
            where = self.categories[key]
        else:
            where = f"step {key}"
        return f"{metric}  {run}\n{where}: {y:.4g}"

    def _on_moved(self, position) -> None:
        if not self.plot.sceneBoundingRect().contains(position):
            return
        point = self.plot.plotItem.vb.mapSceneToView(position)
        found = self.nearest(point.x(), point.y())
        if found is None:
            return
        self.readout.setText(self.describe(found))
        # keep the read-out inside the view: open it towards the centre
        (x0, x1), (y0, y1) = self.plot.viewRange()
        self.readout.setAnchor(
            (1 if found[0] > (x0 + x1) / 2 else 0, 0 if found[1] > (y0 + y1) / 2 else 1)
        )
        self.readout.setPos(found[0], found[1])

    def export(self, path: str) -> str:
        """Write the plot with its legend as PNG, SVG or PDF (by the file's extension)."""
        from widgets.plot_export import export_widget

        return export_widget(self, path, "IRIS metric plot")
