"""The Metrics view's tests share this: the real window on a project, scoring on the CPU
with a private weights folder, and a real click on a run in the view's run list."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import Qt

from app.main_window import MainWindow
from app.settings import Settings


def cpu_window(qtbot, worker, project: Path, weights: Path) -> Iterator[MainWindow]:
    """Yield the main window at 1366x768 on ``project`` (a fixture's generator body)."""
    settings = Settings()
    settings.device = "cpu"
    settings.weights_dir = str(weights)
    win = MainWindow(settings, worker)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_project(project)
    yield win
    win.close()


def click_run(qtbot, view, wanted: Callable[[str], bool]) -> None:
    """Click (a real mouse click) the first run-list row whose text satisfies ``wanted``."""
    for row in range(view.runs.count()):
        item = view.runs.item(row)
        if wanted(item.text()):
            rect = view.runs.visualItemRect(item)
            qtbot.mouseClick(view.runs.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError("no such run")
