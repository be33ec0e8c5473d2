"""One compare view: paints its image (or swipe pair, or difference) through the shared camera."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from widgets.compare.render import draw_difference, draw_image, draw_pixel_values

if TYPE_CHECKING:
    from widgets.compare.widget import CompareWidget

BACKGROUND = QColor(45, 45, 48)
ACTIVE = QColor(255, 170, 0)
CROP = QColor(255, 208, 0)
DIVIDER_GRAB_PX = 6
WHEEL_STEP = 1.25


class CompareCanvas(QWidget):
    """A view of slot ``index`` of a :class:`CompareWidget`; all state lives in the host."""

    def __init__(self, host: CompareWidget, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.index = index
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(80, 60)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._drag: str | None = None
        self._last = QPointF()
        self._crop_start: tuple[float, float] | None = None

    def view_size(self) -> tuple[float, float]:
        return float(self.width()), float(self.height())

    # -- painting ----------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        view = QRectF(self.rect())
        painter.fillRect(view, BACKGROUND)
        host = self.host
        if host.state.mode == "swipe":
            self._paint_swipe(painter, view)
        else:
            self._paint_slot(painter, view, host.shown_slot(self.index))
        self._paint_crop(painter)
        if host.show_overlays:
            self._paint_label(painter)
            if host.active == self.index and len(host.canvases) > 1:
                painter.setPen(QPen(ACTIVE, 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(1, 1, self.width() - 2, self.height() - 2))
        painter.end()

    def _paint_slot(self, painter: QPainter, view: QRectF, slot: int) -> None:
        host = self.host
        image = host.image(slot)
        if image is None:
            painter.setPen(QColor(200, 200, 200))
            if host.count == 0:
                text = host.empty_text
            elif host.is_loading(slot):
                text = "loading..."
            else:
                text = "cannot show this image"
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(view.adjusted(16, 16, -16, -16), flags, text)
            return
        affine = host.placement(slot, self.view_size())
        state = host.state
        reference = host.image(state.reference)
        if (
            state.mode == "difference"
            and not host.flicker
            and slot != state.reference
            and reference is not None
        ):
            ref_affine = host.placement(state.reference, self.view_size())
            draw_difference(
                painter,
                image,
                affine,
                reference,
                ref_affine,
                view,
                state.diff_mode,
                state.diff_scale,
                BACKGROUND,
            )
            return
        lut = host.display_lut()
        draw_image(painter, image, affine, view, lut)
        if state.pixel_values:
            draw_pixel_values(painter, image, affine, view, lut)

    def _paint_swipe(self, painter: QPainter, view: QRectF) -> None:
        host = self.host
        state = host.state
        if host.flicker:  # the reference replaces both sides while the key is held
            self._paint_slot(painter, view, host.shown_slot(self.index))
            return
        a, b = host.swipe_pair()
        split = self.divider_position()
        if state.swipe_vertical:
            first = QRectF(0, 0, split, view.height())
            second = QRectF(split, 0, view.width() - split, view.height())
        else:
            first = QRectF(0, 0, view.width(), split)
            second = QRectF(0, split, view.width(), view.height() - split)
        for slot, part in ((a, first), (b, second)):
            if part.width() <= 0 or part.height() <= 0:
                continue
            painter.save()
            painter.setClipRect(part)
            self._paint_slot(painter, part, slot)
            painter.restore()
        painter.setPen(QPen(QColor(255, 255, 255), 1))
        if state.swipe_vertical:
            painter.drawLine(QPointF(split, 0), QPointF(split, view.height()))
            handle = QRectF(split - 5, view.height() / 2 - 18, 10, 36)
        else:
            painter.drawLine(QPointF(0, split), QPointF(view.width(), split))
            handle = QRectF(view.width() / 2 - 18, split - 5, 36, 10)
        painter.setBrush(QColor(255, 255, 255, 220))
        painter.setPen(QPen(QColor(0, 0, 0, 160), 1))
        painter.drawRoundedRect(handle, 4, 4)

    def divider_position(self) -> float:
        """The divider's screen coordinate (x for a vertical divider, y for a horizontal one)."""
        state = self.host.state
        extent = self.width() if state.swipe_vertical else self.height()
        return round(state.swipe_position * extent)

    def _paint_crop(self, painter: QPainter) -> None:
        crop = self.host.crop_rect()
        if crop is None:
            return
        x, y, w, h = crop
        affine = self.host.frame_placement(self.view_size())
        sx0, sy0 = affine.to_screen(x, y)
        sx1, sy1 = affine.to_screen(x + w, y + h)
        painter.setPen(QPen(CROP, 2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(QPointF(sx0, sy0), QPointF(sx1, sy1)))

    def _paint_label(self, painter: QPainter) -> None:
        text = self.host.caption(self.index)
        if not text:
            return
        metrics = painter.fontMetrics()
        box = QRectF(6, 6, metrics.horizontalAdvance(text) + 18, metrics.height() + 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(0, 0, 0, 170))
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(QColor(255, 255, 255))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    # -- interaction -------------------------------------------------------------

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.host.canvases and self is self.host.canvases[0]:
            self.host.canvas_resized()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        steps = event.angleDelta().y() / 120.0
        if steps:
            pos = event.position()
            self.host.select_view(self.index)
            self.host.zoom_at(WHEEL_STEP**steps, pos.x(), pos.y(), self.view_size())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position()
        self.host.select_view(self.index)
        self._last = pos
        if self.host.crop_tool:
            self._drag = "crop"
            self._crop_start = self.host.frame_point(pos.x(), pos.y(), self.view_size())
        elif self.host.state.mode == "swipe" and self._near_divider(pos):
            self._drag = "divider"
        else:
            self._drag = "pan"
            self.setCursor(Qt.CursorShape.ClosedHandCursor)

    def _near_divider(self, pos: QPointF) -> bool:
        along = pos.x() if self.host.state.swipe_vertical else pos.y()
        return abs(along - self.divider_position()) <= DIVIDER_GRAB_PX

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if self._drag == "pan":
            self.host.pan(pos.x() - self._last.x(), pos.y() - self._last.y())
        elif self._drag == "divider":
            extent = self.width() if self.host.state.swipe_vertical else self.height()
            along = pos.x() if self.host.state.swipe_vertical else pos.y()
            self.host.set_swipe_position(along / max(extent, 1))
        elif self._drag == "crop" and self._crop_start is not None:
            end = self.host.frame_point(pos.x(), pos.y(), self.view_size())
            self.host.set_crop_from_points(self._crop_start, end)
        elif self.host.state.mode == "swipe" and self._near_divider(pos):
            vertical = self.host.state.swipe_vertical
            self.setCursor(Qt.CursorShape.SplitHCursor if vertical else Qt.CursorShape.SplitVCursor)
        else:
            self.unsetCursor()
        self._last = pos
        self.host.hover(self.index, pos.x(), pos.y(), self.view_size())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if self._drag == "crop":
            self.host.finish_crop()
        elif self._drag is not None:
            self.host.state_changed.emit()
        self._drag = None
        self._crop_start = None
        self.unsetCursor()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.host.fit()
