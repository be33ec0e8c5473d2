"""The annotation canvas paints regions where they are and reports drawn shapes in image pixels."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from core.annotations import rle
from widgets.annotation_canvas import AnnotationCanvas, Overlay
from widgets.qimage import qimage_to_rgb, rgb_to_qimage


@pytest.fixture
def canvas(qtbot):
    widget = AnnotationCanvas()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.show()
    widget.set_image(rgb_to_qimage(np.full((60, 80, 3), 30, np.uint8)))
    return widget


def _pixel(canvas, x: float, y: float) -> np.ndarray:
    shot = qimage_to_rgb(canvas.grab().toImage())
    point = canvas.to_widget(x, y).toPoint()
    return shot[point.y(), point.x()].astype(int)


def test_the_image_is_fitted_and_coordinates_map_both_ways(canvas):
    rect = canvas.image_rect()
    assert rect.width() == pytest.approx(400) and rect.height() == pytest.approx(300)
    assert canvas.to_image(canvas.to_widget(12.5, 40)).toTuple() == pytest.approx((12.5, 40))
    assert _pixel(canvas, 40, 30).tolist() == [30, 30, 30]


def test_overlays_are_painted_in_place(canvas):
    mask = np.zeros((60, 80), bool)
    mask[40:55, 5:20] = True
    red, green, blue = QColor(255, 0, 0), QColor(0, 255, 0), QColor(0, 0, 255)
    canvas.set_overlays(
        [
            Overlay("rect", {"x": 50, "y": 5, "w": 20, "h": 20}, red, "rect"),
            Overlay("polygon", {"points": [[30, 30], [45, 30], [30, 50]]}, green),
            Overlay("mask", rle.encode(mask), blue),
        ]
    )
    inside_rect, inside_poly, inside_mask = (
        _pixel(canvas, 60, 18),
        _pixel(canvas, 33, 34),
        _pixel(canvas, 12, 50),
    )
    assert inside_rect[0] > inside_rect[1] + 30  # red tint
    assert inside_poly[1] > inside_poly[0] + 30  # green tint
    assert inside_mask[2] > inside_mask[0] + 60  # blue mask
    assert _pixel(canvas, 5, 5).tolist() == [30, 30, 30]  # outside every region: untouched
    assert _pixel(canvas, 43, 48).tolist() == [30, 30, 30]  # beside the polygon's slanted side


def test_dragging_a_rectangle_reports_image_coordinates(qtbot, canvas):
    drawn = []
    canvas.shape_drawn.connect(lambda kind, region: drawn.append((kind, region)))
    a, b = canvas.to_widget(10, 10).toPoint(), canvas.to_widget(30, 25).toPoint()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(canvas, pos=b)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=b)
    kind, region = drawn[0]
    assert kind == "rect"
    assert [region[k] for k in ("x", "y", "w", "h")] == pytest.approx([10, 10, 20, 15], abs=0.5)
    assert canvas.take_pending() == drawn[0] and canvas.pending is None


def test_brush_strokes_become_an_rle_mask(qtbot, canvas):
    canvas.set_tool("brush")
    canvas.brush_radius = 3
    a, b = canvas.to_widget(10, 30).toPoint(), canvas.to_widget(50, 30).toPoint()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(canvas, pos=b)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=b)
    kind, region = canvas.take_pending()
    mask = rle.decode(region)
    assert kind == "mask" and mask.shape == (60, 80)
    assert mask[30, 10:50].all() and not mask[30, 60] and not mask[20, 30]
    with pytest.raises(ValueError, match="unknown tool"):
        canvas.set_tool("lasso")


def test_zoom_keeps_the_point_under_the_pointer_and_fit_resets(canvas):
    about = canvas.to_widget(20, 15)
    canvas.zoom_by(4.0, about)
    assert canvas.scale() == pytest.approx(5.0 * 4)
    assert canvas.to_image(about).toTuple() == pytest.approx((20, 15))
    assert _pixel(canvas, 20, 15).tolist() == [30, 30, 30]
    canvas.pan_by(-30, 0)
    assert canvas.to_image(about).x() == pytest.approx(20 + 30 / 20)
    canvas.set_image(rgb_to_qimage(np.zeros((60, 80, 3), np.uint8)))  # same size: zoom kept
    assert canvas.scale() == pytest.approx(20)
    canvas.fit()
    assert canvas.scale() == pytest.approx(5.0)
