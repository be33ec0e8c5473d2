"""Seed 000's Table 3 on screen: per group a Stat and a p-val row, one column per metric.

Each cell holds the Friedman chi-square or its p-value (3 decimals shown, the
exact value in :data:`VALUE_ROLE`); the cells of a test significant at p < 0.05
(the repeats differ) are bold on a warm tint. A cell's tooltip says how many
images and repeats the test had and why a test could not be made.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from core.studies.stat_formats import fixed_text

SIGNIFICANT_TINT = QColor(255, 221, 187)
GROUP_TINT = QColor(246, 246, 246)
VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


class StabilityTable(QTableWidget):
    """Shows :func:`core.studies.stability.friedman_table` rows in Table 3's layout."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.significant_cells: set[tuple[int, int]] = set()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def show_rows(self, rows: Sequence, group_by: str, metrics: Sequence[str]) -> None:
        by_cell = {(r.group, r.metric): r for r in rows}
        groups = list(dict.fromkeys(r.group for r in rows))
        self.clear()
        self.significant_cells = set()
        self.setColumnCount(2 + len(metrics))
        self.setRowCount(2 * len(groups))
        self.setHorizontalHeaderLabels([group_by.capitalize(), "Type", *metrics])
        bold = QFont(self.font())
        bold.setBold(True)
        for g, group in enumerate(groups):
            shade = QBrush(GROUP_TINT) if g % 2 else None
            for offset, (kind, attribute) in enumerate(
                (("Stat", "statistic"), ("p-val", "p_value"))
            ):
                r = 2 * g + offset
                for c, text in enumerate((group if offset == 0 else "", kind)):
                    item = QTableWidgetItem(text)
                    if shade is not None:
                        item.setBackground(shade)
                    self.setItem(r, c, item)
                for m, metric in enumerate(metrics):
                    cell = by_cell.get((group, metric))
                    value = getattr(cell, attribute) if cell is not None else None
                    item = QTableWidgetItem(fixed_text(value))
                    item.setData(VALUE_ROLE, value)
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                    item.setToolTip(_tooltip(cell))
                    if shade is not None:
                        item.setBackground(shade)
                    if cell is not None and cell.significant:
                        item.setFont(bold)
                        item.setBackground(QBrush(SIGNIFICANT_TINT))
                        self.significant_cells.add((r, 2 + m))
                    self.setItem(r, 2 + m, item)

    def value_at(self, row: int, column: int) -> float | None:
        """The exact value behind a cell (None where the test could not be made)."""
        item = self.item(row, column)
        return None if item is None else item.data(VALUE_ROLE)


def _tooltip(cell) -> str:
    if cell is None:
        return "no test"
    lines = [f"{cell.metric}, {cell.group}: {cell.blocks} images x {cell.treatments} repeats"]
    if cell.p_value is not None:
        lines.append(f"chi-square {cell.statistic:.6g}, p = {cell.p_value:.6g}")
        lines.append("p < 0.05: the repeats differ" if cell.significant else "p >= 0.05: stable")
    if cell.note:
        lines.append(cell.note)
    return "\n".join(lines)
