"""A searchable list of images to add to a comparison (replaces a 100-entry flat menu).

Typing filters: every word must match. A word of digits matches a step number
or a whole number in the label ("chain 3" finds step 3 of edit-chain, not step
13); any other word matches part of the label, kind, run, method or name.
Up / Down / Page keys move through the list while typing, Enter adds the
current image, Escape closes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

COLUMNS = ("Image", "Kind", "Run", "Step", "Method", "Size")
NAVIGATION_KEYS = (
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_PageUp,
    Qt.Key.Key_PageDown,
)


@dataclass(frozen=True)
class PickerEntry:
    """One image the picker offers: its label and the facts one searches by."""

    label: str
    kind: str = ""
    run: str = ""
    step: int | None = None
    method: str = ""
    size: str = ""

    def cells(self) -> tuple[str, ...]:
        step = "" if self.step is None else str(self.step)
        return (self.label, self.kind, self.run, step, self.method, self.size)


def entry_matches(query: str, entry: PickerEntry) -> bool:
    """Whether every word of ``query`` matches ``entry`` (see the module docstring)."""
    text = " ".join((entry.label, entry.kind, entry.run, entry.method)).lower()
    numbers = set(re.findall(r"\d+", text))
    for word in query.lower().split():
        if word.isdigit():
            if not (str(int(word)) == str(entry.step) or word in numbers):
                return False
        elif word not in text:
            return False
    return True


class _Filter(QSortFilterProxyModel):
    def __init__(self, entries: list[PickerEntry], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries = entries
        self.query = ""

    def set_query(self, query: str) -> None:
        if not hasattr(self, "beginFilterChange"):  # Qt before 6.9
            self.query = query
            self.invalidateFilter()
            return
        self.beginFilterChange()
        self.query = query
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802 (Qt override)
        return entry_matches(self.query, self.entries[row])


class ImagePicker(QDialog):
    """Pick one image from ``entries``; :attr:`chosen` gives its index in ``entries``."""

    chosen = Signal(int)

    def __init__(self, entries: list[PickerEntry], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add image to the comparison")
        self.entries = list(entries)
        self.model = QStandardItemModel(len(self.entries), len(COLUMNS), self)
        self.model.setHorizontalHeaderLabels(list(COLUMNS))
        for row, entry in enumerate(self.entries):
            for column, text in enumerate(entry.cells()):
                item = QStandardItem(text)
                if column == 3 and entry.step is not None:
                    item.setData(entry.step, Qt.ItemDataRole.DisplayRole)  # sorts as a number
                item.setEditable(False)
                self.model.setItem(row, column, item)
        self.proxy = _Filter(self.entries, self)
        self.proxy.setSourceModel(self.model)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by name, run, step number, method (e.g. chain 3)")
        self.filter.setClearButtonEnabled(True)
        self.list = QTreeView()
        self.list.setModel(self.proxy)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.setSortingEnabled(True)
        self.list.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # project order until clicked
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.header().setStretchLastSection(False)
        for column in range(1, len(COLUMNS)):
            self.list.header().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.count_label = QLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.add_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add_button.setText("Add")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)
        self.resize(760, 460)

        self.filter.textChanged.connect(self._filter_changed)
        self.filter.installEventFilter(self)
        self.list.doubleClicked.connect(lambda _index: self.accept())
        self._filter_changed("")
        self.filter.setFocus()

    def _filter_changed(self, text: str) -> None:
        self.proxy.set_query(text)
        shown = self.proxy.rowCount()
        self.count_label.setText(f"{shown} of {len(self.entries)} images")
        self.add_button.setEnabled(shown > 0)
        if shown:  # the best match is highlighted: Enter takes it
            self.list.setCurrentIndex(self.proxy.index(0, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            watched is self.filter
            and event.type() == QEvent.Type.KeyPress
            and event.key() in NAVIGATION_KEYS
        ):
            QApplication.sendEvent(self.list, event)  # move through the list while typing
            return True
        return False

    def current_entry(self) -> int | None:
        """The index in ``entries`` of the highlighted image, if any is shown."""
        index = self.list.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.mapToSource(index).row()

    def visible_labels(self) -> list[str]:
        return [self.proxy.index(row, 0).data() for row in range(self.proxy.rowCount())]

    def accept(self) -> None:
        entry = self.current_entry()
        if entry is None:
            return
        super().accept()
        self.chosen.emit(entry)
