"""The GUI's error dialog: a job's bug shows one line with the log path, never a traceback.

``app.excepthook`` routes what no slot caught (in the GUI thread or another) to
the same dialog. QMessageBox is replaced by a recorder so that nothing blocks.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

import app.main_window as main_window
from app import excepthook
from app.main_window import MainWindow
from app.settings import Settings
from core.errors import IrisError
from core.paths import log_file

KEY_SHAPED = "AIza" + "Sy" + "W" * 33  # shaped like a Google key, belongs to nobody


class RecordedBox:
    Icon, StandardButton = QMessageBox.Icon, QMessageBox.StandardButton
    shown: list[RecordedBox] = []

    def __init__(self, icon, title, text, buttons, parent) -> None:
        self.title, self.text, self.details = title, text, None

    def setDetailedText(self, text):  # noqa: N802
        self.details = text

    def setAttribute(self, *args):  # noqa: N802
        pass

    def open(self):
        RecordedBox.shown.append(self)


@pytest.fixture
def window(qtbot, worker, monkeypatch):
    RecordedBox.shown = []
    monkeypatch.setattr(main_window, "QMessageBox", RecordedBox)
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    yield win
    win.close()


def buggy_job(*, progress, cancel):
    raise RuntimeError(f"tile index out of range near {KEY_SHAPED}")


def refused_job(*, progress, cancel):
    raise IrisError(f"the model file is damaged ({KEY_SHAPED})")


def test_a_job_raising_unexpectedly_shows_one_line_with_the_log_path(qtbot, window):
    handle = window.worker.submit(buggy_job, name="restore")
    qtbot.waitUntil(lambda: bool(RecordedBox.shown), timeout=5000)
    (box,) = RecordedBox.shown
    assert box.title == "restore failed"
    assert box.text == (
        "unexpected error: RuntimeError: tile index out of range near [redacted] "
        f"(details in {log_file()})"
    )
    assert box.details is None and "Traceback" not in box.text
    assert handle.log_path == str(log_file())
    logged = log_file().read_text()
    assert "Traceback" in logged and "buggy_job" in logged and KEY_SHAPED not in logged
    assert KEY_SHAPED not in handle.traceback


def test_an_iris_error_in_a_job_is_shown_without_a_log(qtbot, window):
    window.worker.submit(refused_job, name="load model")
    qtbot.waitUntil(lambda: bool(RecordedBox.shown), timeout=5000)
    (box,) = RecordedBox.shown
    assert box.text == "the model file is damaged ([redacted])"  # its own words, no type name
    assert not log_file().exists()


def test_report_error_redacts_everything_it_shows(window):
    window.report_error(f"title {KEY_SHAPED}", f"text {KEY_SHAPED}", f"details {KEY_SHAPED}")
    (box,) = RecordedBox.shown
    assert KEY_SHAPED not in box.title + box.text + box.details
    assert KEY_SHAPED not in window.last_error


@pytest.fixture
def hook(qapp):
    reports: list[tuple[str, str]] = []
    undo = excepthook.install(lambda title, text: reports.append((title, text)))
    yield reports
    undo()


def raise_and_catch(error: BaseException):
    try:
        raise error
    except BaseException as exc:
        return type(exc), exc, exc.__traceback__


def test_an_uncaught_exception_is_logged_and_reported_in_one_line(hook):
    sys.excepthook(*raise_and_catch(ValueError("bad slot")))
    ((title, text),) = hook
    assert title == "Unexpected error"
    assert text == f"unexpected error: ValueError: bad slot (details in {log_file()})"
    assert "raise_and_catch" in log_file().read_text()


def test_an_exception_in_a_slot_reaches_the_dialog_not_the_console(qtbot, hook, capfd):
    def slot():
        raise ZeroDivisionError("in a timer slot")

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: bool(hook), timeout=3000)
    assert "ZeroDivisionError: in a timer slot (details in" in hook[0][1]
    assert "Traceback" not in capfd.readouterr().err


def test_an_exception_in_another_thread_is_shown_in_the_gui_thread(qtbot, qapp):
    shown: list[tuple[str, bool]] = []

    def report(title, text):
        shown.append((text, threading.current_thread() is threading.main_thread()))

    undo = excepthook.install(report)
    try:

        def fail():
            raise OSError("thread failed")

        thread = threading.Thread(target=fail, name="pool-1")
        thread.start()
        thread.join()
        qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    finally:
        undo()
    ((text, in_gui_thread),) = shown
    assert in_gui_thread and "OSError: thread failed (details in" in text
    assert "pool-1" in log_file().read_text()


def test_a_failing_dialog_falls_back_to_one_line_on_stderr(qapp, capsys):
    def broken_report(title, text):
        raise RuntimeError("the dialog itself broke")

    undo = excepthook.install(broken_report)
    try:
        sys.excepthook(*raise_and_catch(KeyError("first")))
    finally:
        undo()
    err = capsys.readouterr().err
    assert err.startswith("iris gui: unexpected error: KeyError: 'first' (details in ")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_undo_restores_the_previous_hooks(qapp):
    before = sys.excepthook, threading.excepthook
    undo = excepthook.install(lambda title, text: None)
    assert sys.excepthook is not before[0]
    undo()
    assert (sys.excepthook, threading.excepthook) == before
    assert Path(log_file()).exists() is False  # nothing was logged by installing
