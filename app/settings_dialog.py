"""File > Settings: compute device, weights folder, image size limit."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from app.settings import Settings
from core.device import DEVICE_CHOICES


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent=None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle("Settings")
        self.device = QComboBox()
        self.device.addItems(list(DEVICE_CHOICES))
        self.device.setCurrentText(settings.device)
        self.weights = QLineEdit(settings.weights_dir)
        browse = QPushButton("Browse...")
        browse.clicked.connect(self._browse)
        weights_row = QWidget()
        row = QHBoxLayout(weights_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.weights, 1)
        row.addWidget(browse)
        self.max_megapixels = QSpinBox()
        self.max_megapixels.setRange(1, 4000)
        self.max_megapixels.setSuffix(" MP")
        self.max_megapixels.setValue(settings.max_pixels // 1_000_000)
        form = QFormLayout(self)
        form.addRow("Compute device", self.device)
        form.addRow("Model weights folder", weights_row)
        self.allow_downloads = QCheckBox("Metrics may download missing weights")
        self.allow_downloads.setToolTip(
            "Off: a metric whose weights are not in the folder fails at once, naming the file"
        )
        self.allow_downloads.setChecked(settings.allow_downloads)
        form.addRow("Downloads", self.allow_downloads)
        form.addRow("Largest image", self.max_megapixels)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Model weights folder", self.weights.text())
        if folder:
            self.weights.setText(folder)

    def accept(self) -> None:
        self.settings.device = self.device.currentText()
        self.settings.weights_dir = self.weights.text()
        self.settings.allow_downloads = self.allow_downloads.isChecked()
        self.settings.max_pixels = self.max_megapixels.value() * 1_000_000
        self.settings.sync()
        super().accept()
