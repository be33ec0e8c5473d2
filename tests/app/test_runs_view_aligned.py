"""The Runs view's "aligned to the original" compare and a step's "transform performed" facts."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.main_window import MainWindow
from app.settings import Settings
from core.imageio import encode_png
from core.iterate.runner import IterateSpec, iterate
from core.iterate.schedules import Schedule

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def window(qtbot, worker, tmp_path):
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    assert win.open_project(tmp_path / "project", create=True)
    yy, xx = np.mgrid[:64, :80].astype(np.float32)
    pixels = np.stack([xx / 79, yy / 63, 0.5 + 0.4 * np.sin(xx / 3)], axis=2)
    win.project.add_image_bytes(encode_png(pixels), name="chart", kind="imported")
    yield win
    win.close()


def make_run(window, schedule: str, group: str, **params) -> None:
    image = window.project.images()[0]
    spec = IterateSpec("generation-loss", 3, Schedule(schedule, seed_policy="fixed"), params)
    (outcome,) = iterate(window.project.path, image.id, spec, group=group)
    assert outcome.status == "done"


def open_run(window, run: str):
    view = window.show_view("runs")
    view.refresh()
    view.show_run(run)
    return view


def compare_records(window, qtbot, view, button: str):
    qtbot.mouseClick(view.compare_buttons[button], LEFT)
    compare = window.view("compare")
    qtbot.waitUntil(lambda: window.current_view() is compare, timeout=10_000)
    return compare.records


def test_the_toggle_compares_steps_turned_back_to_the_original(window, qtbot):
    make_run(window, "mirror", "mir")
    view = open_run(window, "mir-r1")
    steps = {s.index: s for s in view._steps.values()}
    view.filmstrip.select_step(1)
    assert "transform performed: yes" in view.facts.text()
    assert view.aligned_box.isEnabled() and not view.aligned_box.isChecked()

    records = compare_records(window, qtbot, view, "0")  # unchecked: the stored files
    assert [r.id for r in records] == [steps[0].image_id, steps[1].image_id]

    window.show_view("runs")
    qtbot.mouseClick(view.aligned_box, LEFT)  # a real click on the toggle
    assert view.aligned_box.isChecked()
    compare = window.view("compare")
    qtbot.mouseClick(view.compare_buttons["0"], LEFT)
    qtbot.waitUntil(
        lambda: window.current_view() is compare and compare.records[1].kind == "derived",
        timeout=10_000,
    )
    ref, aligned = compare.records
    assert ref.id == steps[0].image_id  # step 0 is upright already
    assert aligned.parent_id == steps[1].image_id and aligned.meta["role"] == "aligned"
    step1 = window.project.load_pixels(steps[1].image_id).pixels
    assert np.array_equal(window.project.load_pixels(aligned).pixels, step1[:, ::-1])

    images_before = len(window.project.images())
    window.show_view("runs")
    view.filmstrip.select_step(2)  # mirrored twice: upright; its previous step is mirrored
    qtbot.mouseClick(view.compare_buttons["previous"], LEFT)
    qtbot.waitUntil(lambda: compare.records[1].id == steps[2].image_id, timeout=10_000)
    assert compare.records[0].id == aligned.id  # the aligned step 1, made once and reused
    assert len(window.project.images()) == images_before


def test_a_run_without_turns_has_no_toggle_and_ignored_transforms_show_as_not_performed(
    window, qtbot
):
    make_run(window, "replicate", "rep")
    view = open_run(window, "rep-r1")
    assert not view.aligned_box.isEnabled()
    view.filmstrip.select_step(2)
    assert "transform performed" not in view.facts.text()
    make_run(window, "rotate", "lazy", follow_prompt=False)
    view.refresh()
    view.show_run("lazy-r1")
    view.filmstrip.select_step(1)
    assert "transform performed: NO" in view.facts.text()
    assert view.aligned_box.isEnabled()
