"""A sortable, filterable table of scores with CSV export.

Columns are sized to their content (capped, so one long name cannot push the
rest out of sight) and the last one stretches to the table's width.
"""

from __future__ import annotations

import csv
from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QLineEdit, QTableView, QVBoxLayout, QWidget

MAX_COLUMN_WIDTH = 130  # longer text is elided in the middle; the tooltip has it all


class ScoreTable(QWidget):
    """Rows of dicts shown under ``columns``; numbers sort as numbers; the filter matches any column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns: list[str] = []
        self.model = QStandardItemModel(0, 0, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortRole(Qt.ItemDataRole.UserRole)
        self.filter = QLineEdit(placeholderText="Filter (any column)")
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setMinimumSectionSize(40)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)

    def set_rows(self, columns: list[str], rows: list[dict[str, Any]]) -> None:
        self.columns = list(columns)
        self.model.clear()
        self.model.setHorizontalHeaderLabels(self.columns)
        for row in rows:
            items = []
            for column in self.columns:
                value = row.get(column)
                text = (
                    f"{value:.6g}"
                    if isinstance(value, float)
                    else ("" if value is None else str(value))
                )
                item = QStandardItem(text)
                if len(text) > 16:
                    item.setToolTip(text)
                item.setData(
                    value if isinstance(value, int | float) else text, Qt.ItemDataRole.UserRole
                )
                item.setEditable(False)
                items.append(item)
            self.model.appendRow(items)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Each column as wide as its content and header (at most ``MAX_COLUMN_WIDTH``);
        columns with no value in any row are hidden (they stay in the CSV)."""
        self.view.resizeColumnsToContents()
        for column in range(len(self.columns)):
            blank = self.model.rowCount() > 0 and not any(
                self.model.item(row, column).text() for row in range(self.model.rowCount())
            )
            self.view.setColumnHidden(column, blank)  # an empty column only takes room
            if self.view.columnWidth(column) > MAX_COLUMN_WIDTH:
                self.view.setColumnWidth(column, MAX_COLUMN_WIDTH)

    def visible_rows(self) -> list[list[str]]:
        """The rows as shown (filtered and sorted), as text."""
        return [
            [self.proxy.index(r, c).data() or "" for c in range(len(self.columns))]
            for r in range(self.proxy.rowCount())
        ]

    def export_csv(self, path: str) -> str:
        """Write the visible rows (filter and order applied) with a header line."""
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(self.columns)
            writer.writerows(self.visible_rows())
        return path
