"""The Depth view's image column: the photo, the decoded map with its colour bar, the error map.

The three panes zoom and pan together (:class:`widgets.depth_panes.PaneSync`) and
report the pixel under the pointer, read out on the line below them. The error
pane is there only while an evaluation is; it then follows the map pane's view.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from widgets.colour_bar import ColourBar
from widgets.depth_panes import PaneSync, SyncedCanvas
from widgets.qimage import rgb_to_qimage


class ImagePanes(QWidget):
    """Photo above the map (and its colour bar) above the error map, then the readout."""

    pixel_hovered = Signal(int, int)  # image coordinates under the pointer, on any pane

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.photo_canvas = SyncedCanvas()
        self.depth_canvas = SyncedCanvas()
        self.error_canvas = SyncedCanvas()
        self.panes = PaneSync([self.depth_canvas, self.photo_canvas, self.error_canvas])
        self.colour_bar = ColourBar()
        self.readout = QLabel("Pick a depth map (and its photo) in the browser")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for canvas in (self.photo_canvas, self.depth_canvas, self.error_canvas):
            canvas.pixel_hovered.connect(self.pixel_hovered)
        self.map_title = QLabel(" ")
        self.error_title = QLabel("Error map")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Photo"))
        layout.addWidget(self.photo_canvas, 1)
        layout.addWidget(self.map_title)
        depth_row = QHBoxLayout()
        depth_row.addWidget(self.depth_canvas, 1)
        depth_row.addWidget(self.colour_bar)
        layout.addLayout(depth_row, 1)
        layout.addWidget(self.error_title)
        layout.addWidget(self.error_canvas, 1)
        layout.addWidget(self.readout)
        self.hide_error()

    def show_map(self, map_rgb, photo_rgb) -> None:
        """The map pane's and the photo pane's RGB arrays (``photo_rgb`` None: an empty pane)."""
        self.depth_canvas.set_image(rgb_to_qimage(map_rgb))
        self.photo_canvas.set_image(rgb_to_qimage(photo_rgb) if photo_rgb is not None else None)

    def show_error(self, evaluation) -> None:
        """Show ``evaluation``'s error map (a MapEvaluation), zoomed as the map pane is."""
        self.error_canvas.set_image(rgb_to_qimage(evaluation.error_image))
        self.error_title.setText(f"Error map ({evaluation.units}, grey: not scored)")
        for widget in (self.error_title, self.error_canvas):
            widget.setVisible(True)
        self.panes.follow(self.depth_canvas)

    def hide_error(self) -> None:
        for widget in (self.error_title, self.error_canvas):
            widget.setVisible(False)
