"""A ``key=value`` filter: a combo of the tags in use that also takes typed text.

Pick a tag from the list, or type ``scene=text`` and press Enter; an empty text (or
"Any tag") shows everything. Text that is not ``key=value`` is refused in place
(the box turns red and says why) and the filter keeps its last valid value.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

ANY = "Any tag"


def parse_filter(text: str) -> dict[str, str] | None:
    """``"scene=text"`` -> ``{"scene": "text"}``, ``""`` -> ``{}``; None when not key=value."""
    text = text.strip()
    if not text or text == ANY:
        return {}
    key, sep, value = text.partition("=")
    if not sep or not key.strip() or not value.strip():
        return None
    return {key.strip(): value.strip()}


class TagFilter(QWidget):
    """Emits :attr:`changed` with the ``{key: value}`` to show (``{}``: no filter)."""

    changed = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current: dict[str, str] = {}
        self.combo = QComboBox()
        self.combo.setEditable(True)
        self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.combo.setMinimumContentsLength(12)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.lineEdit().setPlaceholderText("key=value")
        self.combo.setToolTip("Show only images with this tag (type key=value and press Enter)")
        self.combo.addItem(ANY)
        self.combo.activated.connect(lambda _index: self._apply(self.combo.currentText()))
        self.combo.lineEdit().returnPressed.connect(lambda: self._apply(self.combo.currentText()))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Tag:")
        label.setBuddy(self.combo)
        layout.addWidget(label)
        layout.addWidget(self.combo, 1)

    @property
    def current(self) -> dict[str, str]:
        """The filter in force."""
        return dict(self._current)

    def set_tags(self, pairs: Sequence[tuple[str, str, int]]) -> None:
        """The ``(key, value, count)`` tags in use, listed as choices; the filter stays."""
        text = self.combo.currentText()
        self.combo.blockSignals(True)
        try:
            self.combo.clear()
            self.combo.addItem(ANY)
            for key, value, count in pairs:
                self.combo.addItem(f"{key}={value}", userData=count)
                self.combo.setItemData(
                    self.combo.count() - 1, f"{count} image(s)", Qt.ItemDataRole.ToolTipRole
                )
            self.combo.setEditText(text)
        finally:
            self.combo.blockSignals(False)

    def set_filter(self, tags: dict[str, str]) -> None:
        """Show ``tags`` as the filter and apply it (``{}`` clears it)."""
        text = ", ".join(f"{k}={v}" for k, v in tags.items()) if tags else ANY
        self.combo.setEditText(text)
        self._apply(text)

    def _apply(self, text: str) -> None:
        wanted = parse_filter(text)
        if wanted is None:
            self.combo.setStyleSheet("QComboBox { color: #c0392b; }")
            self.combo.setToolTip(f"{text!r}: write the filter as key=value")
            return
        self.combo.setStyleSheet("")
        self.combo.setToolTip("Show only images with this tag (type key=value and press Enter)")
        if wanted != self._current:
            self._current = wanted
            self.changed.emit(dict(wanted))
