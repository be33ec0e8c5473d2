"""The Depth view's 3D panel: the decoded depth's point cloud, how it is coloured, its controls.

The cloud is the one thing only a depth map has, so the panel knows nothing of
the Map box: the view shows a scene in it, or clears it with the reason. The
colourings are the scene's own (photo, depth, normals estimated from depth) plus
the error of a depth evaluation, painted on the points it scored.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.depth_settings_panel import spin
from widgets.pointcloud_view import PointCloudView

# the cloud's colourings: key -> label (normals here are estimated from the decoded depth)
CLOUD_COLOURS = {
    "photo": "photo",
    "depth": "depth",
    "normal": "normal (estimated from depth)",
    "error": "error (after Evaluate)",
}


def cloud_colours(scene, colouring: str, evaluation=None):
    """Per-point colours of ``scene``'s cloud for ``colouring`` (all points, not the shown).

    "error" needs a depth ``evaluation``; without one the points keep the photo's colours.
    """
    if colouring == "error" and evaluation is not None and evaluation.kind == "depth":
        return evaluation.error_at_pred.reshape(-1, 3)[scene.cloud.pixels]
    return scene.colours["photo" if colouring == "error" else colouring]


def empty_cloud():
    """No points and no colours, in the dtypes :meth:`PointCloudView.set_cloud` takes."""
    import numpy as np

    return np.zeros((0, 3), np.float32), np.zeros((0, 3), np.uint8)


class CloudPanel(QWidget):
    """Point size, colouring, camera frustum and Fit above the cloud, a line about it below."""

    colouring_changed = Signal()  # the user picked another colouring in the box

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.view = PointCloudView()
        self.point_size = spin(0.5, 20.0, 2.0, 0.5, 1)
        self.point_size.valueChanged.connect(self.view.set_point_size)
        self.colour_mode = QComboBox()
        for key, label in CLOUD_COLOURS.items():
            self.colour_mode.addItem(label, key)
        self.colour_mode.currentIndexChanged.connect(lambda _i: self.colouring_changed.emit())
        self.frustum = QCheckBox("Camera")
        self.frustum.setChecked(True)
        self.frustum.toggled.connect(self.view.set_frustum_visible)
        fit = QPushButton("Fit")
        fit.clicked.connect(self.view.fit)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Points"))
        controls.addWidget(self.point_size)
        controls.addWidget(QLabel("Colour"))
        controls.addWidget(self.colour_mode)
        controls.addWidget(self.frustum)
        controls.addWidget(fit)
        controls.addStretch(1)
        self.info = QLabel(" ")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.info)

    def colouring(self) -> str:
        """The chosen colouring, a key of :data:`CLOUD_COLOURS`."""
        return self.colour_mode.currentData()

    def set_colouring(self, key: str) -> None:
        """Choose ``key`` in the box, as the user would (``colouring_changed`` follows)."""
        self.colour_mode.setCurrentIndex(self.colour_mode.findData(key))

    def show_scene(self, scene, colours) -> None:
        """The shown part of ``scene``'s cloud in ``colours`` (per point, all points), and its camera."""
        index = scene.display_index
        self.view.set_cloud(scene.cloud.points[index], colours[index], scene.intrinsics)
        source = scene.intrinsics.source
        if not source.startswith("hfov"):
            source += f", HFOV {scene.intrinsics.hfov_deg:.1f} deg"
        self.info.setText(f"{len(scene.cloud):,} points ({len(index):,} shown), {source}")

    def recolour(self, scene, colours) -> None:
        """Repaint the shown points of ``scene`` in ``colours`` (per point, all points)."""
        self.view.set_colours(colours[scene.display_index])

    def clear(self, reason: str) -> None:
        """No cloud, and ``reason`` in its place."""
        self.view.set_cloud(*empty_cloud())
        self.info.setText(reason)
