"""The Depth view's job: decode, unproject and colour the points three ways."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PIL import Image

from core.depth.codecs import make_codec
from core.depth.pipeline import DepthSettings, build_scene
from core.errors import Cancelled


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
    depth = np.full((10, 12), 1.25, np.float32)
    path = tmp_path / "raw.png"
    path.write_bytes(make_codec("png16").encode(depth))
    scene = build_scene(path, None, DepthSettings(codec="vision-banana"))
    assert scene.decoding.codec == "png16"
    np.testing.assert_allclose(scene.decoding.depth, 1.25)
