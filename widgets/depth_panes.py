"""Image panes that zoom and pan together, as Compare's views share one camera.

Each :class:`SyncedCanvas` reports when the user zooms (wheel), pans (drag,
scroll bars) or fits it; :class:`PaneSync` then reads that pane's view as one
:class:`core.compare.camera.Camera` (the normalized point at the centre and the
zoom in screen pixels per pixel of the frame, the first pane's image) and puts
every other pane on the same camera, so the same place of the scene stays under
the same screen point in the photo, the map and the error map, whatever their
sizes.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QTransform

from core.compare.camera import Camera
from widgets.image_canvas import ImageCanvas


class SyncedCanvas(ImageCanvas):
    """An :class:`ImageCanvas` that says when its view changed (zoom, pan, fit)."""

    view_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.horizontalScrollBar().valueChanged.connect(self._moved)
        self.verticalScrollBar().valueChanged.connect(self._moved)

    def _moved(self, _value: int) -> None:
        self.view_changed.emit()

    def zoom_by(self, factor: float) -> None:
        super().zoom_by(factor)
        self.view_changed.emit()

    def fit(self) -> None:
        super().fit()
        self.view_changed.emit()

    def actual_size(self) -> None:
        super().actual_size()
        self.view_changed.emit()

    def image_size(self) -> tuple[int, int] | None:
        rect = self.sceneRect()
        if not self.has_image() or rect.width() <= 0 or rect.height() <= 0:
            return None
        return int(rect.width()), int(rect.height())

    @property
    def fit_pending(self) -> bool:
        return self._fit_pending

    def camera(self, frame: tuple[int, int]) -> Camera | None:
        """This pane's view as a camera over ``frame`` (width, height), None without an image."""
        size = self.image_size()
        if size is None:
            return None
        centre = self.mapToScene(self.viewport().rect().center())
        return Camera(
            frame_width=frame[0],
            frame_height=frame[1],
            center_u=centre.x() / size[0],
            center_v=centre.y() / size[1],
            zoom=self.scale_factor * size[0] / frame[0],
        )

    def follow(self, camera: Camera, fitted: bool) -> None:
        """Show the part of this pane's image that ``camera`` shows (a fitted source: fit)."""
        size = self.image_size()
        if size is None:
            return
        if fitted:
            ImageCanvas.fit(self)
            return
        scale = camera.zoom * camera.frame_width / size[0]
        self._fit_pending = False
        self.setTransform(QTransform.fromScale(scale, scale))
        self._update_sampling()
        self.centerOn(QPointF(camera.center_u * size[0], camera.center_v * size[1]))


class PaneSync:
    """Keeps a list of :class:`SyncedCanvas` on one camera: the one the user moved last."""

    def __init__(self, panes: list[SyncedCanvas]) -> None:
        self.panes = list(panes)
        self._busy = False
        for pane in self.panes:
            pane.view_changed.connect(lambda pane=pane: self.follow(pane))

    def frame(self) -> tuple[int, int] | None:
        for pane in self.panes:
            if (size := pane.image_size()) is not None:
                return size
        return None

    def follow(self, source: SyncedCanvas) -> None:
        """Put every other pane on ``source``'s camera (re-entrant calls are ignored)."""
        if self._busy or (frame := self.frame()) is None:
            return
        camera = source.camera(frame)
        if camera is None:
            return
        self._busy = True
        try:
            for pane in self.panes:
                if pane is not source and pane.isVisible():
                    pane.follow(camera, source.fit_pending)
        finally:
            self._busy = False
