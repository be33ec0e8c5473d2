"""The Compare view driven like a user: tool bar clicks, keys, the picker, undo, 1366x768.

Keys go where a user's keys go: to the widget that has the focus (the shortcut
map decides what acts), with events processed in between so widgets deleted by
a rebuild are really gone.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QToolButton

from core.project import Project
from widgets.qimage import qimage_to_rgb


def _rgb(h, w, seed):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8) / 255.0


@pytest.fixture
def run_project(tmp_path):
    """An input, its degraded version, two runs of 12 steps on it, and an unrelated image."""
    path = tmp_path / "proj"
    with Project.create(path, name="keys") as project:
        clean = project.add_image_array(_rgb(40, 50, 1), name="face", kind="imported")
        project.add_image_array(
            _rgb(40, 50, 2), name="face noisy", kind="degraded", parent_id=clean.id
        )
        method = project.ensure_method("mirror", "editor")
        for run_name in ("chain-a", "chain-b"):
            run = project.create_run(run_name, "iterate")
            parent = clean.id
            for step in range(1, 13):
                parent = project.add_image_array(
                    _rgb(40, 50, 100 + step),
                    name=f"{run_name} step {step}",
                    kind="step",
                    run_id=run.id,
                    step_index=step,
                    parent_id=parent,
                    method_id=method,
                ).id
        project.add_image_array(_rgb(30, 30, 9), name="other", kind="imported")
    return path


@pytest.fixture
def window(qtbot, worker, run_project):
    from app.main_window import MainWindow
    from app.settings import Settings

    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    assert win.open_project(run_project)
    yield win
    win.close()


def _by_name(window, name):
    return next(r for r in window.project.images() if r.name == name)


def _wait_loaded(qtbot, view):
    qtbot.waitUntil(
        lambda: (
            not view.loading
            and all(view.compare.image(i) is not None for i in range(view.compare.count))
        ),
        timeout=10_000,
    )


def _compare(qtbot, window, names):
    view = window.show_view("compare")
    view.show_images([_by_name(window, n) for n in names])
    _wait_loaded(qtbot, view)
    qtbot.wait(20)
    return view


def _key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    focus = QApplication.focusWidget()
    assert focus is not None, f"no keyboard focus (active: {QApplication.activeWindow()})"
    qtbot.keyClick(focus, key, modifier)
    qtbot.wait(10)


def _click_action(qtbot, bar, action):
    qtbot.mouseClick(bar.widgetForAction(action), Qt.MouseButton.LeftButton)
    qtbot.wait(10)


def _choose(qtbot, combo: QComboBox, text: str):
    """Open ``combo`` with a click and pick ``text`` with the keyboard, as a user does."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    popup = combo.view()
    qtbot.waitUntil(popup.isVisible)
    target = combo.findText(text)
    for _ in range(combo.count()):
        if popup.currentIndex().row() == target:
            break
        step = Qt.Key.Key_Down if popup.currentIndex().row() < target else Qt.Key.Key_Up
        qtbot.keyClick(popup, step)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    qtbot.wait(10)
    _reactivate(qtbot, combo.window())
    assert combo.currentText() == text


def _reactivate(qtbot, window):
    """Do what a window manager does when a popup or dialog closes.

    The offscreen platform leaves no window (or the closed popup) active a moment later.
    """
    qtbot.wait(30)
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def test_mode_keys_work_after_tool_bar_clicks_and_controls(qtbot, window):
    view = _compare(qtbot, window, ["face", "face noisy", "chain-a step 3"])
    compare, controls = view.compare, view.controls
    qtbot.mouseClick(compare.canvases[0], Qt.MouseButton.LeftButton)
    row = controls.view_row
    for _round in range(3):
        _click_action(qtbot, row, controls.mode_actions["difference"])
        assert compare.state.mode == "difference"
        _key(qtbot, Qt.Key.Key_S)
        assert compare.state.mode == "swipe"
        _click_action(qtbot, row, controls.mode_actions["side"])
        assert compare.state.mode == "side"
        _key(qtbot, Qt.Key.Key_D)
        assert compare.state.mode == "difference"
        _choose(qtbot, controls.diff_mode, controls.diff_mode.itemText(3))  # signed
        assert compare.state.diff_mode == "signed"
        _key(qtbot, Qt.Key.Key_G)
        assert compare.state.mode == "side"
        _choose(qtbot, controls.layout_box, "One column")
        assert compare.state.layout == "columns"
        _key(qtbot, Qt.Key.Key_C)
        assert compare.crop_tool
        _key(qtbot, Qt.Key.Key_C)
        assert not compare.crop_tool
        # A number field keeps digits but lets letters through to the view.
        qtbot.mouseClick(controls.exposure, Qt.MouseButton.LeftButton)
        assert controls.exposure.hasFocus()
        controls.exposure.selectAll()
        qtbot.keyClicks(controls.exposure, "1.5")
        qtbot.keyClick(controls.exposure, Qt.Key.Key_Return)
        assert compare.state.exposure == pytest.approx(1.5)
        compare.set_view(6.0)
        _key(qtbot, Qt.Key.Key_F)
        assert compare._auto_fit
        _key(qtbot, Qt.Key.Key_D)
        assert compare.state.mode == "difference"
        qtbot.mouseClick(controls.values, Qt.MouseButton.LeftButton)  # Pixel values
        _key(qtbot, Qt.Key.Key_G)
        assert compare.state.mode == "side"
        qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)  # the picker, then Escape
        qtbot.waitUntil(lambda: view.picker is not None and view.picker.isVisible())
        qtbot.keyClick(view.picker.filter, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: view.picker is None)
        _reactivate(qtbot, window)
        _key(qtbot, Qt.Key.Key_S)
        assert compare.state.mode == "swipe"
        _key(qtbot, Qt.Key.Key_G)
        _choose(qtbot, controls.layout_box, "Auto grid")
        controls.exposure.setValue(0.0)


def test_one_is_one_to_one_and_alt_digits_select_views(qtbot, window):
    view = _compare(qtbot, window, ["face", "face noisy"])
    qtbot.mouseClick(view.compare.canvases[0], Qt.MouseButton.LeftButton)
    _key(qtbot, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert view.compare.active == 1
    _key(qtbot, Qt.Key.Key_1)
    assert view.compare.camera.zoom == pytest.approx(1.0)
    _key(qtbot, Qt.Key.Key_F)
    assert view.compare.camera.zoom > 1.0


def test_turning_to_the_view_gives_it_the_keyboard(qtbot, window):
    view = _compare(qtbot, window, ["face", "face noisy"])
    window.show_view("images")
    qtbot.wait(20)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # View > Compare
    qtbot.waitUntil(view.isVisible)
    qtbot.waitUntil(lambda: view.compare.hasFocus())
    _key(qtbot, Qt.Key.Key_D)
    assert view.compare.state.mode == "difference"


def _hidden_controls(window, view) -> list[str]:
    """Every tool bar action of the view that is not fully on screen."""
    problems = []
    window_rect = QRect(QPoint(0, 0), window.size())
    for bar in view.controls.rows:
        extension = bar.findChild(QToolButton, "qt_toolbar_ext_button")
        if extension is not None and extension.isVisible():
            problems.append(f"{bar.windowTitle()}: extension chevron shown")
        bar_rect = QRect(bar.mapTo(window, QPoint(0, 0)), bar.size())
        if not window_rect.contains(bar_rect):
            problems.append(f"{bar.windowTitle()} outside the window")
        for action in bar.actions():
            if not action.isVisible() or action.isSeparator():
                continue
            widget = bar.widgetForAction(action)
            name = action.iconText() or action.text() or type(widget).__name__
            if widget is None or not widget.isVisible():
                problems.append(f"{name} hidden")
            elif not bar.rect().contains(widget.geometry()):
                problems.append(f"{name} outside its tool bar")
    return problems


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
def test_every_control_is_on_screen(qtbot, window, size):
    window.resize(*size)
    view = _compare(qtbot, window, ["chain-a step 12", "chain-b step 12", "face"])
    for mode in ("side", "difference", "swipe", "side"):
        _click_action(qtbot, view.controls.view_row, view.controls.mode_actions[mode])
        assert view.compare.state.mode == mode
        QApplication.processEvents()
        assert _hidden_controls(window, view) == [], (size, mode)
    # The views get most of the window.
    assert view.compare.grid_host.height() > 0.7 * (size[1] - 160)


def test_picker_filters_by_run_step_and_method_and_adds_by_keys(qtbot, window):
    view = _compare(qtbot, window, ["face", "face noisy"])
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.picker is not None and view.picker.isVisible())
    picker = view.picker
    assert picker.proxy.rowCount() == 27  # every image of the project
    qtbot.keyClicks(picker.filter, "chain-b 3")
    assert picker.visible_labels() == ["step 3 of chain-b: chain-b step 3 [mirror]"]  # not 13
    qtbot.keyClick(picker.filter, Qt.Key.Key_Backspace)
    qtbot.keyClicks(picker.filter, "1")  # a whole number: step 1, not 10, 11 or 12
    assert picker.visible_labels() == [
        "step 1 of chain-b: chain-b step 1 [mirror]",
    ]
    picker.filter.clear()
    qtbot.keyClicks(picker.filter, "mirror 12")
    assert len(picker.visible_labels()) == 2
    qtbot.keyClick(picker.filter, Qt.Key.Key_Down)  # the second match: chain-b's step 12
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.picker is None)
    _wait_loaded(qtbot, view)
    assert [r.name for r in view.records] == ["face", "face noisy", "chain-b step 12"]
    _reactivate(qtbot, window)
    assert view.compare.hasFocus()  # back to the views: their keys work at once
    _key(qtbot, Qt.Key.Key_D)
    assert view.compare.state.mode == "difference"


def test_remove_is_undone_by_ctrl_z_and_redone(qtbot, window):
    view = _compare(qtbot, window, ["face", "face noisy", "chain-a step 2"])
    compare = view.compare
    compare.set_reference(1)
    compare.nudge(3, -2, slot=1)
    qtbot.mouseClick(compare.canvases[1], Qt.MouseButton.LeftButton)
    assert compare.active == 1
    _key(qtbot, Qt.Key.Key_Delete)
    _wait_loaded(qtbot, view)
    assert [r.name for r in view.records] == ["face", "chain-a step 2"]
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    assert view.undo_action.isEnabled()
    _key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _wait_loaded(qtbot, view)
    assert [r.name for r in view.records] == ["face", "face noisy", "chain-a step 2"]
    assert compare.state.reference == 1 and compare.state.offset(1) == (3.0, -2.0)
    assert compare.active == 1
    _key(
        qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    _wait_loaded(qtbot, view)
    assert [r.name for r in view.records] == ["face", "chain-a step 2"]
    _key(qtbot, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    _wait_loaded(qtbot, view)
    assert len(view.records) == 3
    # The tool bar's Undo button does the same after a remove by its button.
    _click_action(qtbot, view.figure_bar, view.remove_action)
    _wait_loaded(qtbot, view)
    assert len(view.records) == 2
    _click_action(qtbot, view.figure_bar, view.undo_action)
    _wait_loaded(qtbot, view)
    assert len(view.records) == 3


def test_a_related_selection_keeps_the_view_an_unrelated_one_resets_it(qtbot, window):
    view = _compare(qtbot, window, ["face", "chain-a step 4"])
    compare = view.compare
    compare.set_view(4.0, (0.3, 0.4))
    compare.set_crop([5, 6, 10, 8])
    # Same source, same frame size (another step of a run on the same input): kept.
    view.show_images([_by_name(window, "face"), _by_name(window, "chain-b step 9")])
    _wait_loaded(qtbot, view)
    assert compare.state.crop == [5, 6, 10, 8]
    assert compare.camera.zoom == pytest.approx(4.0)
    # Another image altogether: fitted, no crop.
    view.show_images([_by_name(window, "other"), _by_name(window, "face")])
    _wait_loaded(qtbot, view)
    assert compare.state.crop is None
    assert compare._auto_fit
    assert compare.camera.zoom != pytest.approx(4.0)


def test_the_empty_view_says_what_to_do(qtbot, window, tmp_path):
    assert window.open_project(tmp_path / "empty", create=True)
    view = window.show_view("compare")
    qtbot.wait(20)
    assert view.compare.count == 0
    assert "Ctrl+click" in view.compare.empty_text and "Add image" in view.compare.empty_text
    canvas = view.compare.canvases[0]
    pixels = qimage_to_rgb(canvas.grab().toImage())
    assert (pixels.max(axis=2) > 150).sum() > 200  # the text is drawn (light on dark)
