"""Hostile files dropped on the window: refused one by one in the dialog, the good ones kept."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from app.settings import Settings
from tests.core.imageio.bombs import EPS_LOOP, png_bomb


@pytest.fixture
def window(qtbot, worker):
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _drop(window, paths) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    where = QPoint(window.width() // 2, window.height() // 2)
    enter = QDragEnterEvent(
        where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        where, Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    QApplication.sendEvent(window, drop)


def test_dropping_hostile_files_refuses_each_and_keeps_the_good(qtbot, window, tmp_path):
    assert window.open_project(tmp_path / "p", create=True)
    Image.fromarray(np.full((9, 9, 3), 77, np.uint8)).save(tmp_path / "good.png")
    (tmp_path / "script.png").write_bytes(EPS_LOOP)
    png_bomb(tmp_path / "bomb.png", 30000, 30000, rows=8)
    os.mkfifo(tmp_path / "pipe.png")
    damaged = bytearray((tmp_path / "good.png").read_bytes())
    damaged[damaged.index(b"IDAT") + 6] ^= 0xFF
    (tmp_path / "damaged.png").write_bytes(bytes(damaged))
    names = ["good.png", "script.png", "bomb.png", "pipe.png", "damaged.png", "absent.png"]
    _drop(window, [tmp_path / n for n in names])
    qtbot.waitUntil(lambda: not window.worker.active_jobs(), timeout=20_000)
    qtbot.waitUntil(lambda: bool(window.last_error), timeout=5_000)
    assert [image.name for image in window.project.images()] == ["good"]
    for name, reason in [
        ("script.png", "not-an-image"),
        ("bomb.png", "too-large"),
        ("pipe.png", "unreadable"),
        ("damaged.png", "corrupt"),
        ("absent.png", "missing"),
    ]:
        assert f"{name}: {reason}" in window.last_error, (name, window.last_error)
    assert "Traceback" not in window.last_error
