"""Export a plot widget as PNG (its pixels), SVG or PDF (vector, painted by Qt).

pyqtgraph's own SVG exporter fails on the path data of recent Qt versions and it
has no PDF exporter, so both vector formats are painted by Qt itself: the widget
(plot, axes, side legend) renders into a ``QSvgGenerator`` or a ``QPdfWriter``.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPoint, QRect, QSize, QSizeF
from PySide6.QtGui import QPageSize, QPainter
from PySide6.QtWidgets import QGraphicsView, QWidget

FORMATS = {
    ".png": "PNG image (*.png)",
    ".svg": "SVG drawing (*.svg)",
    ".pdf": "PDF document (*.pdf)",
}
FILTER = ";;".join(FORMATS.values())


def file_filter() -> str:
    """The save dialog's filter: PNG, SVG and PDF."""
    return FILTER


def suggested_name(stem: str, parts: list[str], suffix: str = ".png") -> str:
    """A file name from what is shown: ``stem-part1-part2.png``, safe on every file system."""
    words = [stem, *parts[:3]]
    if len(parts) > 3:
        words.append(f"and-{len(parts) - 3}-more")
    name = "-".join(re.sub(r"[^A-Za-z0-9._]+", "-", w).strip("-._") for w in words if w)
    return (name[:120] or "plot") + suffix


def with_suffix(path: str, selected_filter: str) -> str:
    """``path`` with the extension of the chosen filter when it has none of ours."""
    if Path(path).suffix.lower() in FORMATS:
        return path
    for suffix, label in FORMATS.items():
        if label == selected_filter:
            return path + suffix
    return path + ".png"


def _render(widget: QWidget, painter: QPainter) -> None:
    if isinstance(widget, QGraphicsView):  # a graphics view alone paints its scene
        widget.render(painter)
    else:  # any other widget paints itself and its children (the plot and its legend)
        widget.render(painter, QPoint(0, 0))


def export_widget(widget: QWidget, path: str, title: str = "IRIS plot") -> str:
    """Write ``widget`` to ``path``: SVG or PDF by the extension, else a PNG of its pixels."""
    size = widget.size()
    suffix = Path(path).suffix.lower()
    if suffix == ".svg":
        from PySide6.QtSvg import QSvgGenerator

        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(QSize(size.width(), size.height()))
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        generator.setTitle(title)
        painter = QPainter(generator)
        try:
            _render(widget, painter)
        finally:
            painter.end()
        return path
    if suffix == ".pdf":
        from PySide6.QtGui import QPdfWriter

        writer = QPdfWriter(path)
        writer.setTitle(title)
        writer.setResolution(96)  # one widget pixel = one PDF pixel at 96 dpi
        points = QSizeF(size.width() * 72 / 96, size.height() * 72 / 96)
        writer.setPageSize(QPageSize(points, QPageSize.Unit.Point, "plot"))
        writer.setPageMargins(QMarginsF(0, 0, 0, 0))
        painter = QPainter(writer)
        try:
            _render(widget, painter)
        finally:
            painter.end()
        if not Path(path).is_file():
            raise OSError(f"{path}: could not write the PDF")
        return path
    if not widget.grab().save(path):
        raise OSError(f"{path}: could not write the image")
    return path
