"""The Depth view offscreen: decoding on the worker, pairing, hover, colour bar, export."""

from __future__ import annotations

import re

import numpy as np

from app.depth_view import DepthView, find_photo, pair_key
from app.views import VIEWS, ViewContext
from core.depth.codecs import make_codec
from widgets.qimage import qimage_to_rgb


def make_scene(project):
    depth = np.full((48, 64), 2.0)
    depth[:, 32:] = 8.0
    colours = make_codec("vision-banana").encode(depth).astype(np.float32) / 255.0
    photo = np.zeros((96, 128, 3), np.float32)
    photo[..., 2] = 1.0
    project.add_image_array(photo, name="room_0.png", kind="imported")
    depth_map = project.add_image_array(colours, name="room_1.png", kind="imported")
    return depth_map


def hovered_metres(view) -> float:
    match = re.search(r"depth ([0-9.]+) m", view.readout.text())
    assert match, view.readout.text()
    return float(match.group(1))


def hovered_metres_at(view, x: int, y: int) -> float:
    view._on_hover(x, y)
    return hovered_metres(view)


def test_pairing_by_name():
    assert pair_key("scene_1.png") == pair_key("scene_0.jpg") == "scene"
    assert pair_key("kitchen-depth.png") == pair_key("kitchen.jpg")
    assert pair_key("a_1.png") != pair_key("b_0.png")


def test_depth_view_decodes_pairs_and_exports(qtbot, worker, project, tmp_path):
    import open3d as o3d

    assert VIEWS.meta("depth")["title"] == "Depth and 3D"
    messages = []
    view = DepthView(ViewContext(worker=worker, settings=None, show_status=messages.append))
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.show()
    depth_map = make_scene(project)
    view.set_project(project)
    assert find_photo(depth_map, project.images()).name == "room_0.png"
    view.show_images([depth_map])
    qtbot.waitUntil(lambda: view.scene is not None and not view.loading, timeout=15000)
    assert view.photo_image is not None and view.photo_image.name == "room_0.png"
    stats = view.scene.decoding.stats()
    assert abs(stats["min_m"] - 2.0) < 0.01 and abs(stats["max_m"] - 8.0) < 0.05
    assert len(view.scene.cloud) == 48 * 64
    assert (view.scene.colours["photo"] == [0, 0, 255]).all()  # resized photo colours

    pixels = qimage_to_rgb(view.depth_canvas.grab().toImage())
    distinct = {tuple(p) for p in pixels.reshape(-1, 3)[::7]}
    assert len(distinct) >= 3  # background plus the two depth halves
    bar = qimage_to_rgb(view.colour_bar.grab().toImage())
    assert bar.reshape(-1, 3).std(axis=0).sum() > 10  # a painted gradient, not blank

    view._on_hover(5, 5)
    assert abs(hovered_metres(view) - 2.0) < 0.003 and "path distance" in view.readout.text()
    view._on_hover(60, 5)
    assert abs(hovered_metres(view) - 8.0) < 0.02

    view.threshold.setValue(0.0)  # mask everything off the exact path: JPEG-free, so nothing
    qtbot.waitUntil(lambda: not view.loading, timeout=15000)
    assert view.scene.settings.max_path_distance == 0.0  # the new decoding, not the old one
    assert view.scene.decoding.stats()["masked_fraction"] == 0.0
    assert abs(hovered_metres_at(view, 5, 5) - 2.0) < 0.003
    view.codec.setCurrentText("viridis")  # the wrong codec: colours far from that path
    qtbot.waitUntil(lambda: not view.loading, timeout=15000)
    assert view.scene.decoding.codec == "viridis"
    assert view.scene.decoding.stats()["masked_fraction"] > 0.5
    view.codec.setCurrentText("vision-banana")
    qtbot.waitUntil(
        lambda: not view.loading and view.scene.decoding.codec == "vision-banana", timeout=15000
    )

    ply = tmp_path / "cloud.ply"
    handle = view.export_to("ply", str(ply))
    qtbot.waitUntil(lambda: handle.is_finished, timeout=15000)
    assert handle.state == "done", handle.error
    assert len(o3d.io.read_point_cloud(str(ply)).points) == 48 * 64
    depth_file = tmp_path / "depth.npy"
    handle = view.export_to("depth", str(depth_file))
    qtbot.waitUntil(lambda: handle.is_finished, timeout=15000)
    assert handle.state == "done", handle.error
    assert np.load(depth_file).shape == (48, 64)
    np.testing.assert_array_equal(np.load(depth_file), view.scene.decoding.depth)
    assert messages[-1] == f"Saved {depth_file}"
    assert "OpenGL" in view.cloud_view.note.text()  # offscreen: the 3D panel says why it is empty


def test_an_ordinary_photo_decoded_as_depth_is_flagged(qtbot, worker, project, tmp_path):
    rng = np.random.default_rng(5)
    photo = project.add_image_array(
        rng.uniform(0, 1, (48, 64, 3)).astype(np.float32), name="holiday", kind="imported"
    )
    view = DepthView(ViewContext(worker=worker, settings=None, show_status=lambda *_: None))
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.show()
    view.set_project(project)
    view.show_images([photo])
    qtbot.waitUntil(lambda: view.scene is not None and not view.loading, timeout=15000)
    assert view.warning.isVisible()
    assert "does not look like a vision-banana depth map" in view.warning.text()
    depth_map = make_scene(project)
    view.show_images([depth_map])
    qtbot.waitUntil(lambda: not view.loading and view.scene.decoding.stats()["masked_fraction"] < 0.5,
                    timeout=15000)  # fmt: skip
    assert not view.warning.isVisible()


def test_the_view_opens_on_the_projects_marked_depth_map(qtbot, worker, project):
    rng = np.random.default_rng(8)
    photo = project.add_image_array(
        rng.uniform(0, 1, (48, 64, 3)).astype(np.float32), name="holiday", kind="imported"
    )
    depth = np.full((48, 64), 3.0)
    colours = make_codec("vision-banana").encode(depth).astype(np.float32) / 255.0
    marked = project.add_image_array(
        colours, name="scene_depth", kind="imported", meta={"role": "depth map"}
    )
    view = DepthView(ViewContext(worker=worker, settings=None, show_status=lambda *_: None))
    qtbot.addWidget(view)
    view.show()
    view.set_project(project)
    view.show_images([photo])  # the browser's selection handed over when the view is built
    assert view.map_image.id == marked.id
    qtbot.waitUntil(lambda: view.scene is not None and not view.loading, timeout=15000)
    assert abs(view.scene.decoding.stats()["median_m"] - 3.0) < 0.05
    view.show_images([photo])  # a later choice of the user is honoured
    assert view.map_image.id == photo.id
    qtbot.waitUntil(lambda: not view.loading, timeout=15000)
