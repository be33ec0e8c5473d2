"""Tags in the window, as a user works: ctrl-click two thumbnails, right-click, Edit Tags...,
type a tag, OK; then filter the browser by it and see only those two; Export Images... writes
them with their manifest."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QDialogButtonBox

import app.project_browser as browser_module
from app.main_window import MainWindow
from app.session import ProjectChange
from app.settings import Settings
from core.project import Project

NAMES = ["alpha", "bravo", "charlie", "delta"]
SHOTS = Path(os.environ.get("IRIS_SHOTS", "/tmp/iris-shots"))


@pytest.fixture
def window(qtbot, worker, tmp_path):
    path = tmp_path / "p"
    with Project.create(path, name="tags") as project:
        for index, name in enumerate(NAMES):
            pixels = np.full((40, 60, 3), (40 * index, 200 - 40 * index, 90), np.uint8)
            file = tmp_path / f"{name}.png"
            Image.fromarray(pixels).save(file)
            project.add_image_bytes(file.read_bytes(), name=name, kind="imported")
        project.set_tags([1], {"dataset": "mine"})
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    assert win.open_project(path)
    qtbot.waitUntil(lambda: win.browser.grid.count() == len(NAMES), timeout=10_000)
    qtbot.waitUntil(lambda: not win.is_busy(), timeout=20_000)
    yield win
    win.close()


def _click(qtbot, grid, name: str, modifier=Qt.KeyboardModifier.NoModifier, button=None):
    item = next(grid.item(row) for row in range(grid.count()) if grid.item(row).text() == name)
    qtbot.mouseClick(
        grid.viewport(), button or Qt.MouseButton.LeftButton, modifier,
        grid.visualItemRect(item).center(),
    )  # fmt: skip
    return item


def _choose_from_context_menu(qtbot, browser, name: str, text: str) -> None:
    """Right-click the thumbnail ``name`` and click the menu entry ``text``."""
    chosen = []

    def pick() -> None:
        menu = browser.context_menu
        if menu is None or not menu.isVisible():
            QTimer.singleShot(20, pick)
            return
        action = next(a for a in menu.actions() if a.text().replace("&", "") == text)
        chosen.append(action.text())
        qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(action).center())

    QTimer.singleShot(20, pick)
    item = _click(qtbot, browser.grid, name, button=Qt.MouseButton.RightButton)
    # The window system follows a right press with a context-menu event; the offscreen
    # platform does not, so the test sends the one it would have sent.
    viewport = browser.grid.viewport()
    pos = browser.grid.visualItemRect(item).center()
    QApplication.sendEvent(
        viewport,
        QContextMenuEvent(QContextMenuEvent.Reason.Mouse, pos, viewport.mapToGlobal(pos)),
    )
    qtbot.waitUntil(lambda: bool(chosen) and browser.context_menu is None, timeout=5_000)


def test_tag_two_images_in_the_editor_then_filter_the_browser_by_it(qtbot, window):
    browser = window.browser
    grid = browser.grid
    _click(qtbot, grid, "alpha")
    _click(qtbot, grid, "charlie", Qt.KeyboardModifier.ControlModifier)
    assert sorted(browser.selected_image_ids()) == [1, 3]

    _choose_from_context_menu(qtbot, browser, "charlie", "Edit Tags...")
    editor = browser.tag_editor
    qtbot.waitUntil(lambda: editor.isVisible(), timeout=5_000)
    assert sorted(editor.image_ids) == [1, 3]  # the right-click kept the selection
    assert [editor.tag_list.item(0).text().split()[:3]] == [["dataset=mine", "1", "of"]]
    qtbot.mouseClick(editor.new_tag, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(editor.new_tag, "scene")
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert "key=value" in editor.message.text()  # refused in place, nothing added
    editor.new_tag.clear()
    qtbot.keyClicks(editor.new_tag, "scene=text")
    qtbot.keyClick(editor.new_tag, Qt.Key.Key_Return)  # Enter adds (it does not close)
    assert editor.isVisible()
    assert any(editor.tag_list.item(r).text().startswith("scene=text   2 of 2")
               for r in range(editor.tag_list.count()))  # fmt: skip
    SHOTS.mkdir(parents=True, exist_ok=True)
    editor.grab().save(str(SHOTS / "tag_editor.png"))
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)  # fmt: skip

    with Project.open(window.project.path) as project:
        qtbot.waitUntil(lambda: project.images_tagged({"scene": "text"}) == [1, 3], timeout=10_000)
    # the session's TAGS change reaches the browser: the filter lists the new tag
    combo = browser.tag_filter.combo
    qtbot.waitUntil(
        lambda: "scene=text" in [combo.itemText(i) for i in range(combo.count())], timeout=5_000
    )
    assert "scene=text" in grid.item(0).toolTip()  # the tooltip shows the tags

    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "scene=text")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.count() == 2, timeout=5_000)
    assert sorted(grid.item(r).text() for r in range(grid.count())) == ["alpha", "charlie"]
    assert "(2 shown)" in browser.summary.text()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=10_000)
    browser.grab().save(str(SHOTS / "browser_filtered_by_tag.png"))

    combo.lineEdit().selectAll()
    qtbot.keyClicks(combo.lineEdit(), "nonsense")
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    assert grid.count() == 2 and "key=value" in combo.toolTip()  # refused, filter kept
    combo.lineEdit().selectAll()
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Backspace)
    qtbot.keyClick(combo.lineEdit(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.count() == len(NAMES), timeout=5_000)


def test_remove_a_tag_from_the_selection(qtbot, window):
    with Project.open(window.project.path) as project:
        project.set_tags([2, 4], {"scene": "faces", "subject": "kid"})
    window.session.notify(ProjectChange.TAGS)  # as a job that tagged them would
    browser = window.browser
    _click(qtbot, browser.grid, "bravo")
    _click(qtbot, browser.grid, "delta", Qt.KeyboardModifier.ControlModifier)
    _choose_from_context_menu(qtbot, browser, "delta", "Edit Tags...")
    editor = browser.tag_editor
    qtbot.waitUntil(lambda: editor.isVisible(), timeout=5_000)
    rows = [editor.tag_list.item(r) for r in range(editor.tag_list.count())]
    scene = next(item for item in rows if item.text().startswith("scene=faces"))
    qtbot.mouseClick(editor.tag_list.viewport(), Qt.MouseButton.LeftButton,
                     pos=editor.tag_list.visualItemRect(scene).center())  # fmt: skip
    qtbot.mouseClick(editor.remove_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(editor.buttons.button(QDialogButtonBox.StandardButton.Ok),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    with Project.open(window.project.path) as project:
        qtbot.waitUntil(lambda: project.images_tagged({"scene": "faces"}) == [], timeout=10_000)
        assert project.images_tagged({"subject": "kid"}) == [2, 4]


def test_export_images_from_the_context_menu(qtbot, window, tmp_path, monkeypatch):
    out = tmp_path / "exported"
    monkeypatch.setattr(browser_module, "choose_export_folder", lambda parent: str(out))
    browser = window.browser
    _click(qtbot, browser.grid, "bravo")
    _click(qtbot, browser.grid, "delta", Qt.KeyboardModifier.ControlModifier)
    _choose_from_context_menu(qtbot, browser, "delta", "Export Images...")
    qtbot.waitUntil(lambda: "Exported 2 image(s)" in window.statusBar().currentMessage(),
                    timeout=10_000)  # fmt: skip
    with open(out / "manifest.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["name"] for row in rows) == ["bravo", "delta"]
    with Project.open(window.project.path) as project:
        for row in rows:
            stored = project.image_path(int(row["image_id"])).read_bytes()
            assert (out / row["file"]).read_bytes() == stored
