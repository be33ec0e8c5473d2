"""Help > Keyboard Shortcuts: one table of every key, read from the keymaps the views use."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.annotate_keys import BINDINGS
from app.main_window import MainWindow
from app.settings import Settings


@pytest.fixture
def window(qtbot, worker):
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _help_action(window):
    (help_menu,) = [m for m in window.menuBar().actions() if m.text() == "&Help"]
    (action,) = [a for a in help_menu.menu().actions() if "Keyboard" in a.text()]
    return action


def test_the_table_lists_every_view_and_every_annotate_key(qtbot, window):
    _help_action(window).trigger()
    from app.shortcuts_dialog import ShortcutsDialog

    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(ShortcutsDialog)))
    dialog = next(d for d in window.findChildren(ShortcutsDialog) if d.isVisible())
    rows = dialog.visible_rows()
    where = {w for w, _k, _t in rows}
    assert {"Window", "Images", "Compare", "Annotate"} <= where
    annotate = {text for w, _k, text in rows if w == "Annotate"}
    assert {text for _keys, text, _action in BINDINGS} <= annotate
    assert (
        "undo" in annotate and "flag with the label of that number in the shown group" in annotate
    )
    assert ("Window", "Ctrl+I", "Import Images...") in rows
    # the filter narrows the table as the user types
    qtbot.keyClicks(dialog.filter, "brush")
    shown = dialog.visible_rows()
    assert shown and all("brush" in " ".join(r).lower() for r in shown)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
