"""The single-image canvas: fit, 1:1, nearest-neighbour above 1:1, pointer position in pixels."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint

from widgets.image_canvas import ImageCanvas
from widgets.qimage import qimage_to_rgb, rgb_to_qimage


def test_zoomed_pixels_are_sharp_blocks(qtbot):
    checker = np.zeros((8, 8, 3), np.uint8)
    checker[::2, ::2] = checker[1::2, 1::2] = 255
    canvas = ImageCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(400, 400)
    canvas.show()
    canvas.set_image(rgb_to_qimage(checker))
    canvas.actual_size()
    canvas.zoom_by(16)
    shot = qimage_to_rgb(canvas.viewport().grab().toImage())
    values = np.unique(shot[..., 0])
    assert set(values.tolist()) <= {0, 128, 255}  # black, white and the grey background only


def test_hover_reports_image_coordinates(qtbot):
    canvas = ImageCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(300, 300)
    canvas.show()
    canvas.set_image(rgb_to_qimage(np.zeros((100, 100, 3), np.uint8)))
    canvas.actual_size()
    canvas.zoom_by(4)  # one image pixel = 4 screen pixels, so rounding cannot cross a pixel
    canvas.centerOn(50, 50)
    seen = []
    canvas.pixel_hovered.connect(lambda x, y: seen.append((x, y)))
    centre = canvas.mapFromScene(50.5, 50.5)
    qtbot.mouseMove(canvas.viewport(), QPoint(centre.x(), centre.y()))
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert seen[-1] == (50, 50)
    assert canvas.scale_factor == 4.0
    canvas.fit()
    assert 2.0 < canvas.scale_factor < 3.0  # 100 px fitted into a ~300 px viewport
