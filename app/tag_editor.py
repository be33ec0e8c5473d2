"""The tag editor: the selected images' study tags, to add and remove on all of them at once.

It lists the tags the selection shows (``scene=text  2 of 3``; an inherited one is
marked and cannot be removed here: remove it from the input). *Add* takes
``key=value`` (a key already listed gets the new value); *Remove* drops a key. OK
applies everything to every selected image, on the worker, in one transaction.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.errors import IrisError

ENTRY_ROLE = Qt.ItemDataRole.UserRole


def edit_tags_job(
    project_dir: str,
    image_ids: list[int],
    tags: dict[str, str],
    remove: list[str],
    *,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> int:
    """The worker's part: write the edit in one transaction; returns the rows changed."""
    from core.jobs import check_cancelled
    from core.project import Project

    check_cancelled(cancel)
    with Project.open(project_dir) as project:
        return project.edit_tags(image_ids, tags, remove)


class TagEditor(QDialog):
    """Edit the tags of ``len(image_ids)`` images; read :meth:`changes` once accepted."""

    def __init__(
        self,
        image_ids: list[int],
        shown: Mapping[int, Mapping[str, str]],
        own: Mapping[int, Mapping[str, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.image_ids = list(image_ids)
        self._added: dict[str, str] = {}
        self._removed: set[str] = set()
        count = len(self.image_ids)
        self.setWindowTitle(f"Edit Tags — {count} image{'s' * (count != 1)}")
        self._values: dict[tuple[str, str], int] = {}
        self._own_keys: set[str] = set()
        for image_id in self.image_ids:
            for key, value in shown.get(image_id, {}).items():
                self._values[(key, value)] = self._values.get((key, value), 0) + 1
            self._own_keys.update(own.get(image_id, {}))
        self.tag_list = QListWidget()
        self.tag_list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.tag_list.itemSelectionChanged.connect(self._update_buttons)
        self.new_tag = QLineEdit()
        self.new_tag.setPlaceholderText("key=value, e.g. scene=text")
        self._enter_added = False  # Enter in the field added a tag: the dialog must not close
        self.new_tag.returnPressed.connect(self._on_enter)
        self.new_tag.textChanged.connect(lambda _t: self.message.setText(""))
        self.add_button = QPushButton("&Add")
        self.add_button.clicked.connect(self.add_tag)
        self.add_button.setAutoDefault(False)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        self.remove_button.setAutoDefault(False)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c0392b;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        adding = QHBoxLayout()
        adding.addWidget(self.new_tag, 1)
        adding.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Tags of the {count} selected image{'s' * (count != 1)}:"))
        layout.addWidget(self.tag_list, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(adding)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(420, 360)
        self._fill()

    def changes(self) -> tuple[dict[str, str], list[str]]:
        """``(tags to set, keys to remove)`` as the user left them."""
        return dict(self._added), sorted(self._removed)

    def add_tag(self) -> bool:
        """Add the typed ``key=value`` (refused in place with the reason when invalid)."""
        from core.project.tags import parse_tag

        try:
            key, value = parse_tag(self.new_tag.text())
        except IrisError as exc:
            self.message.setText(str(exc))
            return False
        self._added[key] = value
        self._removed.discard(key)
        self.new_tag.clear()
        self._fill()
        return True

    def remove_selected(self) -> None:
        """Drop the selected tags' keys (their own tags, from every selected image)."""
        for item in self.tag_list.selectedItems():
            key, _value, removable = item.data(ENTRY_ROLE)
            if removable:
                self._removed.add(key)
                self._added.pop(key, None)
        self._fill()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        # Enter in the new-tag field adds the tag (returnPressed); it must not also press OK.
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self._enter_added:
            self._enter_added = False
            event.accept()
            return
        super().keyPressEvent(event)

    def _on_enter(self) -> None:
        self._enter_added = True
        self.add_tag()

    def _accept(self) -> None:
        if self.new_tag.text().strip() and not self.add_tag():
            return  # a typed tag that is not valid: say so rather than drop it
        self.accept()

    def _fill(self) -> None:
        self.tag_list.clear()
        count = len(self.image_ids)
        for (key, value), have in sorted(self._values.items()):
            if key in self._removed or key in self._added:
                continue
            own = key in self._own_keys
            note = "" if own else "   (inherited from the input)"
            self._item(f"{key}={value}   {have} of {count}{note}", (key, value, own), own)
        for key, value in sorted(self._added.items()):
            self._item(f"{key}={value}   {count} of {count}   (new)", (key, value, True), True)
        for key in sorted(self._removed):
            item = self._item(f"{key}   (removed)", (key, "", False), False)
            font = item.font()
            font.setStrikeOut(True)
            item.setFont(font)
        self._update_buttons()

    def _item(self, text: str, entry: tuple[str, str, bool], removable: bool) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(ENTRY_ROLE, entry)
        if not removable:
            item.setForeground(self.palette().placeholderText())
        self.tag_list.addItem(item)
        return item

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(
            any(item.data(ENTRY_ROLE)[2] for item in self.tag_list.selectedItems())
        )
