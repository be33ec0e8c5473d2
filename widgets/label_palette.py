"""The label list of the review queue: taxonomy groups in colour, the active group's labels numbered."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem

GROUP_COLOURS = ["#ff4040", "#ffb020", "#30c8ff", "#60e060", "#d070ff", "#ff80c0"]


class LabelPalette(QListWidget):
    """Shows a taxonomy (groups with ``id``, ``title``, ``labels``); 1-9 pick the numbered labels."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the canvas keeps the keyboard
        self.taxonomy = None

    def group_colour(self, group_id: str) -> QColor:
        """The colour of a group's regions and heading (by the group's place in the taxonomy)."""
        ids = [group.id for group in self.taxonomy.groups] if self.taxonomy else []
        index = ids.index(group_id) if group_id in ids else len(ids)
        return QColor(GROUP_COLOURS[index % len(GROUP_COLOURS)])

    def show_taxonomy(self, taxonomy, active_group: int, last_label: str | None) -> None:
        self.taxonomy = taxonomy
        self.clear()
        if taxonomy is None:
            return
        for g_index, group in enumerate(taxonomy.groups):
            active = g_index == active_group
            head = QListWidgetItem(f"{'>' if active else ' '} {group.title}")
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            head.setForeground(self.group_colour(group.id))
            self.addItem(head)
            if not active:
                continue
            for number, label in enumerate(group.labels, start=1):
                mark = " *" if label.id == last_label else ""
                self.addItem(f"    {number}  {label.title}{mark}")
