"""The Annotate view's keyboard: one table from keys to review-queue actions.

Undo and redo follow the platform (Ctrl+Z, Ctrl+Shift+Z / Ctrl+Y); 1-9 pick
the label of that number in the shown group; every other key is a row of
``KEYS``. The README's annotation guide lists the same keys.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

if TYPE_CHECKING:
    from app.annotate_view import AnnotateView

K = Qt.Key
Action = Callable[["AnnotateView", bool], None]  # (view, shift held)


def _enter(view: AnnotateView, _shift: bool) -> None:
    """Close the polygon being drawn, or label the drawn shape with the last label."""
    if view.canvas.tool == "polygon" and view.canvas.pending is None:
        view.canvas.close_polygon()
    elif view.last_label and view.canvas.pending is not None:
        view.annotate(view.last_label)


def _escape(view: AnnotateView, _shift: bool) -> None:
    view.canvas.discard_pending()
    view.canvas.setFocus()


def _move_in_list(step: int) -> Action:
    def move(view: AnnotateView, _shift: bool) -> None:
        listing = view.annotations_list
        listing.setCurrentRow(min(max(listing.currentRow() + step, 0), listing.count() - 1))

    return move


def _brush(factor: float) -> Action:
    def resize(view: AnnotateView, _shift: bool) -> None:
        view.canvas.brush_radius = min(200.0, max(1.0, view.canvas.brush_radius * factor))

    return resize


# (keys, what they do, action): the one table the key handler and Help > Keyboard
# Shortcuts both read, so the help can never list a key that does nothing.
BINDINGS: tuple[tuple[tuple[Qt.Key, ...], str, Action], ...] = (
    ((K.Key_N, K.Key_Right, K.Key_PageDown), "next image", lambda v, s: v.next()),
    ((K.Key_P, K.Key_Left, K.Key_PageUp), "previous image", lambda v, s: v.previous()),
    (
        (K.Key_Space,),
        "mark the image reviewed (Shift+Space: not reviewed)",
        lambda v, shift: v.mark_reviewed(reviewed=not shift),
    ),
    ((K.Key_Tab,), "next label group", lambda v, s: v.cycle_group(1)),
    ((K.Key_Backtab,), "previous label group", lambda v, s: v.cycle_group(-1)),
    ((K.Key_R,), "rectangle tool", lambda v, s: v.set_tool("rect")),
    ((K.Key_G,), "polygon tool", lambda v, s: v.set_tool("polygon")),
    ((K.Key_B,), "brush tool", lambda v, s: v.set_tool("brush")),
    ((K.Key_Return, K.Key_Enter), "close the polygon / label with the last label", _enter),
    ((K.Key_Escape,), "discard the shape being drawn", _escape),
    ((K.Key_F,), "fit the image", lambda v, s: v.canvas.fit()),
    ((K.Key_Plus, K.Key_Equal), "zoom in", lambda v, s: v.canvas.zoom_by(1.25)),
    ((K.Key_Minus,), "zoom out", lambda v, s: v.canvas.zoom_by(0.8)),
    (
        (K.Key_S,),
        "next severity",
        lambda v, s: v.severity_combo.setCurrentIndex(v.severity % 3),
    ),
    ((K.Key_Delete, K.Key_Backspace), "delete the selected flag", lambda v, s: v.delete_selected()),
    ((K.Key_Up,), "previous flag in the list", _move_in_list(-1)),
    ((K.Key_Down,), "next flag in the list", _move_in_list(1)),
    ((K.Key_BracketLeft,), "smaller brush", _brush(1 / 1.25)),
    ((K.Key_BracketRight,), "larger brush", _brush(1.25)),
)

KEYS: dict[Qt.Key, Action] = {key: action for keys, _help, action in BINDINGS for key in keys}

# The rating mode (app/rating_mode.py) answers these keys instead; 0-5 rate.
RATING_BINDINGS: tuple[tuple[tuple[Qt.Key, ...], str, Action], ...] = (
    ((K.Key_Backspace,), "rating mode: back to the previous image", lambda v, s: v.previous()),
    ((K.Key_N, K.Key_Right, K.Key_PageDown), "rating mode: next image", lambda v, s: v.next()),
    ((K.Key_P, K.Key_Left, K.Key_PageUp), "rating mode: previous image", lambda v, s: v.previous()),
    ((K.Key_F,), "rating mode: fit the image", lambda v, s: v.canvas.fit()),
    ((K.Key_Plus, K.Key_Equal), "rating mode: zoom in", lambda v, s: v.canvas.zoom_by(1.25)),
    ((K.Key_Minus,), "rating mode: zoom out", lambda v, s: v.canvas.zoom_by(0.8)),
)
RATING_KEYS: dict[Qt.Key, Action] = {
    key: action for keys, _help, action in RATING_BINDINGS for key in keys
}


def key_help() -> list[tuple[str, str]]:
    """(keys, what they do) of every Annotate key, in the table's order."""
    rows = [("1-9", "flag with the label of that number in the shown group")]
    for keys, text, _action in BINDINGS:
        rows.append((", ".join(QKeySequence(key).toString() for key in keys), text))
    rows += [("Ctrl+Z", "undo"), ("Ctrl+Shift+Z, Ctrl+Y", "redo")]  # as handle_key reads them
    rows.append(("0-5", "rating mode: rate the image (0 worst, 5 best) and show the next"))
    for keys, text, _action in RATING_BINDINGS:
        rows.append((", ".join(QKeySequence(key).toString() for key in keys), text))
    return [(keys.replace("Backtab", "Shift+Tab"), text) for keys, text in rows]


def handle_key(view: AnnotateView, event: QKeyEvent) -> bool:
    """Apply the review-queue key map to ``view``; returns whether the key was used."""
    key = event.key()
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
    shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
    if event.matches(QKeySequence.StandardKey.Undo) or (ctrl and not shift and key == K.Key_Z):
        view.undo()
    elif event.matches(QKeySequence.StandardKey.Redo) or (ctrl and key in (K.Key_Z, K.Key_Y)):
        view.undo(redo=True)
    elif ctrl:
        return False
    elif view.rating_active:
        if K.Key_0 <= key <= K.Key_5:
            view.rate(key - K.Key_0)
        elif key in RATING_KEYS:
            RATING_KEYS[key](view, shift)
        else:
            return False
    elif K.Key_1 <= key <= K.Key_9:
        view.label_number(key - K.Key_0)
    elif key in KEYS:
        KEYS[key](view, shift)
    else:
        return False
    event.accept()
    return True
