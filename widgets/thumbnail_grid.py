"""A grid of labelled thumbnails, loaded in the background, with multi-selection."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

from widgets.background import BackgroundLoader
from widgets.qimage import rgb_to_qimage

if TYPE_CHECKING:
    import numpy as np

KEY_ROLE = Qt.ItemDataRole.UserRole


def faithful_icon(pixmap: QPixmap) -> QIcon:
    """An icon that looks the same selected: Qt tints selected icons, which fakes a colour shift."""
    icon = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected, QIcon.Mode.Active):
        icon.addPixmap(pixmap, mode)
    return icon


@dataclass(frozen=True)
class ThumbnailItem:
    """One entry: a stable key, a caption, a tooltip and the file to preview."""

    key: Hashable
    label: str
    path: Path | None
    tooltip: str = ""


class ThumbnailGrid(QListWidget):
    """Icon-mode list whose previews come from ``make_thumbnail(path, size)`` off the GUI thread."""

    selection_changed = Signal(list)  # keys
    item_activated = Signal(object)  # key
    thumbnails_ready = Signal()

    def __init__(
        self, make_thumbnail: Callable[[Path, int], np.ndarray], size: int = 128, parent=None
    ) -> None:
        super().__init__(parent)
        self._make = make_thumbnail
        self._size = size
        self._items: dict[Hashable, QListWidgetItem] = {}
        self._loader = BackgroundLoader(self)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)
        self._loader.idle.connect(self.thumbnails_ready)
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMovement(QListWidget.Movement.Static)
        self.setIconSize(QSize(size, size))
        self.setGridSize(QSize(size + 24, size + 40))
        self.setWordWrap(True)
        self.setUniformItemSizes(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.itemSelectionChanged.connect(lambda: self.selection_changed.emit(self.selected_keys()))
        self.itemActivated.connect(lambda item: self.item_activated.emit(item.data(KEY_ROLE)))

    def _placeholder(self) -> QIcon:
        pixmap = QPixmap(self._size, self._size)
        pixmap.fill(QColor(60, 60, 64))
        return QIcon(pixmap)

    def set_items(self, items: Sequence[ThumbnailItem]) -> None:
        """Replace the grid's content; previews arrive as they are decoded."""
        self.clear()
        self._items.clear()
        placeholder = self._placeholder()
        for entry in items:
            item = QListWidgetItem(placeholder, entry.label)
            item.setData(KEY_ROLE, entry.key)
            item.setToolTip(entry.tooltip or entry.label)
            self.addItem(item)
            self._items[entry.key] = item
            if entry.path is not None:
                self._loader.request(entry.key, self._make, entry.path, self._size)
        if self._loader.pending == 0:
            self.thumbnails_ready.emit()

    @property
    def loading(self) -> bool:
        return self._loader.pending > 0

    def keys(self) -> list[Hashable]:
        return list(self._items)

    def selected_keys(self) -> list[Hashable]:
        return [item.data(KEY_ROLE) for item in self.selectedItems()]

    def select_key(self, key: Hashable) -> None:
        item = self._items.get(key)
        if item is not None:
            self.setCurrentItem(item)

    def select_keys(self, keys: list[Hashable]) -> None:
        """Select exactly the items of ``keys`` that exist (the first becomes current)."""
        items = [self._items[key] for key in keys if key in self._items]
        self.clearSelection()
        for item in items:
            item.setSelected(True)
        if items:
            self.scrollToItem(items[0])

    def _on_loaded(self, key: Hashable, pixels: np.ndarray) -> None:
        item = self._items.get(key)
        if item is not None:
            item.setIcon(faithful_icon(QPixmap.fromImage(rgb_to_qimage(pixels))))

    def _on_failed(self, key: Hashable, message: str) -> None:
        item = self._items.get(key)
        if item is not None:
            item.setToolTip(f"{item.toolTip()}\npreview failed: {message.splitlines()[0]}")
