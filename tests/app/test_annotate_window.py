"""The Annotate view inside the window at 1366x768: the image name is shown whole, and the
browser's highlight follows the keyboard navigation."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.main_window import MainWindow
from app.settings import Settings


@pytest.fixture
def window(qtbot, worker, tmp_path):
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    assert win.open_project(tmp_path / "p", create=True)
    rng = np.random.default_rng(2)
    for i in range(4):
        win.project.add_image_array(
            rng.random((40, 60, 3)).astype(np.float32),
            name=f"a rather long image name number {i}",
            kind="imported",
        )
    win.session.notify(__import__("app.session").session.ProjectChange.IMAGES)
    qtbot.waitUntil(lambda: not win.browser.refresh_pending, timeout=5000)
    yield win
    win.close()


def test_navigation_moves_the_browser_highlight_and_names_fit(qtbot, window):
    view = window.show_view("annotate")
    view.set_project(window.project)
    qtbot.waitUntil(lambda: view.current is not None, timeout=5000)
    first = view.current
    view.canvas.setFocus()
    qtbot.keyClick(view.canvas, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: view.current.id != first.id, timeout=5000)
    assert window.browser.grid.selected_keys() == [view.current.id]
    assert [r.id for r in window._selection] == [view.current.id]
    assert view.current.id != first.id  # the browser's echo did not move the view back
    title = view.image_title
    assert title.isVisible() and view.current.name in title.text()
    assert title.fontMetrics().horizontalAdvance(title.text()) <= title.width()
    qtbot.keyClick(view.canvas, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: view.current.id == first.id, timeout=5000)
    assert window.browser.grid.selected_keys() == [first.id]
