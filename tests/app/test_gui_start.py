"""`iris gui` shows the window first and completes it just after (app/gui.py launch):
the project dock and the menus' shortcuts are there once the project is shown."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt

ROOT = Path(__file__).resolve().parents[2]
CTRL = Qt.KeyboardModifier.ControlModifier

DRIVER = r"""
import json, runpy, sys
import app.gui as gui
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

report = gui.report_startup

def facts(marker):
    window = next(w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow")
    keys = sorted(a.shortcut().toString() for a in window.findChildren(QAction)
                  if not a.shortcut().isEmpty())
    print("FACTS " + json.dumps({"marker": marker, "browser": window.browser is not None,
          "keys": keys, "dock_module": "app.project_browser" in sys.modules,
          "project": window.project is not None,
          "dock_shown": window.browser is not None and window.browser.isVisible()}), flush=True)
    report(marker)

gui.report_startup = facts
sys.argv = ["iris", "gui", "--project", sys.argv[1]]
runpy.run_module("app", run_name="__main__")
"""


def test_the_window_is_shown_first_then_completed_with_dock_and_shortcuts(tmp_path):
    from core.project import Project

    Project.create(tmp_path / "p", name="start").close()
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", IRIS_STARTUP_PROBE="1", PYTHONPATH=str(ROOT),
        IRIS_CONFIG_DIR=str(tmp_path / "config"), IRIS_DATA_DIR=str(tmp_path / "data"),
    )  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", DRIVER, str(tmp_path / "p")],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    facts = {}
    for line in result.stdout.splitlines():
        if line.startswith("FACTS "):
            fact = json.loads(line.removeprefix("FACTS "))
            facts[fact["marker"]] = fact
    shown, filled = facts["IRIS_WINDOW_SHOWN"], facts["IRIS_PROJECT_SHOWN"]
    assert shown["browser"] is False and shown["keys"] == [] and not shown["dock_module"]
    assert filled["browser"] is True and filled["dock_shown"] is True and filled["project"] is True
    assert {"Ctrl+I", "Ctrl+Shift+I", "Ctrl+1", "Ctrl+O"} <= set(filled["keys"])


def test_complete_builds_the_dock_and_binds_the_keys_once(qtbot, worker):
    from PySide6.QtGui import QAction
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.settings import Settings

    window = MainWindow(Settings(), worker, build_first_view=False, complete=False)
    qtbot.addWidget(window)
    window.show()
    assert window.browser is None and window.is_busy()  # the start completes it next
    window.complete()
    browser = window.browser
    window.complete()  # twice is harmless: the same dock, each key bound once
    assert window.browser is browser and browser.isVisible()
    keys = [a.shortcut().toString() for a in window.findChildren(QAction)]
    assert keys.count("Ctrl+I") == 1 and keys.count("Ctrl+2") == 1
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_2, CTRL)
    qtbot.waitUntil(lambda: window.tabs.currentIndex() == 1, timeout=2000)  # Ctrl+2, bound
    window.close()


def test_a_window_closed_before_it_is_complete_keeps_the_saved_dock_layout(qtbot, worker):
    from PySide6.QtCore import Qt as QtNs
    from PySide6.QtWidgets import QDockWidget

    from app.main_window import MainWindow
    from app.settings import Settings

    first = MainWindow(Settings(), worker)
    qtbot.addWidget(first)
    first.show()
    dock = first.findChild(QDockWidget, "project-dock")
    first.addDockWidget(QtNs.DockWidgetArea.RightDockWidgetArea, dock)  # the user moved it
    first.close()
    early = MainWindow(Settings(), worker, build_first_view=False, complete=False)
    qtbot.addWidget(early)
    early.show()
    early.close()  # quit within the first moments, before the dock was built
    again = MainWindow(Settings(), worker)
    qtbot.addWidget(again)
    again.show()
    dock = again.findChild(QDockWidget, "project-dock")
    assert again.dockWidgetArea(dock) == QtNs.DockWidgetArea.RightDockWidgetArea
    again.close()
