"""Keeping the compare shortcuts alive while tool bar controls are used.

Two seams, both general (no key is special-cased):

- :func:`click_without_focus`: combo boxes, check boxes and buttons work with the
  mouse without taking the keyboard focus, so after a click the focus stays where
  it was (in the compare widget, whose shortcuts then still fire). Tab still
  reaches them.
- :class:`NumberFieldKeys`: a number field (spin box) with the focus keeps only
  the keys it can use (digits, sign, decimal point, editing keys); any other
  printable key (letters, Space, brackets) goes on to the view's shortcuts
  instead of being swallowed.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QWidget

NUMBER_CHARACTERS = frozenset("0123456789.,+-")
PLAIN = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier)


def click_without_focus(*widgets: QWidget) -> None:
    """Let mouse clicks use ``widgets`` without moving the keyboard focus to them."""
    for widget in widgets:
        widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)


class NumberFieldKeys(QObject):
    """Event filter for spin boxes: keys a number cannot contain reach the shortcuts."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.ShortcutOverride and not _number_key(event):
            event.ignore()  # not overridden: the shortcut map may use it
            return True
        return False

    def install(self, *boxes: QAbstractSpinBox) -> None:
        for box in boxes:
            box.installEventFilter(self)


def _number_key(event: QKeyEvent) -> bool:
    """Whether a spin box may want this key (typing a number, editing, or a chord)."""
    text = event.text()
    if event.modifiers() not in PLAIN or not text or not text.isprintable():
        return True  # editing keys, Ctrl chords, arrows: the field decides as usual
    return all(ch in NUMBER_CHARACTERS for ch in text)
