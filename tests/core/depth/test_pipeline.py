"""The Depth view's job: decode, unproject and colour the points three ways."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PIL import Image

from core.depth.codecs import make_codec
from core.depth.defaults import DEFAULT_CODEC
from core.depth.export import export
from core.depth.pipeline import (
    BY_DEFAULT,
    BY_FILE,
    CHOSEN,
    DepthSettings,
    build_scene,
    decode,
    resolve_codec,
)
from core.errors import Cancelled, IrisError


def write_map(path, depth):
    Image.fromarray(make_codec("vision-banana").encode(depth)).save(path)
    return path


def test_build_scene_colours_and_ray_depth(tmp_path):
    depth = np.full((30, 40), 3.0)
    depth[:5] = np.inf
    path = write_map(tmp_path / "map.png", depth)
    reports = []
    scene = build_scene(
        path,
        None,
        DepthSettings(hfov_deg=90.0, depth_kind="ray"),
        progress=lambda done, total: reports.append((done, total)),
    )
    assert reports[-1] == (4, 4)
    assert len(scene.cloud) == 25 * 40
    np.testing.assert_allclose(np.linalg.norm(scene.cloud.points, axis=1), 3.0, rtol=2e-3)
    assert set(scene.colours) == {"photo", "depth", "normal"}
    assert all(len(c) == len(scene.cloud) for c in scene.colours.values())
    assert scene.intrinsics.hfov_deg == pytest.approx(90.0)
    assert scene.depth_image.shape == (30, 40, 3) and scene.photo is None
    assert (scene.depth_image[:5] == 0).all()  # sky is drawn black


def test_build_scene_stops_when_cancelled(tmp_path):
    path = write_map(tmp_path / "map.png", np.full((8, 8), 2.0))
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        build_scene(path, None, DepthSettings(), cancel=cancel)


def test_raw_16_bit_png_is_decoded_as_millimetres(tmp_path):
    # The codec is left unchosen: the file says what it is. (This test used to pass
    # codec="vision-banana" and expect png16, the GUI's old rule that a raw file overrides
    # the user's choice; the one rule now lets a choice win, see test_precedence_*.)
    depth = np.full((10, 12), 1.25, np.float32)
    path = tmp_path / "raw.png"
    path.write_bytes(make_codec("png16").encode(depth))
    scene = build_scene(path, None, DepthSettings())
    assert scene.decoding.codec == "png16"
    np.testing.assert_allclose(scene.decoding.depth, 1.25)


def raw_png(tmp_path, depth):
    path = tmp_path / "raw.png"
    path.write_bytes(make_codec("png16").encode(depth))
    return path


def test_precedence_a_choice_wins_over_what_the_file_says(tmp_path):
    path = raw_png(tmp_path, np.full((6, 8), 1.25, np.float32))
    decoded = decode(path, DepthSettings(codec="gray", max_path_distance=None))
    assert decoded.chosen_by == CHOSEN and decoded.settings.codec == "gray"
    assert decoded.decoding.codec == "gray" and decoded.decoding.confidence is not None


def test_precedence_the_file_then_the_default(tmp_path):
    png16 = raw_png(tmp_path, np.full((6, 8), 1.25, np.float32))
    assert resolve_codec(png16) == ("png16", BY_FILE)
    npy = tmp_path / "d.npy"
    np.save(npy, np.ones((4, 5), np.float32))
    assert resolve_codec(npy) == ("npy", BY_FILE)
    assert resolve_codec(tmp_path / "d.EXR") == ("exr", BY_FILE)
    rgb = write_map(tmp_path / "map.png", np.full((6, 8), 2.0))
    assert resolve_codec(rgb) == (DEFAULT_CODEC, BY_DEFAULT)
    decoded = decode(rgb)
    assert decoded.settings == DepthSettings(codec=DEFAULT_CODEC)  # the settings actually used
    assert decoded.chosen_by == BY_DEFAULT


def test_a_colour_codec_for_a_depth_file_is_refused_not_ignored(tmp_path):
    npy = tmp_path / "d.npy"
    np.save(npy, np.ones((4, 5), np.float32))
    with pytest.raises(IrisError, match="holds depth, not colours"):
        decode(npy, DepthSettings(codec="viridis"))
    assert decode(npy, DepthSettings(codec="npy")).decoding.codec == "npy"
    with pytest.raises(IrisError, match="unknown depth codec 'jet'; known: .*viridis"):
        decode(npy, DepthSettings(codec="jet"))


def test_build_scene_normals_come_from_the_grid_unproject_built(tmp_path):
    path = write_map(tmp_path / "map.png", np.full((12, 16), 3.0))
    scene = build_scene(path, None, DepthSettings(hfov_deg=60.0))
    grid = scene.cloud.grid
    assert grid is not None and grid.keep.all()
    np.testing.assert_array_equal(
        scene.colours["normal"], grid.normal_colours()[scene.cloud.pixels]
    )
    # A fronto-parallel wall: interior normals face the camera (+z toward it: blue high)
    inner = scene.colours["normal"].reshape(12, 16, 3)[1:-1, 1:-1]
    assert (inner == inner[0, 0]).all() and inner[0, 0, 2] > 200
    only = build_scene(path, None, DepthSettings(), colour_modes=["normal"])
    assert set(only.colours) == {"normal"}
    np.testing.assert_array_equal(only.colours["normal"], scene.colours["normal"])


def test_export_writes_each_kind_atomically_and_refuses_unknown_kinds(tmp_path):
    depth = np.full((6, 8), 2.0, np.float32)
    depth[0, 0] = np.nan
    scene = build_scene(write_map(tmp_path / "map.png", depth), None, DepthSettings())
    written = export("depth", tmp_path / "out" / "d.npy", scene.decoding.depth, scene.cloud)
    np.testing.assert_array_equal(np.load(written), scene.decoding.depth)
    points = np.load(export("points", tmp_path / "p.npy", scene.decoding.depth, scene.cloud))
    assert points.shape == (len(scene.cloud), 6)
    ply = export("ply", tmp_path / "c.ply", scene.decoding.depth, scene.cloud)
    assert ply.read_bytes().startswith(b"ply\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.ply", "map.png", "out", "p.npy"]
    with pytest.raises(IrisError, match="unknown depth export 'obj'; known: depth, ply, points"):
        export("obj", tmp_path / "x.obj", scene.decoding.depth, scene.cloud)
    (tmp_path / "dir.npy").mkdir()
    with pytest.raises(IrisError, match="cannot write"):
        export("depth", tmp_path / "dir.npy", scene.decoding.depth, scene.cloud)
