"""An orbitable 3D point cloud with a camera frustum (pyqtgraph.opengl, imported on first use).

Points arrive in the OpenCV camera frame (+x right, +y down, +z forward) and
are shown in pyqtgraph's z-up world as (x, z, -y), so orbiting turns about
the vertical and the first view looks from just behind the camera. Left drag orbits, middle drag (or
Ctrl + left) pans, the wheel zooms; ``fit()`` frames the cloud again.
"""

from __future__ import annotations

import os

import numpy as np
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

#: Platforms without OpenGL: the widget shows a note instead of a GL surface.
NO_GL_PLATFORMS = {"offscreen", "minimal"}


def to_scene(points: np.ndarray) -> np.ndarray:
    """OpenCV camera frame -> pyqtgraph's z-up world: (x, z, -y)."""
    points = np.asarray(points, dtype=np.float32)
    return np.stack([points[:, 0], points[:, 2], -points[:, 1]], axis=1)


def gl_available() -> tuple[bool, str]:
    """Whether a GL surface can be made here, and why not."""
    if os.environ.get("IRIS_NO_GL"):
        return False, "3D view disabled (IRIS_NO_GL is set)"
    platform = QGuiApplication.platformName()
    if platform in NO_GL_PLATFORMS:
        return False, f"3D view needs OpenGL; the '{platform}' Qt platform has none"
    return True, ""


def frustum_lines(intrinsics, depth: float) -> np.ndarray:
    """Segment end points (16, 3) of the camera pyramid reaching ``depth`` metres (OpenCV frame)."""
    w, h = intrinsics.width, intrinsics.height
    corners = []
    for u, v in ((0, 0), (w, 0), (w, h), (0, h)):
        corners.append(
            [
                (u - intrinsics.cx) / intrinsics.fx * depth,
                (v - intrinsics.cy) / intrinsics.fy * depth,
                depth,
            ]
        )
    lines = []
    for i, corner in enumerate(corners):
        lines += [[0.0, 0.0, 0.0], corner, corner, corners[(i + 1) % 4]]
    return np.array(lines, dtype=np.float32)


class PointCloudView(QWidget):
    """Shows points with per-point colours; ``set_cloud``, ``set_colours``, ``fit``, ``grab_frame``."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.gl_widget = None
        self._scatter = None
        self._frustum = None
        self.points = np.zeros((0, 3), np.float32)
        self.point_size = 2.0
        self.show_frustum = True
        self._intrinsics = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.note = QLabel("No point cloud yet")
        self.note.setWordWrap(True)
        self._layout.addWidget(self.note)

    @property
    def has_gl(self) -> bool:
        return self.gl_widget is not None

    def ensure_gl(self) -> bool:
        """Create the GL widget on first need; False (with a note) where there is no OpenGL."""
        if self.gl_widget is not None:
            return True
        ok, why = gl_available()
        if not ok:
            self.note.setText(why)
            return False
        try:
            import pyqtgraph.opengl as gl
        except Exception as exc:  # PyOpenGL missing or broken: say so, keep the app running
            self.note.setText(f"3D view unavailable: {exc}")
            return False
        self.gl_widget = gl.GLViewWidget()
        self.gl_widget.setBackgroundColor((24, 24, 28))
        self._scatter = gl.GLScatterPlotItem(pxMode=True)
        self._scatter.setGLOptions("opaque")
        self.gl_widget.addItem(self._scatter)
        self._frustum = gl.GLLinePlotItem(mode="lines", color=(1.0, 0.85, 0.2, 1.0), width=1.5)
        self.gl_widget.addItem(self._frustum)
        self.note.hide()
        self._layout.addWidget(self.gl_widget)
        return True

    def set_cloud(self, points: np.ndarray, colours: np.ndarray, intrinsics=None) -> None:
        """Points (N, 3) in the OpenCV camera frame, colours (N, 3) uint8."""
        self.points = np.asarray(points, dtype=np.float32)
        self._intrinsics = intrinsics
        if not self.ensure_gl():
            self.note.setText(f"{self.note.text()}\n({len(self.points)} points decoded)")
            return
        self._scatter.setData(
            pos=to_scene(self.points), color=self._rgba(colours), size=self.point_size
        )
        self._update_frustum()
        self.fit()

    def set_colours(self, colours: np.ndarray) -> None:
        if self._scatter is not None:
            self._scatter.setData(color=self._rgba(colours))

    def set_point_size(self, size: float) -> None:
        self.point_size = float(size)
        if self._scatter is not None:
            self._scatter.setData(size=self.point_size)

    def set_frustum_visible(self, visible: bool) -> None:
        self.show_frustum = bool(visible)
        self._update_frustum()

    def fit(self) -> None:
        """Orbit about the cloud's median, from behind and to the left of the camera that saw it."""
        if self.gl_widget is None or len(self.points) == 0:
            return
        from PySide6.QtGui import QVector3D

        centre = np.median(to_scene(self.points), axis=0)
        distance = float(max(np.linalg.norm(centre), 1e-3)) * 1.8
        self.gl_widget.setCameraPosition(
            pos=QVector3D(*[float(v) for v in centre]), distance=distance, elevation=18, azimuth=-62
        )

    def grab_frame(self):
        """The rendered GL frame as a QImage (None without GL)."""
        return self.gl_widget.grabFramebuffer() if self.gl_widget is not None else None

    def _update_frustum(self) -> None:
        if self._frustum is None:
            return
        visible = self.show_frustum and self._intrinsics is not None and len(self.points) > 0
        self._frustum.setVisible(visible)
        if visible:
            reach = float(np.percentile(self.points[:, 2], 10))
            self._frustum.setData(pos=to_scene(frustum_lines(self._intrinsics, max(reach, 1e-3))))

    @staticmethod
    def _rgba(colours: np.ndarray) -> np.ndarray:
        rgba = np.ones((len(colours), 4), dtype=np.float32)
        rgba[:, :3] = np.asarray(colours, dtype=np.float32) / 255.0
        return rgba
