"""Export a pyqtgraph plot widget as PNG (its pixels) or SVG (vector, through QtSvg).

pyqtgraph's own SVG exporter fails on the path data of recent Qt versions,
so SVG is rendered by Qt's ``QSvgGenerator`` from the plot's graphics view.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QGraphicsView


def export_view(view: QGraphicsView, path: str, title: str = "IRIS plot") -> str:
    """Write ``view`` to ``path``: SVG when it ends in .svg, else a PNG of its pixels."""
    if path.lower().endswith(".svg"):
        from PySide6.QtSvg import QSvgGenerator

        size = view.viewport().size()
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(QSize(size.width(), size.height()))
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        generator.setTitle(title)
        painter = QPainter(generator)
        try:
            view.render(painter)
        finally:
            painter.end()
        return path
    if not view.grab().save(path):
        raise OSError(f"{path}: could not write the image")
    return path
