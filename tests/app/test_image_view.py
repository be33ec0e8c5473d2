"""The Images view: the pointer readout follows the shown image (never the last one's pixels),
and the facts panel names the image and tells its provenance."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, Qt

from app.main_window import MainWindow
from app.settings import Settings
from core.project import Project

COLOURS = {"red": (250, 0, 0), "blue": (0, 0, 250)}


@pytest.fixture
def window(qtbot, worker, tmp_path):
    path = tmp_path / "two"
    with Project.create(path, name="two") as project:
        red = None
        for name, colour in COLOURS.items():
            file = tmp_path / f"{name}.png"
            Image.fromarray(np.full((60, 80, 3), colour, np.uint8)).save(file)
            record = project.add_image_bytes(
                file.read_bytes(), name=file.name, kind="imported", source_path=str(file)
            )
            red = red or record
        Image.fromarray(np.full((60, 80, 3), (200, 200, 0), np.uint8)).save(tmp_path / "d.png")
        project.add_image_bytes(
            (tmp_path / "d.png").read_bytes(),
            name="red.png (haze 3)",
            kind="degraded",
            parent_id=red.id,
            meta={"recipe": {"steps": [{"kind": "haze", "severity": 3, "params": {}}]}, "seed": 4},
        )
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    assert win.open_project(path)
    view = win.show_view("images")
    qtbot.waitUntil(lambda: view.canvas.has_image() and not win.is_busy(), timeout=20_000)
    yield win
    win.close()


def _click_thumbnail(qtbot, window, row: int) -> None:
    grid = window.browser.grid
    centre = grid.visualItemRect(grid.item(row)).center()
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def _canvas_centre(view) -> QPoint:
    return view.canvas.mapFromScene(view.canvas.sceneRect().center())


def test_the_readout_follows_the_shown_image(qtbot, window):
    view = window.views["images"]
    viewport = view.canvas.viewport()
    centre = _canvas_centre(view)
    qtbot.mouseMove(viewport, centre)
    qtbot.mouseMove(viewport, centre + QPoint(1, 1))
    qtbot.waitUntil(lambda: "R 250  G 0  B 0" in view.readout.text(), timeout=3000)
    _click_thumbnail(qtbot, window, 1)  # the blue image
    assert "R 250" not in view.readout.text()  # cleared at once, not the red pixels
    qtbot.waitUntil(lambda: view.current.name == "blue.png" and view.canvas.has_image())
    qtbot.mouseMove(viewport, centre)
    qtbot.waitUntil(lambda: "R 0  G 0  B 250" in view.readout.text(), timeout=3000)
    qtbot.mouseMove(viewport, QPoint(2, 2))  # off the picture, onto the grey around it
    qtbot.waitUntil(lambda: view.readout.text().strip() == "", timeout=3000)


def test_the_facts_name_the_image_and_tell_where_it_came_from(qtbot, window):
    view = window.views["images"]
    _click_thumbnail(qtbot, window, 2)  # the degraded copy of red
    qtbot.waitUntil(lambda: view.current is not None and view.current.kind == "degraded")
    facts = {}
    for row in range(view.details.rowCount()):
        label = view.details.itemAt(row, view.details.ItemRole.LabelRole).widget().text()
        facts[label] = view.details.itemAt(row, view.details.ItemRole.FieldRole).widget().text()
    assert facts["Name"] == "red · haze 3"
    assert facts["Stored name"] == "red.png (haze 3)"
    assert facts["Derived from"] == "red"
    story = view.provenance.toPlainText().splitlines()
    assert story[0].startswith("red: imported from ") and story[0].split()[3].endswith("red.png")
    assert story[1].startswith("red · haze 3: degraded from red with haze 3")
    assert "seed 4" in story[1]
    assert view.provenance.isVisible()
    assert window.rect().contains(view.provenance.mapTo(window, view.provenance.rect().center()))


def test_the_panel_shows_a_tag_given_while_the_image_is_shown(qtbot, window):
    from app.session import ProjectChange

    view = window.views["images"]
    _click_thumbnail(qtbot, window, 0)
    qtbot.waitUntil(lambda: view.current is not None, timeout=10_000)
    assert "scene=text" not in view.provenance.toPlainText()
    window.project.set_tags([view.current.id], {"scene": "text"})
    window.session.changed.emit(ProjectChange.TAGS, None)  # what the tag editor's job sends
    qtbot.waitUntil(lambda: "scene=text" in view.provenance.toPlainText(), timeout=5_000)
