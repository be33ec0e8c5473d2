"""Help > Keyboard Shortcuts: every key of the window and of every view, in one table.

The rows are read from what the window and the views actually use: the
window's menu actions, each view's own actions with shortcuts, and the key
tables of views that handle keys themselves (a view's ``keymap()``). Nothing
is written out by hand here, so the list cannot drift from the keys.
"""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

COLUMNS = ("Where", "Keys", "Does")


def action_keys(widget: QWidget) -> list[tuple[str, str]]:
    """(keys, text) of every action under ``widget`` that has a shortcut."""
    rows = []
    for action in widget.findChildren(QAction):
        keys = ", ".join(k.toString() for k in action.shortcuts())
        text = action.text().replace("&", "").strip()
        if keys and text:
            rows.append((keys, text))
    return rows


def shortcut_rows(window_actions: list[tuple[str, str]], views: dict[str, QWidget],
                  titles: dict[str, str]) -> list[tuple[str, str, str]]:  # fmt: skip
    """(where, keys, does) for the window's actions and each built view."""
    rows = [("Window", keys, text) for keys, text in sorted(set(window_actions))]
    for name, view in views.items():
        where = titles.get(name, name)
        found = set(action_keys(view))
        keymap = getattr(view, "keymap", None)
        if callable(keymap):
            found |= set(keymap())
        prefix = f"{where}: "
        rows += [
            (where, keys, text.removeprefix(prefix))
            for keys, text in sorted(found, key=lambda r: r[1])
        ]
    return rows


class ShortcutsDialog(QDialog):
    """A filterable three-column table of every shortcut."""

    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.rows = rows
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter (a key, an action or a view)")
        self.filter.textChanged.connect(self._apply_filter)
        self.table = QTableWidget(len(rows), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(720, 560)

    def visible_rows(self) -> list[tuple[str, str, str]]:
        return [
            tuple(self.table.item(r, c).text() for c in range(len(COLUMNS)))
            for r in range(self.table.rowCount())
            if not self.table.isRowHidden(r)
        ]

    def _apply_filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row, values in enumerate(self.rows):
            self.table.setRowHidden(row, bool(needle) and needle not in " ".join(values).lower())
