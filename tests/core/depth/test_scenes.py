"""The Depth view's normal and segmentation scenes built from files, with and without a photo:
display colours, invalid pixels, the overlay's blend (computed here by hand) and cancels."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PIL import Image

from core.depth.normal_scene import INVALID_RGB, build_normal_scene
from core.depth.segmentation_scene import OVERLAY_ALPHA, UNASSIGNED_DIM, build_segmentation_scene
from core.errors import Cancelled


def _png(path, pixels):
    Image.fromarray(np.asarray(pixels, dtype=np.uint8)).save(path)
    return path


def test_a_normal_map_without_a_photo(tmp_path):
    pixels = np.zeros((2, 3, 3), np.uint8)
    pixels[...] = (128, 128, 255)  # facing the camera: x stored flipped, R = (1 - x) / 2
    pixels[1, 2] = (0, 0, 0)  # length sqrt(3): not a unit vector
    steps = []
    scene = build_normal_scene(
        _png(tmp_path / "n.png", pixels), progress=lambda *a: steps.append(a)
    )
    assert scene.photo is None
    assert scene.decoding.valid.tolist() == [[True, True, True], [True, True, False]]
    assert np.allclose(scene.decoding.normals[0, 0], (0.0, 0.0, 1.0), atol=0.01)
    assert tuple(scene.image[1, 2]) == INVALID_RGB
    assert np.abs(scene.image[0, 0].astype(int) - (128, 128, 255)).max() <= 1
    assert steps == [(0, 2), (2, 2)]


def test_a_normal_map_with_a_photo_resizes_the_photo_to_the_map(tmp_path):
    normals = _png(tmp_path / "n.png", np.full((2, 3, 3), (128, 128, 255)))
    photo = _png(tmp_path / "p.png", np.full((4, 6, 3), (10, 20, 30)))
    scene = build_normal_scene(normals, photo)
    assert scene.photo.shape == (2, 3, 3)
    assert (scene.photo == (10, 20, 30)).all()


def test_a_cancelled_normal_scene_stops(tmp_path):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        build_normal_scene(_png(tmp_path / "n.png", np.full((2, 2, 3), 128)), cancel=cancel)


CLASSES = {"sky": (0, 0, 255), "tree": (0, 255, 0)}


def _blend(base, colour):
    return np.round((1 - OVERLAY_ALPHA) * np.array(base) + OVERLAY_ALPHA * np.array(colour))


def test_a_segmentation_without_a_photo_is_overlaid_on_grey(tmp_path):
    painted = np.array([[(0, 0, 255), (0, 255, 0), (255, 0, 0)]], np.uint8)  # red: no class
    scene = build_segmentation_scene(_png(tmp_path / "s.png", painted), None, CLASSES)
    assert scene.photo is None
    assert scene.result.labels.tolist() == [[0, 1, -1]]
    assert (scene.map_image == painted).all()
    assert scene.overlay[0, 0].tolist() == _blend((160,) * 3, (0, 0, 255)).tolist()
    assert scene.overlay[0, 1].tolist() == _blend((160,) * 3, (0, 255, 0)).tolist()
    assert scene.overlay[0, 2].tolist() == [round(UNASSIGNED_DIM * 160)] * 3


def test_a_segmentation_with_a_photo_blends_into_the_photo(tmp_path):
    painted = _png(tmp_path / "s.png", np.array([[(0, 0, 255), (255, 0, 0)]], np.uint8))
    photo = _png(tmp_path / "p.png", np.full((2, 4, 3), (200, 100, 50)))
    scene = build_segmentation_scene(painted, photo, CLASSES)
    assert scene.photo.shape == (1, 2, 3) and (scene.photo == (200, 100, 50)).all()
    assert scene.overlay[0, 0].tolist() == _blend((200, 100, 50), (0, 0, 255)).tolist()
    expected_dim = np.round(UNASSIGNED_DIM * np.array((200, 100, 50)))
    assert scene.overlay[0, 1].tolist() == expected_dim.tolist()
