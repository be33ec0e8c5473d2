"""The Depth view, complete, on the sample's room: evaluation, synced panes, normals, segmentation.

Every step is a user's: clicks on buttons and check boxes, keys in combo boxes and
spin boxes, wheel events and mouse moves on the panes.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from app.depth_readouts import METRIC_LABELS, format_metric
from app.depth_view import DepthView
from app.views import ViewContext
from core.depth.evaluate import METRICS, evaluate_depth
from core.depth.ground_truth import load_depth_gt, resize_to_shape
from core.depth.normals import encode_normals
from core.project import Project
from core.sample_project import build_sample_project
from core.sample_scene import CLASSES

WAIT = 20000


@pytest.fixture(scope="module")
def sample_path(tmp_path_factory):
    return build_sample_project(tmp_path_factory.mktemp("sample") / "project", scores=False)


@pytest.fixture
def sample(sample_path):
    with Project.open(sample_path) as project:
        yield project


@pytest.fixture
def view(qtbot, worker, sample):
    view = DepthView(ViewContext(worker=worker, settings=None, show_status=lambda *_: None))
    qtbot.addWidget(view)
    view.resize(1366, 740)
    view.show()
    view.set_project(sample)
    qtbot.waitUntil(lambda: view.scene is not None and not view.loading, timeout=WAIT)
    return view


def by_name(project, name):
    return next(i for i in project.images() if i.name == name)


def wheel(widget, steps: int = 1) -> None:
    """A real wheel event at the centre of ``widget``'s viewport."""
    target = widget.viewport()
    centre = QPointF(target.width() / 2, target.height() / 2)
    event = QWheelEvent(
        centre,
        target.mapToGlobal(centre),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(target, event)


def test_the_samples_truth_is_found_and_evaluate_shows_core_metrics(qtbot, view, sample):
    panel = view.evaluation_panel
    assert view.map_image.name == "scene_depth"
    assert panel.truth.currentText() == "project truth: depth-truth/scene_depth.npy"
    assert panel.evaluate.isEnabled()
    panel.align.setFocus()  # choose by key, as a keyboard user does
    qtbot.keyClick(panel.align, Qt.Key.Key_Down)
    assert panel.align.currentText() == "median"
    qtbot.mouseClick(panel.evaluate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=WAIT)

    gt = load_depth_gt(sample.path / "depth-truth" / "scene_depth.npy")
    pred = resize_to_shape(view.scene.decoding.depth, gt.shape, "nearest")
    expected = evaluate_depth(pred, gt, align="median").metrics
    for name in METRICS:
        assert panel.values[METRIC_LABELS[name]].text() == format_metric(name, expected[name])
    assert expected["abs_rel"] < 0.01
    # the error map is shown, and the cloud is coloured by it
    assert view.error_canvas.isVisible() and view.error_canvas.has_image()
    assert view.cloud_colour() == "error"
    assert panel.result.error.shape == gt.shape
    shown = panel.result.error_at_pred.reshape(-1, 3)[view.scene.cloud.pixels]
    np.testing.assert_array_equal(view.cloud_colours(), shown)
    # another alignment clears the result until Evaluate is clicked again
    panel.align.setFocus()
    qtbot.keyClick(panel.align, Qt.Key.Key_Down)
    assert panel.result is None and not view.error_canvas.isVisible()


def test_a_wheel_on_one_pane_zooms_both_and_a_drag_pans_both(qtbot, view):
    photo, depth = view.photo_canvas, view.depth_canvas
    before = depth.scale_factor
    assert depth.fit_pending and photo.fit_pending  # both show the whole image at first
    wheel(depth, 1)
    wheel(depth, 1)
    assert depth.scale_factor == pytest.approx(before * 1.25**2)
    assert photo.scale_factor == pytest.approx(depth.scale_factor)
    wheel(photo, 1)
    assert depth.scale_factor == pytest.approx(before * 1.25**3)
    photo.horizontalScrollBar().setValue(photo.horizontalScrollBar().maximum())
    centre = depth.mapToScene(depth.viewport().rect().center())
    other = photo.mapToScene(photo.viewport().rect().center())
    assert abs(centre.x() - other.x()) <= 1.0 and abs(centre.y() - other.y()) <= 1.0
    assert centre.x() > 200  # panned to the right half of the 320-pixel map


def test_explicit_intrinsics_for_the_photos_size_are_rescaled_to_the_map(qtbot, view):
    qtbot.mouseClick(view.explicit, Qt.MouseButton.LeftButton)
    assert view.explicit.isChecked() and view.fx.isEnabled()
    for box, text in ((view.fx, "600"), (view.fy, "600"), (view.cx, "320"), (view.cy, "240")):
        box.lineEdit().selectAll()
        qtbot.keyClicks(box.lineEdit(), text)
        qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    for box, text in ((view.panel.k_width, "640"), (view.panel.k_height, "480")):
        box.lineEdit().selectAll()
        qtbot.keyClicks(box.lineEdit(), text)
        qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert view.settings().intrinsics == "600.0,600.0,320.0,240.0@640x480"
    qtbot.waitUntil(
        lambda: not view.loading and "rescaled" in view.scene.intrinsics.source, timeout=WAIT
    )
    k = view.scene.intrinsics
    assert (k.fx, k.fy, k.cx, k.cy, k.width, k.height) == (300, 300, 160, 120, 320, 240)
    assert "rescaled from 640x480" in view.cloud_info.text()


def test_a_decoded_normal_map_is_shown_and_scored_in_degrees(qtbot, view, sample):
    truth = np.load(sample.path / "depth-truth" / "scene_normals.npy")
    painted = encode_normals(truth).astype(np.float32) / 255.0
    meta = {"role": "normal map", "true_normals": "depth-truth/scene_normals.npy"}
    record = sample.add_image_array(painted, name="scene_normals", kind="imported", meta=meta)
    view.show_images([record])
    assert view.map_mode == "normals"
    qtbot.waitUntil(lambda: view.normal_scene is not None and not view.loading, timeout=WAIT)
    assert view.map_title.text().startswith("Decoded normals")
    assert view.normal_scene.decoding.valid.all()
    panel = view.evaluation_panel
    assert panel.truth.currentText() == "project truth: depth-truth/scene_normals.npy"
    assert not panel.align.isEnabled()  # normals are not aligned
    qtbot.mouseClick(panel.evaluate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.result is not None, timeout=WAIT)
    assert float(panel.values["mean (deg)"].text()) < 1.0  # 8-bit rounding only
    assert view.error_canvas.has_image() and "deg" in view.error_title.text()
    point = view.depth_canvas.mapFromScene(QPointF(160.5, 200.5))
    qtbot.mouseMove(view.depth_canvas.viewport(), point)
    assert "normal (" in view.readout.text() and "+0.978, +0.208)" in view.readout.text()
    assert "error" in view.readout.text()  # the floor faces up and a little toward us


def test_segmentation_overlay_legend_and_the_class_under_the_pointer(qtbot, view, sample):
    view.show_images([by_name(sample, "scene_segmentation")])
    assert view.map_mode == "segmentation"
    qtbot.waitUntil(lambda: view.seg_scene is not None and not view.loading, timeout=WAIT)
    result = view.seg_scene.result
    assert result.names == [name for name, _colour in CLASSES]
    assert result.unassigned == 0
    assert set(view.segmentation.legend_rows) == set(result.names)
    assert view.photo_image.name == "scene_photo"
    labels = result.labels
    for name in ("sphere", "box", "floor", "wall"):
        ys, xs = np.nonzero(labels == result.names.index(name))
        y, x = int(np.median(ys)), int(xs[np.argsort(ys)][len(ys) // 2])
        if labels[y, x] != result.names.index(name):
            y, x = int(ys[len(ys) // 2]), int(xs[len(xs) // 2])
        point = view.depth_canvas.mapFromScene(QPointF(x + 0.5, y + 0.5))
        qtbot.mouseMove(view.depth_canvas.viewport(), point)
        assert view.readout.text().endswith(f"class {name}"), (name, view.readout.text())
    # classes typed by the user in the prompt's own words are applied
    view.segmentation.classes_text.clear()
    qtbot.keyClicks(view.segmentation.classes_text, "The floor is represented by (255, 255, 0).")
    qtbot.mouseClick(view.segmentation.apply, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: not view.loading and view.seg_scene.result.names == ["floor"], timeout=WAIT
    )
    assert view.seg_scene.result.unassigned > 0
    assert "unassigned" in view.class_at(160, 10)
