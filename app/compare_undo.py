"""Undoable changes to the compared set: adding and removing a view (Ctrl+Z, Ctrl+Shift+Z).

A removed view comes back at its place with its image, its nudge offset and its
roles (reference, swipe A or B); the other views' settings are untouched.
The view clears the stack when a new comparison replaces the set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

if TYPE_CHECKING:
    from app.compare_view import CompareView
    from core.project import ImageRecord

ROLES = ("reference", "swipe_a", "swipe_b")


@dataclass
class RemovedView:
    """What removing a view took away: enough to put it back exactly."""

    slot: int
    record: ImageRecord
    offset: list[float]
    roles: tuple[str, ...]  # the state indices that pointed at it


def state_without(state: dict[str, Any], slot: int) -> tuple[dict[str, Any], list[float], tuple]:
    """``state`` with view ``slot`` removed; also that view's offset and roles."""
    state = dict(state)
    offsets = [list(o) for o in state.get("offsets", [])]
    offset = offsets.pop(slot) if slot < len(offsets) else [0.0, 0.0]
    state["offsets"] = offsets
    roles = tuple(key for key in ROLES if int(state.get(key, 0)) == slot)
    for key in ROLES:  # indices after the removed view move down; its own go to view 1
        index = int(state.get(key, 0))
        state[key] = 0 if index == slot else index - (index > slot)
    return state, offset, roles


def state_with(
    state: dict[str, Any], slot: int, offset: list[float], roles: tuple[str, ...]
) -> dict[str, Any]:
    """``state`` with a view inserted at ``slot`` (the inverse of :func:`state_without`)."""
    state = dict(state)
    offsets = [list(o) for o in state.get("offsets", [])]
    while len(offsets) < slot:
        offsets.append([0.0, 0.0])
    offsets.insert(slot, list(offset))
    state["offsets"] = offsets
    for key in ROLES:
        index = int(state.get(key, 0))
        state[key] = slot if key in roles else index + (index >= slot)
    return state


class RemoveView(QUndoCommand):
    """Remove view ``slot``; undo puts it back."""

    def __init__(self, view: CompareView, slot: int, label: str) -> None:
        super().__init__(f"Remove view {slot + 1} ({label})")
        self.view = view
        self.slot = slot
        self.removed: RemovedView | None = None

    def redo(self) -> None:
        self.removed = self.view.take_view(self.slot)

    def undo(self) -> None:
        if self.removed is not None:
            self.view.put_view(self.removed)


class AddView(QUndoCommand):
    """Add ``record`` as the last view; undo removes it again."""

    def __init__(self, view: CompareView, record: ImageRecord, label: str) -> None:
        super().__init__(f"Add {label}")
        self.view = view
        self.record = record
        self.slot = -1

    def redo(self) -> None:
        self.slot = len(self.view.records)
        self.view.put_view(RemovedView(self.slot, self.record, [0.0, 0.0], ()))

    def undo(self) -> None:
        self.view.take_view(self.slot)
