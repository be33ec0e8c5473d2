"""An ordinary photo decoded as a colour-coded depth map is flagged; real maps are not."""

from __future__ import annotations

import numpy as np

from core.depth.plausibility import depth_warning


def test_mostly_masked_colour_maps_warn_and_raw_maps_never_do():
    assert depth_warning({"codec": "vision-banana", "masked_fraction": 0.936}).startswith("94%")
    assert depth_warning({"codec": "vision-banana", "masked_fraction": 0.2}) is None
    assert depth_warning({"codec": "vision-banana", "masked_fraction": 0.5}) is None
    assert depth_warning({"codec": "png16", "masked_fraction": 0.99}) is None


def test_a_photo_warns_and_an_encoded_map_does_not(tmp_path):
    from core.depth.pipeline import decode
    from core.depth.settings import DepthSettings
    from core.imageio import save_png

    rng = np.random.default_rng(0)
    photo = tmp_path / "photo.png"
    save_png(photo, rng.uniform(0, 1, (64, 64, 3)).astype(np.float32))
    decoded = decode(photo, DepthSettings())
    assert depth_warning(decoded.decoding.stats()) is not None
