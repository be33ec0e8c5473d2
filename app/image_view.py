"""The Images view: the selected image at any zoom, with its file facts and provenance."""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QAction, QCursor, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.views import ViewContext
from widgets.background import BackgroundLoader
from widgets.image_canvas import ImageCanvas
from widgets.qimage import rgb_to_qimage

if TYPE_CHECKING:
    from core.project import ImageRecord, Project
    from core.provenance import Provenance


def _load_for_display(path: str, max_pixels: int):
    from core.imageio import load_image

    loaded = load_image(path, max_pixels=max_pixels)
    return rgb_to_qimage(loaded.pixels), loaded.pixels


class ImageView(QWidget):
    """Shows one image (the first selected) and the facts IRIS stored about it."""

    def __init__(self, context: ViewContext, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.project: Project | None = None
        self.current: ImageRecord | None = None
        self._pixels = None
        self._story: Provenance | None = None  # read on first use, dropped when images change
        self.canvas = ImageCanvas()
        self.canvas.pixel_hovered.connect(self._on_hover)
        self.canvas.viewport().installEventFilter(self)  # the pointer leaving the picture
        self.readout = QLabel(" ")
        self.details = QFormLayout()
        self.provenance = QPlainTextEdit()
        self.provenance.setReadOnly(True)
        self.provenance.setMaximumHeight(150)
        self.meta_text = QPlainTextEdit()
        self.meta_text.setReadOnly(True)
        self.meta_text.setMaximumHeight(120)
        if context.session is not None:
            context.session.changed.connect(self._on_project_changed)
        self._loader = BackgroundLoader(self)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)

        toolbar = QToolBar()
        for text, slot, key in (
            ("Fit", self.canvas.fit, "F"),
            ("1:1", self.canvas.actual_size, "1"),
            ("Zoom in", lambda: self.canvas.zoom_by(1.25), "+"),
            ("Zoom out", lambda: self.canvas.zoom_by(0.8), "-"),
        ):
            action = QAction(f"Images: {text}", self)
            action.setIconText(text)
            action.setShortcut(QKeySequence(key))
            # only while this view has focus: other views use the same keys
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            toolbar.addAction(action)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(toolbar)
        left_layout.addWidget(self.canvas, 1)
        left_layout.addWidget(self.readout)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(self.details)
        right_layout.addWidget(QLabel("Provenance"))
        right_layout.addWidget(self.provenance)
        right_layout.addWidget(QLabel("Metadata"))
        right_layout.addWidget(self.meta_text)
        right_layout.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    @property
    def loading(self) -> bool:
        return self._loader.pending > 0

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self.current = None
        self._story = None
        self._pixels = None
        self.readout.setText(" ")
        self.canvas.set_image(None)
        self._show_details(None)

    def show_images(self, images: list[ImageRecord]) -> None:
        if not images or self.project is None:
            return
        self.current = images[0]
        self._pixels = None  # the readout must never report the previous image's pixels
        self.readout.setText(" ")
        self._show_details(self.current)
        path = str(self.project.image_path(self.current))
        self._loader.request(
            self.current.id, _load_for_display, path, self.context.settings.max_pixels
        )

    def _on_project_changed(self, what, _source) -> None:
        from app.session import ProjectChange

        if what & (ProjectChange.IMAGES | ProjectChange.RUNS | ProjectChange.TAGS):
            self._story = None  # new images or runs change display names, tags the panel
            if what & ProjectChange.TAGS and self.current is not None and self.project:
                self._show_details(self.current)

    def story(self) -> Provenance:
        """The open project's display names and provenance (read once, until images or
        runs change)."""
        from core.provenance import Provenance

        if self._story is None:
            assert self.project is not None
            self._story = Provenance.read(self.project)
        return self._story

    def _on_loaded(self, key: int, result) -> None:
        if self.current is not None and key == self.current.id:
            image, self._pixels = result
            self.canvas.set_image(image)
            self._read_under_pointer()

    def _on_failed(self, key: int, message: str) -> None:
        if self.current is None or key != self.current.id:
            return  # a previous image's late failure says nothing about this one
        self._pixels = None
        self.canvas.set_image(None)
        self.readout.setText(f"Cannot show this image: {message.splitlines()[0]}")

    def _read_under_pointer(self) -> None:
        """The readout for where the pointer is now (it may rest on the new image)."""
        viewport = self.canvas.viewport()
        spot = viewport.mapFromGlobal(QCursor.pos())
        if viewport.rect().contains(spot):
            point = self.canvas.mapToScene(spot)
            self._on_hover(int(point.x()), int(point.y()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self.canvas.viewport():
            if event.type() == QEvent.Type.Leave:
                self._clear_readout()
            elif event.type() == QEvent.Type.MouseMove:
                point: QPointF = self.canvas.mapToScene(event.position().toPoint())
                if not self._inside(math.floor(point.x()), math.floor(point.y())):
                    self._clear_readout()
        return super().eventFilter(watched, event)

    def _inside(self, x: int, y: int) -> bool:
        pixels = self._pixels
        return pixels is not None and 0 <= y < pixels.shape[0] and 0 <= x < pixels.shape[1]

    def _clear_readout(self) -> None:
        if not self.readout.text().startswith("Cannot show"):
            self.readout.setText(" ")

    def _on_hover(self, x: int, y: int) -> None:
        if not self._inside(x, y):
            self._clear_readout()
            return
        r, g, b = (self._pixels[y, x] * 255).round().astype(int)
        self.readout.setText(f"x {x}  y {y}   R {r}  G {g}  B {b}")

    def _show_details(self, image: ImageRecord | None) -> None:
        while self.details.rowCount():
            self.details.removeRow(0)
        if image is None or self.project is None:
            self.meta_text.setPlainText("")
            self.provenance.setPlainText("")
            return
        story = self.story()
        names = story.names
        parent = story.images.get(image.parent_id) if image.parent_id is not None else None
        rows = [
            ("Name", names.images.get(image.id, image.name)),
            ("Stored name", image.name),
            ("Kind", image.kind),
            ("Size", f"{image.width} x {image.height}"),
            ("Format", f"{image.format}, {image.bit_depth}-bit"),
            (
                "Alpha / ICC / EXIF",
                " / ".join(
                    "yes" if f else "no" for f in (image.has_alpha, image.has_icc, image.has_exif)
                ),
            ),
            ("Derived from", names.images.get(parent.id, parent.name) if parent else "-"),
            ("Source", image.source_path or "-"),
            ("SHA-256", image.sha256[:16] + "..."),
            ("Added", image.created_at),
        ]
        for label, value in rows:
            text = QLabel(value)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setWordWrap(True)
            self.details.addRow(label, text)
        self.provenance.setPlainText(story.text(story.images.get(image.id, image)))
        self.meta_text.setPlainText(json.dumps(image.meta, indent=2) if image.meta else "")
