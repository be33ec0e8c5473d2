"""A grid of labelled thumbnails, loaded in the background, with multi-selection.

Every cell has the same size whatever the images' shapes: icons are letterboxed
into a ``size`` x ``size`` square (the whole image, aspect kept) and one delegate
gives every item the grid's cell size, so a relayout (a window or dock resize)
cannot measure the grid from one wide first image and crop the others' pictures
and captions. The columns share the width the grid has.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from widgets.background import BackgroundLoader
from widgets.qimage import rgb_to_qimage

if TYPE_CHECKING:
    import numpy as np

KEY_ROLE = Qt.ItemDataRole.UserRole
CAPTION_LINES = 2  # a display name (core.naming) fits two lines of a cell
GAP = 6  # pixels between cells


def letterboxed(pixmap: QPixmap, size: int) -> QPixmap:
    """``pixmap`` scaled to fit a transparent ``size`` x ``size`` square, centred, aspect kept."""
    if pixmap.isNull() or (pixmap.width() == size and pixmap.height() == size):
        return pixmap
    smooth = pixmap.width() > size or pixmap.height() > size
    scaled = pixmap.scaled(
        size,
        size,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation
        if smooth
        else Qt.TransformationMode.FastTransformation,  # small images: crisp pixels
    )
    square = QPixmap(size, size)
    square.fill(Qt.GlobalColor.transparent)
    painter = QPainter(square)
    painter.drawPixmap((size - scaled.width()) // 2, (size - scaled.height()) // 2, scaled)
    painter.end()
    return square


def faithful_icon(pixmap: QPixmap, size: int | None = None) -> QIcon:
    """An icon that looks the same selected: Qt tints selected icons, which fakes a colour shift.

    With ``size``, the picture is letterboxed into a square of that size first.
    """
    if size is not None:
        pixmap = letterboxed(pixmap, size)
    icon = QIcon()
    for mode in (QIcon.Mode.Normal, QIcon.Mode.Selected, QIcon.Mode.Active):
        icon.addPixmap(pixmap, mode)
    return icon


ICON_CACHE = 2000  # previews kept by file (128 px: about 64 KB each)


@dataclass(frozen=True)
class ThumbnailItem:
    """One entry: a stable key, a caption, a tooltip and the file to preview."""

    key: Hashable
    label: str
    path: Path | None
    tooltip: str = ""


def breakable(text: str, longest: int = 12) -> str:
    """``text`` whose words longer than ``longest`` may break anywhere (zero-width spaces).

    Item views wrap captions at word boundaries only and elide a line that is one
    long word (``scan_0001_page…`` drawn as ``scan_0…_page…``): file stems would lose
    the very characters that tell them apart. Short words still break whole.
    """
    words = text.split(" ")
    return " ".join("\u200b".join(word) if len(word) > longest else word for word in words)


class _CellDelegate(QStyledItemDelegate):
    """Every item is one cell of the grid: its size never depends on its picture or text."""

    def __init__(self, grid: ThumbnailGrid) -> None:
        super().__init__(grid)
        self._grid = grid

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802 (Qt override)
        return self._grid.cell_size

    def initStyleOption(self, option: QStyleOptionViewItem, index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        option.text = "\n".join(breakable(line) for line in option.text.split("\n"))


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
        # Previews already made, by file: a rebuild (after every run or import) shows them
        # at once instead of decoding every file again beside the work that just ended.
        self._icons: OrderedDict[Path, QIcon] = OrderedDict()
        self._paths: dict[Hashable, Path] = {}
        self._loader = BackgroundLoader(self)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)
        self._loader.idle.connect(self.thumbnails_ready)
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMovement(QListWidget.Movement.Static)
        self.setIconSize(QSize(size, size))
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.setItemDelegate(_CellDelegate(self))
        self._cell = QSize()
        self._measure()
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.itemSelectionChanged.connect(lambda: self.selection_changed.emit(self.selected_keys()))
        self.itemActivated.connect(lambda item: self.item_activated.emit(item.data(KEY_ROLE)))

    def _measure(self) -> None:
        """Cell and grid sizes: the square icon and two caption lines high, and as wide as
        the columns that fit the grid's width (the scroll bar's room always set aside, so
        that its coming and going cannot change the columns)."""
        lines = CAPTION_LINES * self.fontMetrics().lineSpacing()
        height = self._size + lines + 12
        narrowest = self._size + 8 + GAP
        bar = self.verticalScrollBar().sizeHint().width()
        width = self.width() - 2 * self.frameWidth() - bar - 2  # Qt wraps a row that fills it
        columns = max(1, width // narrowest)
        column = max(narrowest, width // columns)
        cell = QSize(column - GAP, height)
        if cell != self._cell:
            self._cell = cell
            self.setGridSize(QSize(column, height + GAP))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._measure()
        super().resizeEvent(event)

    @property
    def cell_size(self) -> QSize:
        """The size every item claims: its square icon and two lines of caption."""
        return QSize(self._cell)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._measure()

    def _placeholder(self) -> QIcon:
        pixmap = QPixmap(self._size, self._size)
        pixmap.fill(QColor(60, 60, 64))
        return QIcon(pixmap)

    def set_items(self, items: Sequence[ThumbnailItem]) -> None:
        """Replace the grid's content; previews arrive as they are decoded."""
        self.clear()
        self._items.clear()
        self._paths.clear()
        placeholder = self._placeholder()
        for entry in items:
            cached = self._icons.get(entry.path) if entry.path is not None else None
            item = QListWidgetItem(cached or placeholder, entry.label)
            item.setData(KEY_ROLE, entry.key)
            item.setToolTip(entry.tooltip or entry.label)
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            self.addItem(item)
            self._items[entry.key] = item
            if cached is not None:
                self._icons.move_to_end(entry.path)
            elif entry.path is not None:
                self._paths[entry.key] = entry.path
                self._loader.request_soon(entry.key, self._make, entry.path, self._size)
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
        """Select exactly the items of ``keys`` that exist, in one change; the first becomes
        current and is scrolled to. Selecting what is already selected changes nothing."""
        items = [self._items[key] for key in keys if key in self._items]
        model = self.selectionModel()
        if {item.data(KEY_ROLE) for item in items} != set(self.selected_keys()):
            selection = QItemSelection()
            for item in items:
                index = self.indexFromItem(item)
                selection.select(index, index)
            model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if items:
            self.show_key(items[0].data(KEY_ROLE))

    def show_key(self, key: Hashable) -> None:
        """Make ``key``'s item current (the focus frame) and scroll to it; the selection stays."""
        item = self._items.get(key)
        if item is None:
            return
        self.selectionModel().setCurrentIndex(
            self.indexFromItem(item), QItemSelectionModel.SelectionFlag.NoUpdate
        )
        self.scrollToItem(item)

    def _on_loaded(self, key: Hashable, pixels: np.ndarray) -> None:
        item = self._items.get(key)
        if item is not None:
            icon = faithful_icon(QPixmap.fromImage(rgb_to_qimage(pixels)), self._size)
            item.setIcon(icon)
            if (path := self._paths.pop(key, None)) is not None:
                self._icons[path] = icon
                while len(self._icons) > ICON_CACHE:
                    self._icons.popitem(last=False)

    def _on_failed(self, key: Hashable, message: str) -> None:
        item = self._items.get(key)
        if item is not None:
            item.setToolTip(f"{item.toolTip()}\npreview failed: {message.splitlines()[0]}")
