"""A study table on screen: row labels, one column per metric and statistic, the best marked.

The best value of each column (by the metric's direction) is bold on a green
tint; subtotal and total rows are shaded. Double-clicking a cell emits the ids of
the images behind it, so a view can open them (the Tables view opens Compare).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from core.studies.formats import best_stat, cell_value, column_headers, number_text
from core.studies.table import Table

BEST_TINT = QColor(198, 239, 206)
SUBTOTAL_TINT = QColor(236, 236, 236)
IMAGES_ROLE = Qt.ItemDataRole.UserRole + 1


class PivotTable(QTableWidget):
    """Shows a :class:`core.studies.table.Table`; ``images_activated(ids)`` on double-click."""

    images_activated = Signal(list)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.table: Table | None = None
        self.best_cells: set[tuple[int, int]] = set()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.cellDoubleClicked.connect(self._activated)

    def show_table(self, table: Table, digits: int = 3) -> None:
        self.table = table
        self.clear()
        headers = column_headers(table, split_ci=False)
        keys = len(table.spec.rows)
        self.setColumnCount(keys + len(headers))
        self.setRowCount(len(table.rows))
        self.setHorizontalHeaderLabels([*table.spec.rows, *(h for _c, _s, h in headers)])
        stat = best_stat(table)
        best = table.best(stat) if stat else {}
        self.best_cells = set()
        bold = QFont(self.font())
        bold.setBold(True)
        for r, row in enumerate(table.rows):
            shade = QBrush(SUBTOTAL_TINT) if row.kind != "row" else None
            for k, label in enumerate(row.label):
                item = QTableWidgetItem(label)
                item.setData(IMAGES_ROLE, list(row.image_ids))
                if shade is not None:
                    item.setBackground(shade)
                self.setItem(r, k, item)
            for offset, (c, s, _h) in enumerate(headers):
                cell = table.cells[r][c]
                item = QTableWidgetItem(number_text(cell_value(table, r, c, s), digits))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                item.setData(IMAGES_ROLE, [*cell.image_ids, *cell.missing])
                item.setToolTip(_tooltip(table, r, c))
                if shade is not None:
                    item.setBackground(shade)
                if s == stat and best.get(c) == r:
                    item.setFont(bold)
                    item.setBackground(QBrush(BEST_TINT))
                    self.best_cells.add((r, keys + offset))
                self.setItem(r, keys + offset, item)

    def images_at(self, row: int, column: int) -> list[int]:
        item = self.item(row, column)
        return list(item.data(IMAGES_ROLE) or []) if item is not None else []

    def _activated(self, row: int, column: int) -> None:
        ids = self.images_at(row, column)
        if ids:
            self.images_activated.emit(ids)


def _tooltip(table: Table, r: int, c: int) -> str:
    cell = table.cells[r][c]
    column = table.columns[c]
    lines = [f"{column.label}: {len(cell.image_ids)} image(s) with a value"]
    if column.lower_better is not None:
        lines.append("lower is better" if column.lower_better else "higher is better")
    for reason, ids in sorted(cell.without.items()):
        lines.append(f"{len(ids)} {reason}")
    lines.append("Double-click: open these images in Compare")
    return "\n".join(lines)
