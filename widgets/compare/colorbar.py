"""The colour bar of the difference view: the map, its end values and the mode's name."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from core.compare.colormaps import colormap
from core.compare.difference import DIFF_MODES, value_range


def format_value(value: float) -> str:
    if value == 0:
        return "0"
    return f"{value:.3g}"


class ColorBar(QWidget):
    """A vertical bar: the top colour is the largest error shown, the bottom the smallest."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = "absolute"
        self.scale = 1.0
        self.setFixedWidth(86)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)

    def set_mode(self, mode: str, scale: float) -> None:
        self.mode, self.scale = mode, scale
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(45, 45, 48))
        lut = colormap(DIFF_MODES.get(self.mode).colormap)
        metrics = painter.fontMetrics()
        top, bottom = metrics.height() * 2 + 8, self.height() - metrics.height() - 8
        bar = QRectF(8, top, 22, max(bottom - top, 1))
        rows = max(int(bar.height()), 1)
        for i in range(rows):
            entry = lut[int(round((rows - 1 - i) / max(rows - 1, 1) * 255))]
            painter.fillRect(QRectF(bar.x(), bar.y() + i, bar.width(), 1), QColor(*map(int, entry)))
        low, high = value_range(self.mode, self.scale)
        painter.setPen(QColor(230, 230, 230))
        text_x = bar.right() + 4
        painter.drawText(
            QRectF(4, 4, self.width() - 8, top - 8),
            Qt.AlignmentFlag.AlignLeft,
            f"{self.mode}\nx{format_value(self.scale)}",
        )
        for value, y in (
            (high, bar.top()),
            (low, bar.bottom()),
            ((low + high) / 2, bar.center().y()),
        ):
            painter.drawText(
                QRectF(text_x, y - 8, self.width() - text_x, 16),
                Qt.AlignmentFlag.AlignVCenter,
                format_value(value),
            )
        painter.end()


def bar_colours(mode: str) -> np.ndarray:
    """The bar's colours top to bottom (for tests and exports)."""
    return colormap(DIFF_MODES.get(mode).colormap)[::-1]
