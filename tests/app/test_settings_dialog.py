"""File > Settings: real clicks and keys on the real dialog; OK stores, Cancel and Escape do not."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QPushButton

from app.settings import Settings
from app.settings_dialog import SettingsDialog


@pytest.fixture
def dialog(qtbot):
    settings = Settings()
    settings.device = "auto"
    settings.weights_dir = "/old/weights"
    settings.allow_downloads = False
    settings.max_pixels = 64_000_000
    settings.sync()
    shown = SettingsDialog(settings)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def button(dialog, which) -> QPushButton:
    return dialog.findChild(QDialogButtonBox).button(which)


def test_shows_the_current_settings(dialog):
    assert dialog.windowTitle() == "Settings"
    assert dialog.device.currentText() == "auto"
    assert [dialog.device.itemText(i) for i in range(dialog.device.count())] == [
        "auto",
        "cpu",
        "cuda",
    ]
    assert dialog.weights.text() == "/old/weights"
    assert not dialog.allow_downloads.isChecked()
    assert dialog.max_megapixels.value() == 64
    assert dialog.max_megapixels.suffix() == " MP"
    assert (dialog.max_megapixels.minimum(), dialog.max_megapixels.maximum()) == (1, 4000)


def test_edits_by_keyboard_and_mouse_are_stored_on_ok(dialog, qtbot):
    dialog.device.setFocus()
    qtbot.keyClick(dialog.device, Qt.Key.Key_Down)  # auto -> cpu
    assert dialog.device.currentText() == "cpu"
    dialog.weights.selectAll()
    qtbot.keyClicks(dialog.weights, "/new/weights")
    qtbot.mouseClick(dialog.allow_downloads, Qt.MouseButton.LeftButton)
    assert dialog.allow_downloads.isChecked()
    dialog.max_megapixels.lineEdit().selectAll()
    qtbot.keyClicks(dialog.max_megapixels.lineEdit(), "12")
    assert dialog.max_megapixels.value() == 12
    qtbot.mouseClick(button(dialog, QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    stored = Settings()  # read back from the settings file
    assert stored.device == "cpu"
    assert stored.weights_dir == "/new/weights"
    assert stored.allow_downloads is True
    assert stored.max_pixels == 12_000_000


def test_cancel_stores_nothing(dialog, qtbot):
    dialog.device.setCurrentText("cuda")
    dialog.weights.selectAll()
    qtbot.keyClicks(dialog.weights, "/elsewhere")
    qtbot.mouseClick(dialog.allow_downloads, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        button(dialog, QDialogButtonBox.StandardButton.Cancel), Qt.MouseButton.LeftButton
    )
    assert dialog.result() == QDialog.DialogCode.Rejected
    stored = Settings()
    assert (stored.device, stored.weights_dir, stored.allow_downloads, stored.max_pixels) == (
        "auto",
        "/old/weights",
        False,
        64_000_000,
    )


def test_escape_rejects_and_enter_accepts(dialog, qtbot):
    qtbot.mouseClick(dialog.allow_downloads, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert Settings().allow_downloads is False
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.max_megapixels.setFocus()
    dialog.max_megapixels.lineEdit().selectAll()
    qtbot.keyClicks(dialog.max_megapixels.lineEdit(), "3")
    qtbot.keyClick(dialog.max_megapixels, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert Settings().max_pixels == 3_000_000


def test_browse_puts_the_chosen_folder_in_the_field(dialog, qtbot, monkeypatch, tmp_path):
    asked = []

    def choose(parent, title, start):
        asked.append((parent, title, start))
        return str(tmp_path)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(choose))
    browse = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Browse...")
    qtbot.mouseClick(browse, Qt.MouseButton.LeftButton)
    assert asked == [(dialog, "Model weights folder", "/old/weights")]
    assert dialog.weights.text() == str(tmp_path)
    # a cancelled folder dialog (empty answer) keeps the field as it was
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a: ""))
    qtbot.mouseClick(browse, Qt.MouseButton.LeftButton)
    assert dialog.weights.text() == str(tmp_path)
