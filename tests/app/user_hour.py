"""A new user's first hour in the real window, played with real mouse and key events.

Run by ``tests/app/test_user_hour.py`` in a subprocess under Xvfb (real GL, so the
Depth and 3D view builds its OpenGL surface before torch loads on the worker):
``python -m tests.app.user_hour PROJECT_DIR``. Every step prints ``STEP name`` when
it held; any failed check raises, so the process exits non-zero.

The steps: select two images and compare; zoom with the wheel and pan by dragging;
switch modes from the tool bar and keep using the keys; restore exactly the
selected image; start, cancel and resume an iterative run; visit Depth and 3D,
then score the new run and see it in Metrics without a restart (the first torch
import after a GL surface: the crash of the issue "Trust the inputs"); annotate; resize to 1366x768 and 1920x1080 with no tool bar action hidden; quit
and reopen.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from app.gui import application, prepare_qt_environment

prepare_qt_environment(headless_ok=False)
app = application()  # as `iris gui` starts: triton kept out before any GL surface

from PySide6.QtCore import QEventLoop, QPoint, QPointF, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QWheelEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QApplication, QToolBar, QToolButton  # noqa: E402

from app.main_window import MainWindow  # noqa: E402
from app.settings import Settings  # noqa: E402
from app.worker import ComputeWorker  # noqa: E402

CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton


def pump(until=lambda: False, timeout_s: float = 0.2) -> bool:
    loop, waited = QEventLoop(), 0.0
    while not until() and waited < timeout_s:
        QTimer.singleShot(20, loop.quit)
        loop.exec()
        waited += 0.02
    return until()


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(what)


def step(name: str) -> None:
    print(f"STEP {name}", flush=True)


def build_project(folder: Path) -> None:
    from core.depth.codecs import make_codec
    from core.iterate.runner import IterateSpec, iterate
    from core.project import Project

    rng = np.random.default_rng(11)
    with Project.create(folder, name="first hour") as project:
        for name, shape in (("street", (96, 128)), ("portrait", (128, 80)), ("leaves", (96, 96))):
            pixels = rng.random((*shape, 3)).astype(np.float32) * 0.6 + 0.2
            project.add_image_array(pixels, name=name, kind="imported")
        depth = np.full((48, 64), 2.0)
        depth[:, 32:] = 8.0
        colours = make_codec("vision-banana").encode(depth).astype(np.float32) / 255.0
        project.add_image_array(colours, name="room_1", kind="imported")
        project.add_image_array(np.full((48, 64, 3), 0.5, np.float32), name="room_0",
                                kind="imported")  # fmt: skip
        street = project.images()[0]
    iterate(folder, street.id, IterateSpec("generation-loss", 3), group="warmup")


def thumbnail_point(window, name: str) -> QPoint:
    grid = window.browser.grid
    pump(lambda: grid.count() > 0 and not window.browser.refresh_pending, 5)  # as shown
    for i in range(grid.count()):
        item = grid.item(i)
        if item.toolTip().splitlines()[0] == name or item.text().replace("\u200b", "") == name:
            grid.scrollToItem(item)
            pump()
            return grid.visualItemRect(item).center()
    raise AssertionError(f"no thumbnail named {name!r}")


def click_thumbnail(window, name: str, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.mouseClick(window.browser.grid.viewport(), LEFT, modifier, thumbnail_point(window, name))
    pump()


def key(widget, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key press as a user makes it: to whatever has the keyboard focus in ``widget``'s window."""
    top = widget.window()
    if not top.isActiveWindow():  # a dialog or a GL surface took activation; click back
        top.activateWindow()
        QTest.qWaitForWindowActive(top)
    target = QApplication.focusWidget() or widget
    QTest.keyClick(target, k, modifier)
    pump()


def wheel(widget, at: QPoint, steps: int) -> None:
    event = QWheelEvent(
        QPointF(at), QPointF(widget.mapToGlobal(at)), QPoint(0, 0), QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
        False,
    )  # fmt: skip
    QApplication.sendEvent(widget, event)
    pump()


def hidden_toolbar_actions(window) -> list[str]:
    """Tool bars whose extension chevron shows: some of their actions are hidden."""
    hidden = []
    for toolbar in window.findChildren(QToolBar):
        if not toolbar.isVisible():
            continue
        for button in toolbar.findChildren(QToolButton):
            if button.objectName() == "qt_toolbar_ext_button" and button.isVisible():
                hidden.append(toolbar.windowTitle() or toolbar.objectName() or "toolbar")
    return hidden


def main(folder: Path) -> None:
    build_project(folder)
    settings = Settings()
    settings.device = "cpu"
    worker = ComputeWorker()
    window = MainWindow(settings, worker)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window)  # shortcuts reach only the active window
    expect(window.open_project(folder), window.last_error)
    pump(lambda: window.browser.grid.count() >= 5, 10)
    step("opened")
    try:
        session(window, folder, settings, worker)
    finally:
        worker.shutdown()


def session(window, folder: Path, settings, worker) -> None:

    # -- compare two images, zoom, pan, modes, shortcuts ----------------------------------
    click_thumbnail(window, "street")
    click_thumbnail(window, "portrait", CTRL)
    expect([r.name for r in window.context.selection()] == ["street", "portrait"],
           f"selection {[r.name for r in window.context.selection()]}")  # fmt: skip
    key(window, Qt.Key.Key_2, CTRL)
    compare = window.current_view()
    expect(compare is window.views["compare"], "Ctrl+2 did not show Compare")
    pump(lambda: len(compare.records) == 2 and not window.is_busy(), 10)
    expect([r.name for r in compare.records] == ["street", "portrait"], "not the selection")
    widget = compare.compare
    canvas = widget.canvases[0]
    before = widget.camera.zoom
    wheel(canvas, canvas.rect().center(), 3)
    expect(widget.camera.zoom > before, "the wheel did not zoom")
    centre = (widget.camera.center_u, widget.camera.center_v)
    start = canvas.rect().center()
    QTest.mousePress(canvas, LEFT, Qt.KeyboardModifier.NoModifier, start)
    for dx in range(0, 60, 10):
        QTest.mouseMove(canvas, start + QPoint(dx, dx // 2))
    QTest.mouseRelease(canvas, LEFT, Qt.KeyboardModifier.NoModifier, start + QPoint(60, 30))
    pump()
    expect((widget.camera.center_u, widget.camera.center_v) != centre, "the drag did not pan")
    step("compare-zoom-pan")
    for k, mode in ((Qt.Key.Key_D, "difference"), (Qt.Key.Key_G, "side"),
                    (Qt.Key.Key_S, "swipe"), (Qt.Key.Key_G, "side")):  # fmt: skip
        key(window.focusWidget() or widget, k)
        expect(widget.state.mode == mode, f"key {k} gave {widget.state.mode}, not {mode}")
    for toolbar in compare.findChildren(QToolBar):  # use the tool bar, then the keys again
        for button in toolbar.findChildren(QToolButton):
            if button.isVisible() and button.text().lower().startswith("diff"):
                QTest.mouseClick(button, LEFT)
                pump()
    expect(widget.state.mode == "difference", "the tool bar's Difference did nothing")
    key(window.focusWidget() or widget, Qt.Key.Key_G)
    expect(widget.state.mode == "side", "G died after the tool bar was used")
    step("compare-modes-and-keys")

    # -- restore exactly the selected image ----------------------------------------------
    click_thumbnail(window, "leaves")
    key(window, Qt.Key.Key_R, CTRL)
    panel = window.restore_dock.widget()
    expect(panel.images_label.text().startswith("Runs on 1 selected: leaves"),
           panel.images_label.text())  # fmt: skip
    panel.select_method("gamma")
    QTest.mouseClick(panel.run_button, LEFT)
    expect(pump(lambda: panel.handle is not None and panel.handle.is_finished, 60), "restore")
    restored = window.project.images(kind="restored")
    expect(len(restored) == 1 and window.project.image(restored[0].parent_id).name == "leaves",
           "the restore did not run on exactly the selected image")  # fmt: skip
    expect([r.name for r in window.context.selection()] == ["leaves"], "selection lost")
    close = window.restore_dock.findChild(QAbstractButton, "qt_dockwidget_closebutton")
    QTest.mouseClick(close, LEFT)  # done restoring: the dock goes, the views get the room
    pump()
    expect(not window.restore_dock.isVisible(), "the Restore dock did not close")
    step("restore-selected")

    # -- start, cancel and resume an iterative run ---------------------------------------
    key(window, Qt.Key.Key_3, CTRL)
    runs = window.views["runs"]
    form = runs.settings_form
    form.steps.setValue(12)
    form.group.setText("hour")
    runs_form_delay = form.form.editors.get("delay_s") if hasattr(form, "form") else None
    if runs_form_delay is not None:
        runs_form_delay.setValue(0.3)
    QTest.mouseClick(runs.start_button, LEFT)
    expect(pump(lambda: runs.filmstrip.count() >= 3, 60), "no steps arrived live")
    QTest.mouseClick(runs.cancel_button, LEFT)
    expect(pump(lambda: runs.handle.is_finished, 30), "cancel did not stop the run")
    expect(runs.handle.state == "cancelled", runs.handle.state)
    QTest.mouseClick(runs.resume_button, LEFT)
    expect(pump(lambda: runs.handle.is_finished, 120), "resume did not finish")
    expect(runs.handle.state == "done", f"resume ended {runs.handle.state}")
    run = window.project.run("hour-r1")
    expect(run.status == "done", run.status)
    step("run-cancel-resume")

    # -- Depth and 3D first (a GL surface exists), then the first torch import: scoring ----
    click_thumbnail(window, "room_1")
    key(window, Qt.Key.Key_5, CTRL)
    depth = window.views["depth"]
    expect(pump(lambda: depth.scene is not None and not depth.loading, 30), "no depth scene")
    expect(depth.cloud_view.has_gl, "no OpenGL view: " + depth.cloud_view.note.text())
    pump(timeout_s=0.3)
    step("depth-view")

    # -- score: the new run is in Metrics without a restart ---------------------------------
    key(window, Qt.Key.Key_4, CTRL)
    metrics = window.views["plots"]
    names = [metrics.runs.item(i).data(Qt.ItemDataRole.UserRole)
             for i in range(metrics.runs.count())]  # fmt: skip
    expect("hour-r1" in names, f"the new run is missing from Metrics: {names}")
    metrics.runs.clearSelection()
    metrics.runs.item(names.index("hour-r1")).setSelected(True)
    metrics.metric_edit.setText("entropy")
    QTest.mouseClick(metrics.score_button, LEFT)
    expect(pump(lambda: metrics.scoring.handle is None and metrics.series, 120), "scoring")
    expect(any(c.values for c in metrics.plot.curves), "no curve drawn")
    step("score-new-run-after-depth")

    # -- annotate: a rectangle labelled with a key ------------------------------------------
    key(window, Qt.Key.Key_6, CTRL)
    annotate = window.views["annotate"]
    pump(lambda: annotate.current is not None, 10)
    annotate.canvas.setFocus()
    key(annotate.canvas, Qt.Key.Key_R)
    rect = annotate.canvas.rect()
    a, b = rect.center() - QPoint(40, 30), rect.center() + QPoint(40, 30)
    QTest.mousePress(annotate.canvas, LEFT, Qt.KeyboardModifier.NoModifier, a)
    QTest.mouseMove(annotate.canvas, (a + b) / 2)
    QTest.mouseMove(annotate.canvas, b)
    QTest.mouseRelease(annotate.canvas, LEFT, Qt.KeyboardModifier.NoModifier, b)
    pump()
    key(annotate.canvas, Qt.Key.Key_1)
    from core.annotations.store import annotations

    expect(len(annotations(window.project)) == 1, "the flag was not stored")
    step("annotate")

    # -- screens: nothing hidden at 1366x768 or 1920x1080 -------------------------------------
    for width, height in ((1366, 768), (1920, 1080)):
        window.resize(width, height)
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            pump(timeout_s=0.2)
            hidden = hidden_toolbar_actions(window)
            expect(not hidden, f"{width}x{height} {window.tabs.tabText(index)}: {hidden}")
    step("screens")

    # -- quit and reopen --------------------------------------------------------------------
    window.close()
    pump(timeout_s=0.2)
    window = MainWindow(settings, worker)
    window.resize(1366, 768)
    window.show()
    expect(window.open_project(folder), window.last_error)
    expect(len(window.project.images(kind="restored")) == 1, "the restored image is gone")
    expect(window.project.run("hour-r1").status == "done", "the run is gone")
    window.close()
    step("reopen")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
