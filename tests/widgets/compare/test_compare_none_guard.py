"""Thousands of void Qt calls must not wear ``None`` down (PySide6 6.12 on Python 3.11)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter

from widgets.compare.none_guard import protect_none


def test_none_survives_many_paint_calls(qapp):
    protect_none()
    image = QImage(8, 8, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    before = sys.getrefcount(None)
    for _ in range(20_000):
        painter.fillRect(QRectF(0, 0, 2, 2), QColor(1, 2, 3))
    painter.end()
    # Whatever this PySide6 does to None's count, there is room for far more calls.
    assert sys.getrefcount(None) > 1_000_000 or sys.version_info >= (3, 12)
    assert abs(sys.getrefcount(None) - before) <= 20_000
