"""Preview sources: the whole image reduced, or the centre at full resolution."""

from __future__ import annotations

import numpy as np

from core.degrade.preview import load_preview_source, reduce_for_preview
from core.imageio import save_png


def test_fit_reduces_the_whole_image_keeping_its_aspect():
    image = np.random.default_rng(0).random((200, 400, 3)).astype(np.float32)
    small = reduce_for_preview(image, "fit", 100)
    assert small.shape == (50, 100, 3)
    assert abs(float(small.mean()) - float(image.mean())) < 0.01
    assert reduce_for_preview(image, "fit", 1000) is image  # never enlarged


def test_crop_keeps_the_centre_one_to_one(tmp_path):
    image = np.random.default_rng(1).random((200, 400, 3)).astype(np.float32)
    crop = reduce_for_preview(image, "crop", 100)
    assert np.array_equal(crop, image[50:150, 150:250])
    save_png(tmp_path / "i.png", image)
    loaded = load_preview_source(tmp_path / "i.png", "crop", 100)
    assert loaded.shape == (100, 100, 3)
