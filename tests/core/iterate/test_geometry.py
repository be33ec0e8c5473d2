"""Geometry: a step's crop and aspect change are found, and mirror/rotate are undone."""

from __future__ import annotations

import numpy as np
from PIL import Image

from core.iterate.geometry import aligned_to_original, psnr, step_geometry
from core.iterate.schedules import Transform


def scene(h: int = 120, w: int = 220) -> np.ndarray:
    rng = np.random.default_rng(3)
    blocks = rng.uniform(0, 1, (h // 10, w // 10, 3)).astype(np.float32)
    return np.kron(blocks, np.ones((10, 10, 1), np.float32))


def resize(pixels: np.ndarray, w: int, h: int) -> np.ndarray:
    image = Image.fromarray(np.round(pixels * 255).astype(np.uint8))
    return np.asarray(image.resize((w, h), Image.Resampling.BICUBIC), np.float32) / 255


def test_a_side_crop_to_a_squarer_ratio_is_located():
    original = scene()
    cropped = resize(original[:, 40:200], 80, 60)  # the editor kept x 40..200, then halved it
    info = step_geometry(original, cropped, Transform(), (220, 120))
    assert info["width"] == 80 and info["height"] == 60 and info["resized"]
    assert info["aspect_change"]["from"] == [220, 120] and info["aspect_change"]["to"] == [80, 60]
    crop = info["crop"]
    assert crop["y"] == 0 and crop["h"] == 120 and crop["w"] == 160
    assert abs(crop["x"] - 40) <= 4
    ref, step = aligned_to_original(original, cropped, Transform(), crop)
    assert ref.shape == step.shape and psnr(ref, step) > 18


def test_a_faithful_rotation_is_no_aspect_change_and_aligns_exactly():
    original = scene()
    turned = np.ascontiguousarray(np.rot90(original[:, ::-1], -1))
    expected = Transform(mirror=True, quarter_turns=1)
    info = step_geometry(original, turned, expected, (220, 120))
    assert info["aspect_change"] is None and info["crop"] is None
    assert (info["width"], info["height"]) == (120, 220)
    ref, step = aligned_to_original(original, turned, expected, None)
    assert psnr(ref, step) == float("inf")
    wrong_ref, wrong = aligned_to_original(original, turned, Transform(quarter_turns=1), None)
    assert psnr(wrong_ref, wrong) < 20, "not undoing the mirror must show"
