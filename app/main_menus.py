"""The main window's menu bar: File (projects, import, settings), View, Tools and Help.

Tools come from :data:`app.tools.TOOLS` and views from :data:`app.views.VIEWS`, so a
new tool or view gets its menu entry (and its Ctrl+N for a view) by registering.
Shortcuts can be bound later (:func:`bind_shortcuts`): making the first ``QKeySequence``
initialises all of Qt's enums, about 40 ms, which the start spends after the window is
shown rather than before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence

from app.tools import TOOLS
from app.views import VIEWS

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from app.main_window import MainWindow


def add_entry(menu: QMenu, text: str, slot) -> QAction:
    """A menu entry calling ``slot``."""
    action = menu.addAction(text)
    action.triggered.connect(slot)
    return action


Shortcuts = list[tuple[QAction, Any]]  # (action, key sequence, standard key or text)


def build_menus(window: MainWindow, *, bind_keys: bool = True) -> Shortcuts:
    """Fill ``window``'s menu bar (``window.recent_menu`` is filled each time it opens).

    With ``bind_keys=False`` the shortcuts are returned unbound, for :func:`bind_shortcuts`.
    """
    bar = window.menuBar()
    keys: Shortcuts = []

    def add_action(menu, text: str, slot, shortcut=None) -> QAction:
        action = add_entry(menu, text, slot)
        if shortcut is not None:
            keys.append((action, shortcut))
        return action

    file_menu = bar.addMenu("&File")
    add_action(
        file_menu, "&New Project...", window.new_project_dialog, QKeySequence.StandardKey.New
    )
    add_action(
        file_menu, "&Open Project...", window.open_project_dialog, QKeySequence.StandardKey.Open
    )
    add_action(
        file_menu, "Open &Sample Project", lambda: window.open_sample_project(background=True)
    )
    window.recent_menu = file_menu.addMenu("Open &Recent")
    window.recent_menu.aboutToShow.connect(lambda: fill_recent_menu(window))
    file_menu.addSeparator()
    add_action(file_menu, "&Import Images...", window.import_images_dialog, "Ctrl+I")
    add_action(file_menu, "Import &Folder...", window.import_folder_dialog, "Ctrl+Shift+I")
    file_menu.addSeparator()
    add_action(
        file_menu, "Se&ttings...", window.open_settings_dialog, QKeySequence.StandardKey.Preferences
    )
    add_action(file_menu, "&Quit", window.close, QKeySequence.StandardKey.Quit)

    view_menu = bar.addMenu("&View")
    for index, name in enumerate(window.view_names(), start=1):
        title = VIEWS.meta(name).get("title", name)
        add_action(view_menu, title, lambda _=False, n=name: window.show_view(n), f"Ctrl+{index}")

    if len(TOOLS):
        tools_menu = bar.addMenu("&Tools")
        for name in TOOLS.names():
            meta = TOOLS.meta(name)
            slot = lambda _=False, n=name: TOOLS.get(n)(window)  # noqa: E731
            add_action(tools_menu, meta.get("title", name), slot, meta.get("shortcut"))

    help_menu = bar.addMenu("&Help")
    add_action(help_menu, "&Keyboard Shortcuts", window.show_shortcuts)
    add_action(help_menu, "&About IRIS", window.show_about)
    if bind_keys:
        bind_shortcuts(keys)
        return []
    return keys


def bind_shortcuts(keys: Shortcuts) -> None:
    """Give each action its shortcut."""
    for action, shortcut in keys:
        action.setShortcut(QKeySequence(shortcut))


def fill_recent_menu(window: MainWindow) -> None:
    """The recent projects, newest first; "(none)" when there are none."""
    menu = window.recent_menu
    menu.clear()
    for path in window.settings.recent_projects:
        add_entry(menu, path, lambda _=False, p=path: window.open_project(p))
    if not window.settings.recent_projects:
        menu.addAction("(none)").setEnabled(False)
