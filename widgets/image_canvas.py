"""A single zoomable, pannable image: wheel zooms about the pointer, nearest-neighbour above 1:1."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap, QWheelEvent
from PySide6.QtWidgets import QGraphicsPixmapItem, QGraphicsScene, QGraphicsView

ZOOM_STEP = 1.25


class ImageCanvas(QGraphicsView):
    """Shows one QImage; ``fit()``, ``actual_size()``, ``zoom_by()``; reports the pixel under the pointer."""

    pixel_hovered = Signal(int, int)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self._item)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        self.setBackgroundBrush(Qt.GlobalColor.darkGray)
        self.setMouseTracking(True)
        self._fit_pending = True

    def set_image(self, image: QImage | None) -> None:
        self._item.setPixmap(QPixmap.fromImage(image) if image is not None else QPixmap())
        self.scene().setSceneRect(self._item.boundingRect())
        self.fit()

    def has_image(self) -> bool:
        return not self._item.pixmap().isNull()

    @property
    def scale_factor(self) -> float:
        return self.transform().m11()

    def fit(self) -> None:
        """Show the whole image, and keep it fitted when the view is resized."""
        self._fit_pending = True
        if self.has_image():
            self.fitInView(self._item, Qt.AspectRatioMode.KeepAspectRatio)
            self._update_sampling()

    def actual_size(self) -> None:
        self._fit_pending = False
        self.resetTransform()
        self._update_sampling()

    def zoom_by(self, factor: float) -> None:
        self._fit_pending = False
        self.scale(factor, factor)
        self._update_sampling()

    def _update_sampling(self) -> None:
        smooth = self.scale_factor < 1.0
        mode = (
            Qt.TransformationMode.SmoothTransformation
            if smooth
            else Qt.TransformationMode.FastTransformation
        )
        self._item.setTransformationMode(mode)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, smooth)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt override)
        self.zoom_by(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._fit_pending and self.has_image():
            self.fit()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        self._fit_pending = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        super().mouseMoveEvent(event)
        point: QPointF = self.mapToScene(event.position().toPoint())
        if self.has_image() and self._item.boundingRect().contains(point):
            self.pixel_hovered.emit(int(point.x()), int(point.y()))
