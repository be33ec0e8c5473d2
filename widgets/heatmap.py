"""A labelled heatmap (metric x image) of score gaps: red where a metric fails (Delta > 0).

Values are Delta = norm(step i) - norm(step 1); the diverging colours are
symmetric about 0, cells without a value are grey with a dash, and a caption
under the map says what the colours mean. The count scale (:meth:`Heatmap.set_counts`,
Banana100's Fig. 6) shows whole failure counts 0..maximum instead: white for none,
darker red for more, integer labels. With no value at all (restore runs
have no steps, so no step 1 to compare with) the map gives way to a message
saying so, never a black square. Exports to PNG, SVG and PDF.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

MISSING = (200, 200, 200)
COLOUR_FLOOR = 5.0  # normalized points: gaps smaller than this never get the strongest colour
EMPTY_TEXT = "The failure heatmap shows here once iterative runs (steps 1..N) are scored."
NO_GAPS_TEXT = "No gaps: these runs have no step-1 score to compare later steps with."
CAPTION = (
    '<span style="background:#ff2626">&nbsp;&nbsp;&nbsp;</span> fails: scores a later step '
    'better than step 1 &nbsp; <span style="background:#2673ff">&nbsp;&nbsp;&nbsp;</span> saw '
    'the decay &nbsp; <span style="background:#c8c8c8">&nbsp;&nbsp;&nbsp;</span> no score'
)

COUNT_CAPTION = (
    '<span style="background:#ffffff;border:1px solid #999">&nbsp;&nbsp;&nbsp;</span> 0 '
    "failures &nbsp; "
    '<span style="background:#e0584c">&nbsp;&nbsp;&nbsp;</span> &nbsp;'
    '<span style="background:#7a0c0c">&nbsp;&nbsp;&nbsp;</span> more: {what} (of {maximum}) '
    '&nbsp; <span style="background:#c8c8c8">&nbsp;&nbsp;&nbsp;</span> no score'
)
COUNT_DARKEST = (122, 12, 12)


def sequential(count: float, maximum: float) -> tuple[int, int, int]:
    """White (0) to dark red (``maximum``), in even steps: a count's colour."""
    t = max(0.0, min(1.0, count / maximum)) if maximum > 0 else 0.0
    r, g, b = (int(round(255 + (dark - 255) * t)) for dark in COUNT_DARKEST)
    return (r, g, b)


def diverging(value: float, limit: float) -> tuple[int, int, int]:
    """Blue (negative: the metric saw the decay) - white - red (positive: a failure)."""
    t = max(-1.0, min(1.0, value / limit)) if limit > 0 else 0.0
    if t >= 0:
        return (255, int(255 * (1 - t * 0.85)), int(255 * (1 - t * 0.85)))
    return (int(255 * (1 + t * 0.85)), int(255 * (1 + t * 0.55)), 255)


class Heatmap(QWidget):
    """Rows (metrics) x columns (images) of numbers, coloured about zero, with a caption."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setMouseEnabled(False, False)
        self.plot.invertY(True)
        self.plot.hideButtons()
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.message = QLabel(EMPTY_TEXT)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #555; padding: 16px;")
        self.caption = QLabel(CAPTION)
        self.caption.setWordWrap(True)
        self.caption.setTextFormat(Qt.TextFormat.RichText)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.message)
        self.pages.addWidget(self.plot)
        self.rows: list[str] = []
        self.columns: list[str] = []
        self.values: list[list[float | None]] = []
        self.scale = "gaps"  # or "counts" (set_counts)
        self._grid: pg.PlotDataItem | None = None
        self._labels: list[pg.TextItem] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.caption)
        self.show_message(EMPTY_TEXT)

    @property
    def showing_message(self) -> bool:
        return self.pages.currentWidget() is self.message

    def show_message(self, text: str) -> None:
        """Replace the map by ``text`` (why there is nothing to show, what to do)."""
        self.rows, self.columns, self.values = [], [], []
        self.message.setText(text)
        self.pages.setCurrentWidget(self.message)
        self.caption.hide()

    def set_matrix(
        self,
        rows: list[str],
        columns: list[str],
        values: list[list[float | None]],
        title: str = "",
        empty_text: str = NO_GAPS_TEXT,
    ) -> None:
        """Show ``values[row][column]``; with no value at all show ``empty_text`` instead."""
        known = [abs(v) for row in values for v in row if v is not None]
        limit = max([*known, COLOUR_FLOOR])  # a +0.7 gap alone is pale, not a full red
        self.scale = "gaps"
        self.caption.setText(CAPTION)
        self._draw(rows, columns, values, title, empty_text,
                   lambda v: diverging(v, limit), lambda v: f"{v:+.1f}")  # fmt: skip

    def set_counts(
        self,
        rows: list[str],
        columns: list[str],
        values: list[list[int | None]],
        maximum: int,
        title: str = "",
        what: str = "failures",
        empty_text: str = NO_GAPS_TEXT,
    ) -> None:
        """Show whole counts 0..``maximum`` (Fig. 6): white = 0, darker = more, integer labels."""
        self.scale = "counts"
        self.caption.setText(COUNT_CAPTION.format(what=what, maximum=maximum))
        self._draw(rows, columns, values, title, empty_text,
                   lambda v: sequential(v, maximum), lambda v: f"{int(v)}")  # fmt: skip

    def _draw(self, rows, columns, values, title, empty_text, colour, text_of) -> None:
        if not rows or not columns or all(v is None for row in values for v in row):
            self.show_message(empty_text)
            return
        self.rows, self.columns, self.values = list(rows), list(columns), values
        self.pages.setCurrentWidget(self.plot)
        self.caption.show()
        for label in self._labels:
            self.plot.removeItem(label)
        self._labels = []
        rgb = np.zeros((len(columns), len(rows), 3), np.uint8)
        for r, row in enumerate(values):
            for c, value in enumerate(row):
                rgb[c, r] = MISSING if value is None else colour(value)
                dark = value is not None and int(rgb[c, r].astype(int).sum()) < 330
                text = "–" if value is None else text_of(value)
                label = pg.TextItem(text, color=(255, 255, 255) if dark else (0, 0, 0),
                                    anchor=(0.5, 0.5))  # fmt: skip
                label.setPos(c + 0.5, r + 0.5)
                self.plot.addItem(label)
                self._labels.append(label)
        self.image.setImage(rgb, levels=(0, 255))
        self._draw_grid(len(rows), len(columns))
        self.plot.getAxis("left").setTicks([[(i + 0.5, name) for i, name in enumerate(rows)]])
        self.plot.getAxis("bottom").setTicks([[(i + 0.5, name) for i, name in enumerate(columns)]])
        self.plot.setTitle(title, color="k")
        self.plot.setRange(xRange=(0, len(columns)), yRange=(0, len(rows)), padding=0)

    def _draw_grid(self, rows: int, columns: int) -> None:
        """Thin grey lines between cells on the count scale, where 0 is white on white."""
        if self._grid is not None:
            self.plot.removeItem(self._grid)
            self._grid = None
        if self.scale != "counts":
            return
        xs = [x for c in range(columns + 1) for x in (c, c)] + [0, columns] * (rows + 1)
        ys = [y for _c in range(columns + 1) for y in (0, rows)]
        ys += [r for r in range(rows + 1) for r in (r, r)]
        self._grid = pg.PlotDataItem(xs, ys, connect="pairs", pen=pg.mkPen(150, 150, 150))
        self.plot.addItem(self._grid)

    def export(self, path: str) -> str:
        """Write the map with its caption as PNG, SVG or PDF (by the file's extension)."""
        from widgets.plot_export import export_widget

        return export_widget(self, path, "IRIS failure heatmap")
