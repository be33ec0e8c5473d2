"""The status bar says which local models the worker holds; switching the device in
Settings releases them on the compute thread."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.main_window import MainWindow
from app.settings import Settings
from core.local_models.cache import CACHE, LoadedModel, loaded_models, release_models


def _noop(*, progress, cancel) -> None:
    return None


def test_status_bar_lists_held_models_and_the_device_switch_releases_them(qtbot, worker):
    settings = Settings()
    settings.device = "cpu"
    window = MainWindow(settings, worker)
    qtbot.addWidget(window)
    window.show()
    try:
        CACHE.load(
            ("test", "tiny"), object, LoadedModel("tiny-kontext", "editor", "cpu", "fp32", 1)
        )
        handle = worker.submit(_noop, name="something")
        qtbot.waitUntil(lambda: handle.is_finished, timeout=10_000)
        qtbot.waitUntil(lambda: window.models_label.isVisible(), timeout=5_000)
        assert window.models_label.text() == "1 model loaded"
        assert "tiny-kontext (editor, cpu, fp32)" in window.models_label.toolTip()

        def choose_auto_and_accept() -> None:
            dialog = QApplication.activeModalWidget()
            dialog.device.setFocus()
            dialog.device.setCurrentText("auto")  # the combo as a user leaves it
            qtbot.keyClick(dialog, Qt.Key.Key_Return)

        QTimer.singleShot(300, choose_auto_and_accept)
        window.open_settings_dialog()
        qtbot.waitUntil(lambda: loaded_models() == [], timeout=30_000)
        qtbot.waitUntil(lambda: not worker.active_jobs(), timeout=60_000)
        handle = worker.submit(_noop, name="after")
        qtbot.waitUntil(lambda: handle.is_finished, timeout=10_000)
        qtbot.waitUntil(lambda: not window.models_label.isVisible(), timeout=5_000)
    finally:
        release_models()
        window.close()
