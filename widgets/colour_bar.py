"""A vertical colour bar labelled in metres (log-spaced, like the depth display it explains)."""

from __future__ import annotations

import math

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFontMetrics, QLinearGradient, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget


def nice_ticks(lo: float, hi: float, count: int = 6) -> list[float]:
    """Round values (1, 2, 5 x 10^k) between ``lo`` and ``hi`` spread evenly on a log scale."""
    if not (0 < lo < hi):
        return []
    ticks: list[float] = []
    for mantissas in ((1, 2, 5), (1, 2, 3, 4, 5, 6, 7, 8, 9)):  # finer when the range is narrow
        ticks = []
        for exponent in range(math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1):
            for mantissa in mantissas:
                value = mantissa * 10.0**exponent
                if lo <= value <= hi:
                    ticks.append(value)
        if len(ticks) >= 3:
            break
    while len(ticks) > count:
        ticks = ticks[::2]
    return ticks or [lo, hi]


def format_metres(value: float) -> str:
    return f"{value:.3g} m" if value < 1000 else f"{value / 1000:.3g} km"


class ColourBar(QWidget):
    """Paints ``colours`` (a list of (r, g, b)) from ``lo`` (bottom) to ``hi`` (top) metres, log scale."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.colours: list[tuple[int, int, int]] = []
        self.lo, self.hi = 0.1, 1.0
        self.setMinimumWidth(72)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)

    def set_range(self, colours, lo: float, hi: float) -> None:
        self.colours = [tuple(int(c) for c in colour) for colour in colours]
        self.lo, self.hi = float(lo), float(hi)
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.fillRect(self.rect(), self.palette().window())
        if not self.colours:
            return
        metrics = QFontMetrics(self.font())
        top, bottom = metrics.height(), self.height() - metrics.height()
        bar = QRectF(4, top, 16, max(bottom - top, 1))
        gradient = QLinearGradient(bar.bottomLeft(), bar.topLeft())
        steps = len(self.colours) - 1
        for i, colour in enumerate(self.colours):
            gradient.setColorAt(i / max(steps, 1), QColor(*colour))
        painter.fillRect(bar, gradient)
        painter.setPen(self.palette().windowText().color())
        span = math.log(self.hi / self.lo) if self.hi > self.lo else 1.0
        for value in nice_ticks(self.lo, self.hi):
            y = bar.bottom() - (math.log(value / self.lo) / span) * bar.height()
            painter.drawLine(int(bar.right()), int(y), int(bar.right()) + 4, int(y))
            painter.drawText(
                int(bar.right()) + 7, int(y + metrics.ascent() / 2 - 1), format_metres(value)
            )
        painter.drawText(0, metrics.ascent(), "depth")
        painter.end()
