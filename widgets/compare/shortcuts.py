"""The compare widget's keyboard: QActions with shortcuts (listed in Help > Keyboard Shortcuts).

The actions belong to the widget and only fire while focus is inside it, so
digits and letters do not clash with other views' shortcuts. A host that puts
tool bars beside the widget adds them to itself too (:func:`share_shortcuts`),
so they fire while a tool bar control has the focus. 1 is 1:1 as in the Images
view (0 too); Alt+1..9 select a view.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from widgets.compare.widget import CompareWidget

ZOOM_STEP = 1.25


def add_action(
    widget: CompareWidget,
    actions: dict[str, QAction],
    name: str,
    text: str,
    slot: Callable,
    shortcuts: str | list[str],
    checkable: bool = False,
) -> QAction:
    """One action: ``text`` in the Help list, its name without "Compare: " on tool bars."""
    action = QAction(text, widget)
    action.setIconText(text.removeprefix("Compare: "))
    keys = [shortcuts] if isinstance(shortcuts, str) else list(shortcuts)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.setCheckable(checkable)
    action.triggered.connect(slot)
    widget.addAction(action)
    actions[name] = action
    return action


def build_actions(w: CompareWidget) -> dict[str, QAction]:
    """Every keyboard action of a compare widget, by name."""
    actions: dict[str, QAction] = {}

    def add(name, text, slot, keys, checkable=False):
        return add_action(w, actions, name, text, slot, keys, checkable)

    def levels(step: float) -> None:
        w.set_levels(w.state.exposure + step, w.state.black, w.state.white)

    add("fit", "Compare: Fit", w.fit, "F")
    add("actual", "Compare: Actual Size (1:1)", w.actual_size, ["1", "0"]).setIconText("1:1")
    add("zoom_in", "Compare: Zoom In", lambda: w.zoom_by(ZOOM_STEP), ["+", "="])
    add("zoom_out", "Compare: Zoom Out", lambda: w.zoom_by(1 / ZOOM_STEP), "-")
    for n in range(1, 10):
        add(
            f"view_{n}",
            f"Compare: Select View {n}",
            lambda _=False, i=n - 1: w.select_view(i),
            f"Alt+{n}",
        )
    add("side", "Compare: Side by Side", lambda: w.set_mode("side"), "G")
    add("difference", "Compare: Toggle Difference", w.toggle_difference, "D")
    add("swipe", "Compare: Toggle Swipe", w.toggle_swipe, "S")
    add("flicker", "Compare: Flicker to Reference (hold)", lambda: w.set_flicker(True), "Space")
    add(
        "reference",
        "Compare: Selected View Is Reference",
        lambda: w.set_reference(w.active),
        "R",
    )
    add("crop", "Compare: Draw Crop", w.set_crop_tool, "C", checkable=True)
    add("exposure_up", "Compare: Exposure +1/2 Stop", lambda: levels(0.5), "E")
    add("exposure_down", "Compare: Exposure -1/2 Stop", lambda: levels(-0.5), "Shift+E")
    add(
        "scale_up",
        "Compare: Difference Scale x2",
        lambda: w.set_diff_scale(w.state.diff_scale * 2),
        "]",
    )
    add(
        "scale_down",
        "Compare: Difference Scale /2",
        lambda: w.set_diff_scale(w.state.diff_scale / 2),
        "[",
    )
    for name, text, key, dx, dy in (
        ("nudge_left", "Left", "Alt+Left", -1, 0),
        ("nudge_right", "Right", "Alt+Right", 1, 0),
        ("nudge_up", "Up", "Alt+Up", 0, -1),
        ("nudge_down", "Down", "Alt+Down", 0, 1),
    ):
        add(
            name,
            f"Compare: Nudge Selected View {text}",
            lambda _=False, a=dx, b=dy: w.nudge(a, b),
            key,
        )
    return actions


def share_shortcuts(widget: CompareWidget, host: QWidget) -> None:
    """Make ``widget``'s shortcuts fire while the focus is anywhere inside ``host`` too."""
    for action in widget.actions_by_name.values():
        host.addAction(action)
