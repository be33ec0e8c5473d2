"""The annotators' "cases" table: images flagged per label group and label, per column.

A case is an image with at least one flag of the row (seed 000's count: several
regions on one image are one case). Columns are methods, prompts, annotators or
the values of a study tag; the last row gives the images reviewed in each
column, the denominator. The widget shows a table it is given; the caller
computes it (``core.annotations.summary.case_table``) when ``grouping_changed``
asks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

GROUPINGS = ("method", "prompt", "annotator")
REVIEWED_ROW = "images reviewed"


class CaseCounts(QWidget):
    """A grouping choice above a (group / label) x column table of flagged images."""

    grouping_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count_by = QComboBox()
        self.count_by.setToolTip("images with at least one flag, per method, prompt or tag")
        self.set_groupings(GROUPINGS)
        self.count_by.currentIndexChanged.connect(
            lambda _index: self.grouping_changed.emit(self.grouping)
        )
        self.table = QTableWidget()
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        head = QHBoxLayout()
        head.addWidget(QLabel("Cases"))
        head.addWidget(self.count_by, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.table, 1)

    @property
    def grouping(self) -> str:
        return self.count_by.currentData() or GROUPINGS[0]

    def set_groupings(self, names: Sequence[str]) -> None:
        """The choices (method, prompt, annotator, then tag keys), keeping the current one."""
        current = self.count_by.currentData()
        self.count_by.blockSignals(True)
        self.count_by.clear()
        for name in names:
            self.count_by.addItem(f"per {name}", name)
        index = self.count_by.findData(current)
        self.count_by.setCurrentIndex(max(index, 0))
        self.count_by.blockSignals(False)
        if current is not None and index < 0:
            self.grouping_changed.emit(self.grouping)

    def show_table(self, table, title: Callable[[str], str] = str) -> None:
        """Show a :class:`core.annotations.summary.CaseTable`: rows with cases, then reviewed."""
        self.table.clear()
        columns = list(table.columns)
        rows = [r for r in table.rows if r in table.groups or table.cases.get(r)]
        self.table.setRowCount(len(rows) + 1)
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setVerticalHeaderLabels([title(r) for r in rows] + [REVIEWED_ROW])
        bold = QFont(self.font())
        bold.setBold(True)
        for r, row in enumerate(rows):
            for c, column in enumerate(columns):
                value = table.cases.get(row, {}).get(column, 0)
                item = QTableWidgetItem(str(value) if value else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setToolTip(
                    f"{value} of {table.reviewed.get(column, 0)} images reviewed ({column})"
                )
                if row in table.groups:
                    item.setFont(bold)
                self.table.setItem(r, c, item)
        for c, column in enumerate(columns):
            item = QTableWidgetItem(str(table.reviewed.get(column, 0)))
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(len(rows), c, item)
        self.table.resizeColumnsToContents()

    def cell(self, row: str, column: str, title: Callable[[str], str] = str) -> str:
        """The text shown for ``row`` (a label/group id, or REVIEWED_ROW) and ``column``."""
        names = [self.table.verticalHeaderItem(r).text() for r in range(self.table.rowCount())]
        columns = [
            self.table.horizontalHeaderItem(c).text() for c in range(self.table.columnCount())
        ]
        wanted = row if row == REVIEWED_ROW else title(row)
        item = self.table.item(names.index(wanted), columns.index(column))
        return item.text() if item is not None else ""

    def clear(self) -> None:
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
