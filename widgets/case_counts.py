"""The annotators' "cases" table: flagged labels counted per method, prompt or annotator.

It shows a table it is given; the caller computes the counts (see
``core.annotations.summary.counts``) when ``grouping_changed`` asks for them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import Qt, Signal
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


class CaseCounts(QWidget):
    """A grouping choice above a label x group table of counts (blank where zero)."""

    grouping_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count_by = QComboBox()
        self.count_by.addItems([f"per {name}" for name in GROUPINGS])
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
        return GROUPINGS[self.count_by.currentIndex()]

    def show_counts(
        self,
        counts: Mapping[str, Mapping[str, int]],
        order: Sequence[str] = (),
        title: Callable[[str], str] = str,
    ) -> None:
        """Rows are labels (those in ``order`` first, in that order), columns the groups."""
        self.table.clear()
        columns = sorted({key for row in counts.values() for key in row})
        rows = [label for label in order if label in counts]
        rows += sorted(set(counts) - set(rows))
        self.table.setRowCount(len(rows))
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels(columns)
        self.table.setVerticalHeaderLabels([title(label) for label in rows])
        for r, label in enumerate(rows):
            for c, column in enumerate(columns):
                value = counts[label].get(column, 0)
                item = QTableWidgetItem(str(value) if value else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def clear(self) -> None:
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
