"""The 3D point-cloud widget renders real pixels under Xvfb (Mesa), in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

RENDER = r"""
import sys
import numpy as np
from PySide6.QtWidgets import QApplication
from core.depth.unproject import Intrinsics, unproject
from widgets.pointcloud_view import PointCloudView

app = QApplication([])
view = PointCloudView()
view.resize(480, 360)
view.show()
depth = np.full((60, 80), 3.0, np.float32)
depth[20:40, 20:60] = 1.5  # a box in front of a wall
colours = np.zeros((60 * 80, 3), np.uint8)
cloud = unproject(depth, Intrinsics.from_hfov(80, 60, 60.0), colour_mode="depth")
view.set_point_size(4)
view.set_cloud(cloud.points, cloud.colours, cloud.intrinsics)
for _ in range(20):
    app.processEvents()
image = view.grab_frame()
assert image is not None, "no GL widget: " + view.note.text()
image.save(sys.argv[1])
print("rendered", len(cloud.points), image.width(), image.height())
"""


@pytest.mark.gl
def test_point_cloud_renders_under_xvfb(xvfb_display, tmp_path):
    out = tmp_path / "cloud.png"
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, DISPLAY=xvfb_display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(root))
    env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
    result = subprocess.run(
        [sys.executable, "-c", RENDER, str(out)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    pixels = np.asarray(Image.open(out).convert("RGB")).astype(int)
    background = np.array([24, 24, 28])
    drawn = np.abs(pixels - background).sum(axis=2) > 30
    assert pixels.shape[0] > 100 and pixels.shape[1] > 100
    assert drawn.mean() > 0.05, f"only {drawn.mean():.1%} of the frame shows points"
    assert len({tuple(p) for p in pixels[drawn][::5]}) > 3  # coloured points, not one flat fill
