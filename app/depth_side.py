"""The Depth view's side column: what the map is, which photo goes with it, and the map's panels.

Top down: a button to open a depth file from disk, the Map and Photo boxes, the
decoding's summary and warning, then the evaluation, segmentation classes, depth
settings and export panels, in a scroll area a small window can still hold. Which
panels show follows the map mode; the view wires what they ask for.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.context import ViewContext
from app.depth_evaluation import EvaluationPanel
from app.depth_export import ExportButtons
from app.depth_modes import MODES, MapMode
from app.depth_segmentation import SegmentationPanel
from app.depth_settings_panel import DepthSettingsPanel


class SideColumn(QScrollArea):
    """The Map box and the panels of the map mode it names, scrolled vertically only."""

    def __init__(self, context: ViewContext, scene_of: Callable[[], object], parent=None) -> None:
        super().__init__(parent)
        self.mode = QComboBox()
        for key, mode in MODES.items():
            self.mode.addItem(mode.label, key)
        self.mode.setToolTip("What the map is: it decides how its colours are read")
        self.photo_combo = QComboBox()
        self.open_file = QPushButton("Open depth file...")
        self.open_file.setToolTip("Decode a depth file from disk (.npy, .exr, PNG)")
        self.panel = DepthSettingsPanel()
        self.segmentation = SegmentationPanel()
        self.evaluation_panel = EvaluationPanel(context)
        self.exports = ExportButtons(context, scene_of)  # scene_of: () -> the DepthScene shown
        self.summary = QLabel(" ")  # explicit line breaks: word wrap misbehaves in scroll areas
        self.warning = QLabel("")  # shown when the map does not look like its codec's output
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #a04000; font-weight: bold;")
        self.warning.setVisible(False)

        top = QFormLayout()
        top.addRow("Map", self.mode)
        top.addRow("Photo", self.photo_combo)
        panel = QWidget()
        layout = QVBoxLayout(panel)
        layout.addWidget(self.open_file)
        layout.addLayout(top)
        panels = (self.evaluation_panel, self.segmentation, self.panel, self.exports)
        for widget in (self.summary, self.warning, *panels):
            layout.addWidget(widget)
        layout.addStretch(1)
        self.setWidget(panel)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setMaximumWidth(330)

    def show_mode(self, mode: MapMode) -> None:
        """Show the panels ``mode`` uses; the last map's summary and warning go."""
        depth = mode.key == "depth"
        self.panel.setVisible(depth)
        self.exports.setVisible(depth)
        self.open_file.setVisible(mode.reads_files)
        self.segmentation.setVisible(mode.key == "segmentation")
        self.evaluation_panel.setVisible(mode.evaluates)
        self.warning.setVisible(False)
        self.summary.setText(" ")
