"""An image with annotation regions painted over it, and tools to draw new ones.

Tools: ``rect`` (drag), ``polygon`` (click points; double-click or
:meth:`close_polygon` finishes), ``brush`` (paint a mask; ``[`` ``]`` resize).
A finished shape becomes *pending* (dashed) until the owner commits it with a
label (:meth:`take_pending`) or discards it. Coordinates are image pixels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

TOOLS = ("rect", "polygon", "brush")


@dataclass
class Overlay:
    """One region to paint: ``kind`` in image / rect / polygon / mask, ``region`` as stored."""

    kind: str
    region: dict[str, Any]
    color: QColor
    caption: str = ""
    selected: bool = False
    key: str = ""
    _mask_image: QImage | None = field(default=None, repr=False)
    _mask_corner: tuple[float, float] = field(default=(0.0, 0.0), repr=False)


def mask_to_qimage(region: dict[str, Any], color: QColor) -> tuple[QImage, tuple[float, float]]:
    """The RLE mask as a transparent ARGB image in ``color`` (half opaque), and its top-left."""
    import numpy as np

    from core.annotations import rle

    mask = rle.decode(region)
    rgba = np.zeros((*mask.shape, 4), np.uint8)
    rgba[mask] = (color.red(), color.green(), color.blue(), 130)
    height, width = mask.shape
    image = QImage(rgba.data, width, height, 4 * width, QImage.Format.Format_RGBA8888)
    x, y, _w, _h = rle.bbox(mask)
    return image.copy(), (x, y)


class AnnotationCanvas(QWidget):
    """Shows one QImage fitted to the widget with :class:`Overlay` regions on top."""

    shape_drawn = Signal(str, dict)  # kind, region: a pending shape is ready
    pixel_hovered = Signal(int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setMinimumSize(200, 150)
        self._image: QImage | None = None
        self.overlays: list[Overlay] = []
        self.tool = "rect"
        self.brush_radius = 6.0
        self.pending: tuple[str, dict[str, Any]] | None = None
        self._drag_start: QPointF | None = None
        self._drag_now: QPointF | None = None
        self._points: list[QPointF] = []
        self._brush: QImage | None = None
        self._last_brush: QPointF | None = None
        self._hover: QPointF | None = None
        self.key_handler = None  # callable(QKeyEvent) -> bool: the owner's key map, tried first
        self._zoom = 1.0
        self._origin: QPointF | None = None  # top-left of the image once zoomed or panned
        self._pan_from: QPointF | None = None

    # -- content -------------------------------------------------------------------------

    def set_image(self, image: QImage | None) -> None:
        """Show ``image``; the zoom stays when the size does (walking a run's steps)."""
        same_size = (
            image is not None and self._image is not None and image.size() == self._image.size()
        )
        self._image = image
        if not same_size:
            self.fit()
        self.discard_pending()
        self.update()

    def fit(self) -> None:
        """Back to the whole image, fitted and centred."""
        self._zoom = 1.0
        self._origin = None
        self.update()

    def zoom_by(self, factor: float, about: QPointF | None = None) -> None:
        """Zoom by ``factor`` keeping the image point under ``about`` (widget coords) in place."""
        if not self.has_image():
            return
        about = about if about is not None else QPointF(self.width() / 2, self.height() / 2)
        fixed = self.to_image(about, clamp=False)
        self._zoom = min(max(self._zoom * factor, 0.25), 64.0)
        new_scale = self._fit_scale() * self._zoom
        self._origin = QPointF(about.x() - fixed.x() * new_scale, about.y() - fixed.y() * new_scale)
        self.update()

    def pan_by(self, dx: float, dy: float) -> None:
        rect = self.image_rect()
        self._origin = QPointF(rect.left() + dx, rect.top() + dy)
        self.update()

    def has_image(self) -> bool:
        return self._image is not None and not self._image.isNull()

    def set_overlays(self, overlays: list[Overlay]) -> None:
        self.overlays = overlays
        self.update()

    def set_tool(self, tool: str) -> None:
        if tool not in TOOLS:
            raise ValueError(f"unknown tool {tool!r}; known: {', '.join(TOOLS)}")
        self.discard_pending()
        self.tool = tool
        self.update()

    def discard_pending(self) -> None:
        self.pending = None
        self._drag_start = self._drag_now = None
        self._points = []
        self._brush = None
        self.update()

    def take_pending(self) -> tuple[str, dict[str, Any]] | None:
        """The finished shape (closing an open polygon first), cleared from the canvas."""
        if self.pending is None and self.tool == "polygon" and len(self._points) >= 3:
            self.close_polygon()
        pending = self.pending
        self.discard_pending()
        return pending

    def close_polygon(self) -> bool:
        if len(self._points) < 3:
            return False
        points = [[round(p.x(), 2), round(p.y(), 2)] for p in self._points]
        self._set_pending("polygon", {"points": points})
        return True

    def _set_pending(self, kind: str, region: dict[str, Any]) -> None:
        self.pending = (kind, region)
        self._points = []
        self.update()
        self.shape_drawn.emit(kind, region)

    # -- geometry ------------------------------------------------------------------------

    def _fit_scale(self) -> float:
        return min(self.width() / self._image.width(), self.height() / self._image.height())

    def image_rect(self) -> QRectF:
        """Where the image is drawn: fitted and centred, then zoomed and panned."""
        if not self.has_image():
            return QRectF()
        w, h = self._image.width(), self._image.height()
        scale = self._fit_scale() * self._zoom
        if self._origin is None:
            return QRectF((self.width() - w * scale) / 2, (self.height() - h * scale) / 2,
                          w * scale, h * scale)  # fmt: skip
        return QRectF(self._origin.x(), self._origin.y(), w * scale, h * scale)

    def scale(self) -> float:
        rect = self.image_rect()
        return rect.width() / self._image.width() if self.has_image() else 1.0

    def to_image(self, point: QPointF, clamp: bool = True) -> QPointF:
        rect = self.image_rect()
        s = self.scale()
        x, y = (point.x() - rect.left()) / s, (point.y() - rect.top()) / s
        if clamp:
            x = min(max(x, 0.0), float(self._image.width()))
            y = min(max(y, 0.0), float(self._image.height()))
        return QPointF(x, y)

    def to_widget(self, x: float, y: float) -> QPointF:
        rect = self.image_rect()
        s = self.scale()
        return QPointF(rect.left() + x * s, rect.top() + y * s)

    # -- mouse ---------------------------------------------------------------------------

    def wheelEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.zoom_by(1.25 if event.angleDelta().y() > 0 else 0.8, event.position())

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if self.has_image() and event.button() in (
            Qt.MouseButton.MiddleButton,
            Qt.MouseButton.RightButton,
        ):
            self._pan_from = event.position()  # middle or right drag pans
            return
        if not self.has_image() or event.button() != Qt.MouseButton.LeftButton:
            return
        self.setFocus()
        point = self.to_image(event.position())
        if self.tool == "rect":
            self.pending = None
            self._drag_start = self._drag_now = point
        elif self.tool == "polygon":
            if self.pending is not None:
                self.pending = None
            self._points.append(point)
        elif self.tool == "brush":
            if self._brush is None:
                self.pending = None
                self._brush = QImage(self._image.size(), QImage.Format.Format_Grayscale8)
                self._brush.fill(0)
            self._last_brush = point
            self._paint_brush(point, point)
        self.update()

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        if not self.has_image():
            return
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.pan_by(delta.x(), delta.y())
            return
        point = self.to_image(event.position())
        self._hover = point
        self.pixel_hovered.emit(int(point.x()), int(point.y()))
        if self._drag_start is not None:
            self._drag_now = point
        elif self._last_brush is not None:
            self._paint_brush(self._last_brush, point)
            self._last_brush = point
        self.update()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if self._pan_from is not None:
            self._pan_from = None
            return
        if self._drag_start is not None and self._drag_now is not None:
            a, b = self._drag_start, self.to_image(event.position())
            self._drag_start = self._drag_now = None
            if abs(b.x() - a.x()) >= 1 and abs(b.y() - a.y()) >= 1:
                x, y = min(a.x(), b.x()), min(a.y(), b.y())
                w, h = abs(b.x() - a.x()), abs(b.y() - a.y())
                self._set_pending(
                    "rect", {"x": round(x, 2), "y": round(y, 2), "w": round(w, 2), "h": round(h, 2)}
                )
        elif self._last_brush is not None:
            self._last_brush = None
            self._finish_brush()
        self.update()

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        if self.tool == "polygon":
            self.close_polygon()

    def _paint_brush(self, a: QPointF, b: QPointF) -> None:
        painter = QPainter(self._brush)
        pen = QPen(QColor(255, 255, 255), self.brush_radius * 2)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        painter.drawLine(a, b)
        painter.end()

    def _finish_brush(self) -> None:
        from core.annotations import rle
        from widgets.qimage import qimage_to_rgb

        mask = qimage_to_rgb(self._brush)[..., 0] > 127
        if mask.any():
            self._set_pending("mask", rle.encode(mask))

    # -- keyboard focus: Tab belongs to the owner (label groups), not focus chains ----------

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002
        return False

    def keyPressEvent(self, event) -> None:  # noqa: N802
        if self.key_handler is not None and self.key_handler(event):
            return
        super().keyPressEvent(event)

    # -- painting ------------------------------------------------------------------------

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(48, 48, 48))
        if not self.has_image():
            painter.setPen(QColor(200, 200, 200))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No image")
            return
        target = self.image_rect()
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.scale() < 1)
        painter.drawImage(target, self._image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for overlay in self.overlays:
            self._paint_overlay(painter, overlay, target)
        self._paint_drawing(painter, target)
        painter.end()

    def _outline(self, kind: str, region: dict[str, Any]) -> QPolygonF:
        if kind == "rect":
            x, y, w, h = region["x"], region["y"], region["w"], region["h"]
            points = [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
        elif kind == "polygon":
            points = [tuple(p) for p in region["points"]]
        else:
            w, h = self._image.width(), self._image.height()
            points = [(0, 0), (w, 0), (w, h), (0, h)]
        return QPolygonF([self.to_widget(x, y) for x, y in points])

    def _paint_overlay(self, painter: QPainter, overlay: Overlay, target: QRectF) -> None:
        color = QColor(overlay.color)
        pen = QPen(color, 3 if overlay.selected else 2)
        fill = QColor(color)
        fill.setAlpha(60)
        if overlay.kind == "mask":
            if overlay._mask_image is None:  # decoded once per overlay, not per paint
                overlay._mask_image, overlay._mask_corner = mask_to_qimage(overlay.region, color)
            painter.drawImage(target, overlay._mask_image)
            anchor = self.to_widget(*overlay._mask_corner)
        else:
            outline = self._outline(overlay.kind, overlay.region)
            painter.setPen(pen)
            if overlay.kind == "image":
                painter.setBrush(Qt.BrushStyle.NoBrush)
                inset = outline.boundingRect().adjusted(3, 3, -3, -3)
                painter.drawRect(inset)
                anchor = inset.topLeft()
            else:
                painter.setBrush(fill)
                painter.drawPolygon(outline)
                anchor = outline.boundingRect().topLeft()
        if overlay.caption:
            self._caption(painter, overlay.caption, anchor, color)

    def _caption(self, painter: QPainter, text: str, anchor: QPointF, color: QColor) -> None:
        metrics = painter.fontMetrics()
        box = QRectF(
            anchor.x(), anchor.y(), metrics.horizontalAdvance(text) + 8, metrics.height() + 4
        )
        box.moveTop(
            max(0.0, anchor.y() - box.height()) if anchor.y() > box.height() else anchor.y()
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawRect(box)
        painter.setPen(QColor(0, 0, 0) if color.lightness() > 140 else QColor(255, 255, 255))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_drawing(self, painter: QPainter, target: QRectF) -> None:
        pen = QPen(QColor(255, 255, 0), 2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self._drag_start is not None and self._drag_now is not None:
            painter.drawRect(
                QRectF(self.to_widget(self._drag_start.x(), self._drag_start.y()),
                       self.to_widget(self._drag_now.x(), self._drag_now.y())).normalized()
            )  # fmt: skip
        if self._points:
            path = QPainterPath(self.to_widget(self._points[0].x(), self._points[0].y()))
            for p in self._points[1:]:
                path.lineTo(self.to_widget(p.x(), p.y()))
            if self._hover is not None:
                path.lineTo(self.to_widget(self._hover.x(), self._hover.y()))
            painter.drawPath(path)
        if self._brush is not None:
            tinted = QImage(self._brush.size(), QImage.Format.Format_ARGB32)
            tinted.fill(QColor(255, 255, 0))
            tinted.setAlphaChannel(self._brush)
            painter.setOpacity(0.5)
            painter.drawImage(target, tinted)
            painter.setOpacity(1.0)
        if self.pending is not None and self.pending[0] != "mask":
            painter.setPen(pen)
            painter.drawPolygon(self._outline(*self.pending))
