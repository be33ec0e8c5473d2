"""The Annotate view: labelling with the keyboard alone, drawing regions, undo, filters."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

from app.annotate_view import AnnotateView
from app.settings import Settings
from app.views import ViewContext
from core.annotations import annotations
from core.annotations.store import reviewed_images
from widgets.qimage import qimage_to_rgb


def _project_with_images(project, count: int, **provenance):
    rng = np.random.default_rng(1)
    images = []
    for i in range(count):
        pixels = np.full((48, 64, 3), 0.15 + 0.02 * i, np.float32)
        pixels += rng.random((48, 64, 3)).astype(np.float32) * 0.02
        images.append(
            project.add_image_array(pixels, name=f"img{i}", kind="imported", **provenance)
        )
    return images


@pytest.fixture
def view(qtbot, worker):
    context = ViewContext(worker=worker, settings=Settings(), show_status=lambda *a: None)
    widget = AnnotateView(context)
    widget.annotator_edit.setText("tester")
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def _wait_image(qtbot, view):
    qtbot.waitUntil(lambda: not view.loading and view.canvas.has_image(), timeout=10_000)


def test_label_ten_images_with_the_keyboard_alone(qtbot, view, project):
    images = _project_with_images(project, 10)
    view.set_project(project)
    _wait_image(qtbot, view)
    view.canvas.setFocus()
    assert view.progress_label.text().startswith("1 of 10")
    for i in range(10):
        assert view.current.id == images[i].id
        qtbot.keyClick(view.canvas, Qt.Key.Key_1 + (i % 3))  # 1, 2, 3, 1, ...
        if i == 4:
            qtbot.keyClick(view.canvas, Qt.Key.Key_Tab)  # over-generation group from here
        qtbot.keyClick(view.canvas, Qt.Key.Key_Space)  # reviewed, next
        _wait_image(qtbot, view)
    stored = annotations(project)
    assert len(stored) == 10
    assert [a.image_id for a in stored] == [image.id for image in images]
    assert [a.label for a in stored[:5]] == [
        "object_insertion",
        "shape_distortion",
        "semantic_drift",
        "object_insertion",
        "shape_distortion",
    ]
    assert [a.label for a in stored[5:]] == [
        "implausible_pattern",
        "dense_hair",
        "amplified_texture",
        "implausible_pattern",
        "dense_hair",
    ]
    assert all(a.region_kind == "image" and a.annotator == "tester" for a in stored)
    assert set(reviewed_images(project, "tester")) == {image.id for image in images}
    assert view.progress_label.text().startswith("10 of 10  (10 reviewed)")
    # the whole-image flag is drawn: a coloured frame over the dark image
    shot = qimage_to_rgb(view.canvas.grab().toImage())
    reddish = (shot[..., 0] > 150) & (shot[..., 1] > 100) & (shot[..., 2] < 80)  # orange group
    assert reddish.sum() > 200
    # P goes back, undo removes the last flag, redo brings it back
    qtbot.keyClick(view.canvas, Qt.Key.Key_P)
    assert view.current.id == images[8].id
    qtbot.keyClick(view.canvas, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(annotations(project)) == 9 and view.current.id == images[9].id
    qtbot.keyClick(
        view.canvas,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert len(annotations(project)) == 10


def test_draw_a_rectangle_and_label_it(qtbot, view, project):
    _project_with_images(project, 2)
    view.set_project(project)
    _wait_image(qtbot, view)
    before = qimage_to_rgb(view.canvas.grab().toImage())
    rect = view.canvas.image_rect()
    a = view.canvas.to_widget(8, 8).toPoint()
    b = view.canvas.to_widget(40, 32).toPoint()
    qtbot.mousePress(view.canvas, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(view.canvas, pos=b)
    qtbot.mouseRelease(view.canvas, Qt.MouseButton.LeftButton, pos=b)
    assert view.canvas.pending[0] == "rect"
    qtbot.keyClick(view.canvas, Qt.Key.Key_S)  # severity 2
    qtbot.keyClick(view.canvas, Qt.Key.Key_5)  # colour shift
    (flag,) = annotations(project)
    assert (flag.label, flag.region_kind, flag.severity) == ("colour_shift", "rect", 2)
    x, y, w, h = (flag.region[k] for k in ("x", "y", "w", "h"))
    assert abs(x - 8) <= 1 and abs(y - 8) <= 1 and abs(w - 32) <= 1.5 and abs(h - 24) <= 1.5
    after = qimage_to_rgb(view.canvas.grab().toImage())
    inside = view.canvas.to_widget(24, 20).toPoint()
    assert after[inside.y(), inside.x(), 0] > before[inside.y(), inside.x(), 0] + 20  # red tint
    edge = view.canvas.to_widget(8, 20).toPoint()
    assert after[edge.y(), edge.x()].tolist() != before[edge.y(), edge.x()].tolist()
    assert rect.width() > 200  # the image is fitted, not shown at 64 px


def test_polygon_and_brush_regions(qtbot, view, project):
    _project_with_images(project, 1)
    view.set_project(project)
    _wait_image(qtbot, view)
    qtbot.keyClick(view.canvas, Qt.Key.Key_G)
    for x, y in ((5, 5), (30, 6), (20, 30)):
        qtbot.mouseClick(
            view.canvas, Qt.MouseButton.LeftButton, pos=view.canvas.to_widget(x, y).toPoint()
        )
    qtbot.keyClick(view.canvas, Qt.Key.Key_2)  # closes the polygon and labels it
    qtbot.keyClick(view.canvas, Qt.Key.Key_B)
    start, end = view.canvas.to_widget(40, 30).toPoint(), view.canvas.to_widget(55, 40).toPoint()
    qtbot.mousePress(view.canvas, Qt.MouseButton.LeftButton, pos=start)
    for t in np.linspace(0, 1, 6):
        qtbot.mouseMove(
            view.canvas,
            pos=QPoint(
                int(start.x() + t * (end.x() - start.x())),
                int(start.y() + t * (end.y() - start.y())),
            ),
        )
    qtbot.mouseRelease(view.canvas, Qt.MouseButton.LeftButton, pos=end)
    qtbot.keyClick(view.canvas, Qt.Key.Key_Return)  # the last label again
    polygon, mask = annotations(project)
    assert polygon.region_kind == "polygon" and len(polygon.region["points"]) == 3
    assert mask.region_kind == "mask" and mask.label == polygon.label == "shape_distortion"
    from core.annotations import rle

    pixels = rle.decode(mask.region)
    assert pixels.shape == (48, 64) and pixels[35, 47] and not pixels[5, 5]


def test_filters_and_sets(qtbot, view, project):
    method = project.ensure_method("hypir", "imported")
    images = _project_with_images(project, 3)
    outputs = [
        project.add_image_array(
            project.load_pixels(image).pixels * 0.9,
            name=f"{image.name} hypir",
            kind="method_output",
            parent_id=image.id,
            method_id=method,
        )
        for image in images[:2]
    ]
    view.set_project(project)
    view.compared_combo.setCurrentIndex(view.compared_combo.findText("method hypir"))
    view.set_queue_key(f"method:{method}")
    assert [i.id for i in view.queue] == [o.id for o in outputs]
    view.set_queue_key("all")
    assert view.current.id == outputs[0].id  # the image on screen stays when the set changes
    view.go_to(0)
    _wait_image(qtbot, view)
    qtbot.keyClick(view.canvas, Qt.Key.Key_N)
    qtbot.keyClick(view.canvas, Qt.Key.Key_4)  # unwanted colourisation on image 1
    assert annotations(project)[0].compared_with == {"kind": "method", "method": "hypir"}
    view.label_filter.setCurrentIndex(view.label_filter.findData("unwanted_colourisation"))
    assert [i.id for i in view.queue] == [images[1].id]
    view.label_filter.setCurrentIndex(0)
    view.annotator_filter.setCurrentIndex(view.annotator_filter.findData("tester"))
    assert [i.id for i in view.queue] == [images[1].id]
    view.annotator_filter.setCurrentIndex(0)
    assert len(view.queue) == 5
    # group rows, the one flagged label, the reviewed row: one image flagged of one looked at
    assert view.counts_table.rowCount() == 5 and view.counts_table.columnCount() == 1
    assert view.cases.cell("infidelity", "(none)", view._row_title) == "1"
    assert view.cases.cell("unwanted_colourisation", "(none)", view._row_title) == "1"
    assert view.cases.cell("images reviewed", "(none)") == "1"


def test_browser_selection_and_a_broken_taxonomy(qtbot, view, project):
    images = _project_with_images(project, 4)
    project.set_meta("annotations.taxonomy", '{"groups": []}')  # damaged override
    view.set_project(project)
    assert "default labels" in view.status_label.text()
    assert len(view.taxonomy.labels) == 16
    view.show_images([images[2]])
    assert view.current.id == images[2].id
    view.show_images([images[3], images[1]])
    assert view.set_combo.currentData() == "selection"
    assert [i.id for i in view.queue] == [images[3].id, images[1].id]
    _wait_image(qtbot, view)
    qtbot.keyClick(view.canvas, Qt.Key.Key_N)
    assert view.current.id == images[1].id
