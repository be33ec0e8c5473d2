"""Intrinsics rescaled between image sizes, against hand-computed values."""

from __future__ import annotations

import numpy as np
import pytest

from core.depth.intrinsics import format_intrinsics, rescale_intrinsics, split_size
from core.depth.unproject import Intrinsics, choose_intrinsics, unproject
from core.errors import IrisError


def test_halving_the_size_halves_focal_lengths_and_principal_point():
    assert rescale_intrinsics((500.0, 510.0, 320.0, 240.0), (640, 480), (320, 240)) == (
        250.0,
        255.0,
        160.0,
        120.0,
    )


def test_each_axis_scales_on_its_own():
    # 640x480 -> 1024x1024: sx = 1.6, sy = 1024/480 = 2.1333...
    fx, fy, cx, cy = rescale_intrinsics((600.0, 600.0, 330.0, 250.0), (640, 480), (1024, 1024))
    assert fx == pytest.approx(960.0)
    assert cx == pytest.approx(528.0)
    assert fy == pytest.approx(1280.0)
    assert cy == pytest.approx(533.3333333)


def test_an_intrinsics_record_keeps_its_field_of_view_and_says_it_was_rescaled():
    k = Intrinsics(1000.0, 1000.0, 960.0, 540.0, 1920, 1080, "explicit")
    small = rescale_intrinsics(k, (1920, 1080), (960, 540))
    assert (small.fx, small.fy, small.cx, small.cy) == (500.0, 500.0, 480.0, 270.0)
    assert (small.width, small.height) == (960, 540)
    assert small.hfov_deg == pytest.approx(k.hfov_deg)
    assert small.source == "explicit, rescaled from 1920x1080"
    assert rescale_intrinsics(k, (1920, 1080), (1920, 1080)) is k


def test_a_rescaled_camera_unprojects_a_pixel_to_the_same_ray():
    """The centre of pixel (u, v) at full size and at half size see the same point."""
    big = Intrinsics(800.0, 800.0, 400.0, 300.0, 800, 600)
    small = rescale_intrinsics(big, (800, 600), (400, 300))
    depth_big, depth_small = np.full((600, 800), 2.0), np.full((300, 400), 2.0)
    p_big = unproject(depth_big, big).points.reshape(600, 800, 3)
    p_small = unproject(depth_small, small).points.reshape(300, 400, 3)
    # the 2x2 block (100..101, 200..201) at full size covers pixel (50, 100) at half size
    np.testing.assert_allclose(p_big[100:102, 200:202].mean(axis=(0, 1)), p_small[50, 100], 1e-5)


def test_choose_intrinsics_rescales_text_given_for_another_size():
    k = choose_intrinsics(320, 240, intrinsics="500,500,320,240@640x480")
    assert (k.fx, k.fy, k.cx, k.cy, k.width, k.height) == (250, 250, 160, 120, 320, 240)
    assert "rescaled from 640x480" in k.source
    same = choose_intrinsics(640, 480, intrinsics="500,500,320,240@640x480")
    assert (same.fx, same.cx, same.source) == (500, 320, "explicit")
    assert split_size(format_intrinsics(1, 2, 3.5, 4, (7, 9))) == ("1.0,2.0,3.5,4.0", (7, 9))


@pytest.mark.parametrize(
    "text",
    ["500,500,320,240@640", "500,500,320,240@0x480", "nan,500,320,240", "500,500,inf,240",
     "500,500,320,240@axb"],
)  # fmt: skip
def test_bad_intrinsics_text_is_one_line_error(text):
    with pytest.raises(IrisError):
        choose_intrinsics(320, 240, intrinsics=text)


def test_bad_sizes_are_refused():
    with pytest.raises(IrisError):
        rescale_intrinsics((1.0, 1.0, 1.0, 1.0), (0, 10), (10, 10))
    with pytest.raises(IrisError):
        rescale_intrinsics((1.0, 1.0, 1.0), (10, 10), (10, 10))
