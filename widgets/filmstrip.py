"""A horizontal strip of step thumbnails that grows as an iterative run proceeds.

Frames are keyed by step index. A frame gets its picture either as a ready
thumbnail (uint8 RGB built off the GUI thread, e.g. by the job that made the
step) or from a file, decoded on the thread pool. Failed steps show a red tile.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem

from widgets.background import BackgroundLoader
from widgets.qimage import rgb_to_qimage
from widgets.thumbnail_grid import faithful_icon

if TYPE_CHECKING:
    import numpy as np

STEP_ROLE = Qt.ItemDataRole.UserRole


def _true_colour_icon(pixels: np.ndarray, size: int) -> QIcon:
    """The step letterboxed into the square cell: non-square steps keep their aspect."""
    return faithful_icon(QPixmap.fromImage(rgb_to_qimage(pixels)), size)


class Filmstrip(QListWidget):
    """Step thumbnails left to right; ``step_selected(index)`` when the user picks one."""

    step_selected = Signal(int)

    def __init__(
        self, make_thumbnail: Callable[[Path, int], np.ndarray], size: int = 96, parent=None
    ) -> None:
        super().__init__(parent)
        self._make = make_thumbnail
        self._size = size
        self._frames: dict[int, QListWidgetItem] = {}
        self._loader = BackgroundLoader(self)
        self._loader.loaded.connect(self._on_loaded)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setIconSize(QSize(size, size))
        self.setGridSize(QSize(size + 12, size + 26))
        self.setUniformItemSizes(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFixedHeight(size + 48)
        self.currentItemChanged.connect(self._on_current)

    @property
    def loading(self) -> bool:
        return self._loader.pending > 0

    def clear_frames(self) -> None:
        self.clear()
        self._frames.clear()

    def steps(self) -> list[int]:
        return sorted(self._frames)

    def _tile(self, colour: QColor) -> QIcon:
        pixmap = QPixmap(self._size, self._size)
        pixmap.fill(colour)
        return QIcon(pixmap)

    def add_frame(
        self,
        index: int,
        *,
        pixels: np.ndarray | None = None,
        path: str | Path | None = None,
        failed: bool = False,
        tooltip: str = "",
        follow: bool = False,
    ) -> None:
        """Add (or replace) step ``index``; ``follow`` scrolls to it and selects it."""
        item = self._frames.get(index)
        if item is None:
            item = QListWidgetItem(f"step {index}")
            item.setData(STEP_ROLE, index)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            row = sum(1 for key in self._frames if key < index)
            self.insertItem(row, item)
            self._frames[index] = item
        item.setToolTip(tooltip or f"step {index}")
        if failed:
            item.setIcon(self._tile(QColor(150, 40, 40)))
            item.setText(f"step {index} failed")
        elif pixels is not None:
            item.setIcon(_true_colour_icon(pixels, self._size))
        else:
            item.setIcon(self._tile(QColor(60, 60, 64)))
            if path is not None:
                self._loader.request(index, self._make, Path(path), self._size)
        if follow:
            self.setCurrentItem(item)
            self.scrollToItem(item)

    def select_step(self, index: int) -> None:
        item = self._frames.get(index)
        if item is not None:
            self.setCurrentItem(item)
            self.scrollToItem(item)

    def current_step(self) -> int | None:
        item = self.currentItem()
        return None if item is None else int(item.data(STEP_ROLE))

    def has_picture(self, index: int) -> bool:
        item = self._frames.get(index)
        return item is not None and not item.icon().isNull()

    def _on_loaded(self, index: int, pixels: np.ndarray) -> None:
        item = self._frames.get(index)
        if item is not None:
            item.setIcon(_true_colour_icon(pixels, self._size))

    def _on_current(self, current: QListWidgetItem | None, _previous) -> None:
        if current is not None:
            self.step_selected.emit(int(current.data(STEP_ROLE)))
