"""The Restore panel: a form from the method's specs, a run on the worker, results shown."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from app.main_window import MainWindow
from app.settings import Settings
from app.tools import TOOLS
from core.imageio import encode_png
from widgets.qimage import qimage_to_rgb


@pytest.fixture
def window(qtbot, worker, tmp_path):
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    assert win.open_project(tmp_path / "project", create=True)
    dark = np.full((64, 64, 3), 0.1, np.float32)
    dark[16:48, 16:48] = 0.3
    win.project.add_image_bytes(encode_png(dark), name="dark", kind="imported")
    win.browser.refresh()
    yield win
    win.close()


def click_thumbnail(qtbot, window, name: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """Select an image as a user does: a click on its thumbnail in the project browser."""
    grid = window.browser.grid
    qtbot.waitUntil(lambda: grid.count() > 0, timeout=5000)
    (item,) = [grid.item(i) for i in range(grid.count()) if grid.item(i).text() == name]
    rect = grid.visualItemRect(item)
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def centre_brightness(widget) -> float:
    pixels = qimage_to_rgb(widget.grab().toImage())
    h, w = pixels.shape[:2]
    return float(pixels[h // 2 - 3 : h // 2 + 3, w // 2 - 3 : w // 2 + 3].mean())


def test_form_follows_the_method_specs(window):
    panel = TOOLS.get("restore")(window).widget()
    panel.select_method("deconvolve")
    assert set(panel.form.editors) == {
        "algorithm", "psf", "sigma", "length", "angle", "iterations", "balance",
    }  # fmt: skip
    assert panel.form.editors["iterations"].maximum() == 500
    assert not panel.prompt_row.isVisibleTo(panel)
    panel.select_method("gemini")
    assert panel.prompt_row.isVisibleTo(panel) and not panel.model_files.isVisibleTo(panel)
    index = panel.prompt_library.findData("SF2")
    panel.prompt_library.setCurrentIndex(index)
    panel._on_prompt_chosen(index)
    assert panel.form.values()["prompt"] == "SF2"
    panel.form.set_value("prompt", "Remove the scratches only.")
    saved = panel.save_current_prompt()
    assert saved.id == "U1" and panel.form.values()["prompt"] == "U1"
    assert panel.prompt_library.findData("U1") >= 0


def test_run_stores_results_and_shows_the_output(window, qtbot):
    click_thumbnail(qtbot, window, "dark")
    panel = TOOLS.get("restore")(window).widget()
    panel.select_method("gamma")
    panel.form.set_value("gamma", 3.0)
    panel.repeat.setValue(2)
    window.show_view("images")
    view = window.views["images"]
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=5000)
    qtbot.waitUntil(lambda: view.current is not None, timeout=5000)
    before = centre_brightness(view.canvas)
    assert abs(before - 0.3 * 255) < 8, before
    handle = panel.run()
    assert handle is not None
    with qtbot.waitSignal(handle.finished, timeout=20000):
        pass
    assert handle.state == "done", handle.error
    restored = window.project.images(kind="restored")
    assert len(restored) == 2 and all(r.meta["params"]["gamma"] == 3.0 for r in restored)
    assert "2 result(s) stored" in panel.status.text()
    assert panel.run_button.isEnabled() and not panel.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not window.is_busy(), timeout=5000)
    qtbot.wait(50)
    shown = window.current_view()
    if shown is view:  # no compare view in this build: the output alone
        assert view.current.id == restored[0].id
        expected = 255 * 0.3 ** (1 / 3)
        assert abs(centre_brightness(view.canvas) - expected) < 8, "the output is not on screen"
    else:
        assert shown is window.views["compare"]


def test_cancel_stops_a_long_run(window, qtbot):
    click_thumbnail(qtbot, window, "dark")
    panel = TOOLS.get("restore")(window).widget()
    panel.select_method("deconvolve")
    panel.form.set_value("iterations", 500)
    panel.repeat.setValue(20)
    handle = panel.run()
    qtbot.waitUntil(lambda: handle.state == "running", timeout=5000)
    assert panel.cancel_button.isEnabled()
    panel.cancel_button.click()
    with qtbot.waitSignal(handle.finished, timeout=10000):
        pass
    assert handle.state == "cancelled"
    assert "Cancelled" in panel.status.text()
    (run,) = window.project.runs()
    assert run.status == "cancelled"


def test_invalid_input_is_reported_in_the_panel(window, monkeypatch, qtbot):
    monkeypatch.delenv("GEMINI_API_KEY", raising=False)
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
    click_thumbnail(qtbot, window, "dark")
    panel = TOOLS.get("restore")(window).widget()
    panel.select_method("gemini")
    assert panel.run() is None
    assert "no Gemini API key" in panel.status.text()


def test_run_acts_on_exactly_the_selection_and_keeps_it(window, qtbot):
    other = np.full((64, 64, 3), 0.6, np.float32)
    window.project.add_image_bytes(encode_png(other), name="bright", kind="imported")
    window.browser.refresh()
    panel = TOOLS.get("restore")(window).widget()
    grid = window.browser.grid
    empty = grid.viewport().rect().bottomRight() - QPoint(5, 5)
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=empty)  # clears it
    assert window.context.selection() == []
    assert not panel.run_button.isEnabled()  # nothing selected: nothing to run on
    assert "No image selected" in panel.images_label.text()
    click_thumbnail(qtbot, window, "bright")
    assert panel.images_label.text().startswith("Runs on 1 selected: bright")
    panel.select_method("gamma")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    handle = panel.handle
    with qtbot.waitSignal(handle.finished, timeout=20000):
        pass
    (restored,) = window.project.images(kind="restored")
    assert window.project.image(restored.parent_id).name == "bright"  # exactly the selection
    assert [r.name for r in window.context.selection()] == ["bright"]  # and it is kept
    assert panel.images_label.text().startswith("Runs on 1 selected: bright")
    assert panel.run_button.isEnabled()


def test_the_panel_opens_on_the_current_selection(window, qtbot):
    click_thumbnail(qtbot, window, "dark")
    panel = TOOLS.get("restore")(window).widget()
    assert panel.images_label.text().startswith("Runs on 1 selected: dark")
    assert panel.run_button.isEnabled()
