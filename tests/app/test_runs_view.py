"""The Runs view: a run on the worker, the filmstrip growing live, thoughts, cancel, resume, compare."""

from __future__ import annotations

import numpy as np
import pytest

from app.main_window import MainWindow
from app.settings import Settings
from app.views import VIEWS, ordered_view_names
from core.imageio import encode_png


@pytest.fixture
def window(qtbot, worker, tmp_path):
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.resize(1300, 800)
    win.show()
    assert win.open_project(tmp_path / "project", create=True)
    yy, xx = np.mgrid[:64, :80].astype(np.float32)
    pixels = np.stack([xx / 79, yy / 63, 0.5 + 0.4 * np.sin(xx / 3)], axis=2)
    win.project.add_image_bytes(encode_png(pixels), name="chart", kind="imported")
    win.browser.refresh()
    yield win
    win.close()


def configure(view, steps: int, delay: float = 0.0) -> None:
    view.refresh()
    view.settings_form.editor.setCurrentIndex(view.settings_form.editor.findData("generation-loss"))
    view.settings_form.form.set_value("delay_s", delay)
    view.settings_form.form.set_value("quality", 60)
    view.settings_form.schedule.setCurrentText("mirror")
    view.settings_form.steps.setValue(steps)
    view.settings_form.seed_policy.setCurrentText("per-step")
    view.settings_form.group.setText("live")


def test_registered_as_the_runs_tab_after_compare():
    assert VIEWS.meta("runs")["title"] == "Runs"  # the tab order is the registration order
    names = ordered_view_names()
    assert names.index("compare") < names.index("runs") < names.index("depth")


def test_a_run_grows_the_filmstrip_live_and_steps_open_in_compare(window, qtbot):
    view = window.show_view("runs")
    configure(view, steps=6, delay=0.05)
    counts = []
    view.filmstrip.model().rowsInserted.connect(lambda *_: counts.append(view.filmstrip.count()))
    handle = view.start()
    assert handle is not None and not view.start_button.isEnabled()
    qtbot.waitUntil(lambda: handle.is_finished, timeout=30_000)
    assert handle.state == "done", handle.error
    assert max(counts) >= 3 and counts[-1] == 7, "frames must arrive while the run proceeds"
    # the browser reads the project in a pool thread after the run, then shows it
    qtbot.waitUntil(lambda: window.browser.grid.count() == 1 + 6, timeout=5000)
    assert view.shown_run == "live-r1" and view.filmstrip.steps() == list(range(7))
    qtbot.waitUntil(lambda: not view.filmstrip.loading, timeout=10_000)
    assert all(view.filmstrip.has_picture(i) for i in range(7))
    item = view._tree_item("live-r1")
    assert item.text(1) == "done" and item.text(2) == "6/6"
    view.filmstrip.select_step(3)
    assert "JPEG at quality 60" in view.thoughts.toPlainText()
    assert "Mirror the provided image" in view.facts.text() and "size 80x64" in view.facts.text()
    view.compare_step("0")
    compare = window.current_view()
    assert compare is window.view("compare")
    steps = {s.index: s.image_id for s in view._steps.values()}
    assert [r.id for r in compare.records] == [steps[0], steps[3]]
    view.compare_step("previous")
    assert [r.id for r in compare.records] == [steps[2], steps[3]]


def test_cancel_keeps_finished_steps_and_resume_completes(window, qtbot):
    view = window.show_view("runs")
    configure(view, steps=8, delay=0.15)
    handle = view.start()
    qtbot.waitUntil(lambda: view.filmstrip.count() >= 3, timeout=30_000)
    view.cancel()
    qtbot.waitUntil(lambda: handle.is_finished, timeout=10_000)
    assert handle.state == "cancelled" and "Resume" in view.status.text()
    run = window.project.run("live-r1")
    done = len(window.project.results(run.id)) - 1
    assert run.status == "cancelled" and 2 <= done < 8
    again = view.resume_selected()
    assert again is not None
    qtbot.waitUntil(lambda: again.is_finished, timeout=30_000)
    assert again.state == "done", again.error
    results = window.project.results(run.id)
    assert [r.step_index for r in results] == list(range(9))
    assert window.project.run("live-r1").status == "done"
    assert view._tree_item("live-r1").text(1) == "done"


def test_an_iterative_run_picked_in_the_browser_opens_in_the_runs_view(window, qtbot):
    from core.iterate.runner import IterateSpec, iterate

    image = window.project.images()[0]
    iterate(window.project.path, image.id, IterateSpec("generation-loss", 3), group="b")
    window.browser.filter.setCurrentText("Runs")
    window.browser.grid.select_key(f"run:{window.project.run('b-r1').id}")
    view = window.current_view()
    assert view is window.view("runs") and view.shown_run == "b-r1"
    assert view.filmstrip.steps() == [0, 1, 2, 3] and view.filmstrip.current_step() == 3


def test_opening_another_project_mid_run_ignores_the_old_runs_steps(window, qtbot, tmp_path):
    view = window.show_view("runs")
    configure(view, steps=6, delay=0.1)
    handle = view.start()
    qtbot.waitUntil(lambda: view.filmstrip.count() >= 2, timeout=30_000)
    assert window.open_project(tmp_path / "other", create=True)
    assert view.filmstrip.count() == 0
    qtbot.waitUntil(lambda: handle.is_finished, timeout=30_000)
    assert handle.state == "done" and view.filmstrip.count() == 0
    assert view.tree.topLevelItemCount() == 0  # the new project has no runs


def test_a_failed_step_shows_as_a_red_tile_with_its_error(window, monkeypatch):
    from core.iterate.runner import IterateSpec, iterate
    from core.methods.registry import METHODS
    from tests.core.iterate.test_runner import _upscaler

    if "test-upscale-2x" not in METHODS:
        METHODS.register("test-upscale-2x", _upscaler())
    monkeypatch.setenv("IRIS_MAX_PIXELS", str(200 * 200))
    image = window.project.images()[0]
    iterate(window.project.path, image.id, IterateSpec("test-upscale-2x", 4), group="up")
    view = window.show_view("runs")
    view.refresh()
    view.show_run("up-r1")
    assert view.filmstrip.steps() == [0, 1, 2]
    assert view.filmstrip.item(2).text() == "step 2 failed"
    assert "failed" in view.run_title.text() and "too-large" in view.run_title.text()
    assert "error: too-large: the output is 320x256" in view.facts.text()
    assert not view.compare_buttons["0"].isEnabled()
    view.filmstrip.select_step(1)
    assert "size 160x128" in view.facts.text() and view.compare_buttons["0"].isEnabled()


def test_the_view_opens_on_the_latest_run(qtbot, worker, tmp_path):
    from app.main_window import MainWindow
    from app.settings import Settings
    from tests.core.metrics.make_runs import build_iterative_project

    build_iterative_project(tmp_path / "p", runs=2, steps=3, size=16).close()
    window = MainWindow(Settings(), worker)
    qtbot.addWidget(window)
    window.show()
    assert window.open_project(tmp_path / "p")
    view = window.show_view("runs")
    latest = [r for r in window.project.runs() if r.kind == "iterate"][-1]
    assert view.shown_run == latest.name
    qtbot.waitUntil(lambda: view.filmstrip.count() == 4, timeout=10_000)  # steps 0-3
    window.close()


def test_fields_the_editor_ignores_are_disabled(qtbot):
    from PySide6.QtCore import Qt

    from app.runs_settings import RunSettings

    form = RunSettings()
    qtbot.addWidget(form)
    form.show()
    assert not form.temperature.isEnabled() and not form.image_size.isEnabled()
    assert "generation-loss has no temperature" in form.temperature.toolTip()
    form.editor.setFocus()
    qtbot.keyClicks(form.editor, "gemini")  # typing picks the editor in the combo
    if form.editor.currentData() != "gemini":
        form.editor.setCurrentIndex(form.editor.findData("gemini"))
    qtbot.keyClick(form.editor, Qt.Key.Key_Return)
    assert form.temperature.isEnabled() and form.image_size.isEnabled()
    assert form.temperature.toolTip() == ""
