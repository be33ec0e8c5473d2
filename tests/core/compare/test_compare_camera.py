"""The shared camera: every view shows the same normalized region, whatever the image size."""

from __future__ import annotations

import pytest

from core.compare.camera import Camera


def test_x2_image_pixel_2x_lands_inside_pixel_x_of_the_frame():
    cam = Camera(frame_width=100, frame_height=80, zoom=6.0, center_u=0.3, center_v=0.7)
    view = (640.0, 480.0)
    small = cam.placement((100, 80), (0, 0), view)
    big = cam.placement((200, 160), (0, 0), view)
    for x, y in [(0, 0), (13, 27), (99, 79)]:
        # The corner of pixel (2x, 2y) of the x2 image is the corner of pixel (x, y).
        assert big.to_screen(2 * x, 2 * y) == pytest.approx(small.to_screen(x, y))
        # Its far corner is the middle of pixel (x, y).
        assert big.to_screen(2 * x + 1, 2 * y + 1) == pytest.approx(
            small.to_screen(x + 0.5, y + 0.5)
        )


def test_zoom_about_keeps_the_point_under_the_pointer():
    cam = Camera(frame_width=400, frame_height=300)
    view = (200.0, 150.0)
    cam.fit(view)
    before = cam.screen_to_normalized(37.0, 101.0, view)
    cam.zoom_about(3.7, 37.0, 101.0, view)
    assert cam.zoom == pytest.approx(0.5 * 3.7)
    assert cam.screen_to_normalized(37.0, 101.0, view) == pytest.approx(before)


def test_fit_pan_and_actual_size():
    cam = Camera(frame_width=400, frame_height=100)
    cam.fit((200.0, 200.0))
    assert cam.zoom == pytest.approx(0.5)
    assert (cam.center_u, cam.center_v) == (0.5, 0.5)
    cam.pan(20.0, 0.0)  # drag right by 20 screen px = 40 frame px
    assert cam.center_u == pytest.approx(0.5 - 40 / 400)
    cam.actual_size(800)  # a x2 image at 1:1
    assert cam.image_scale(800) == pytest.approx(1.0)
    assert cam.image_scale(400) == pytest.approx(2.0)


def test_offset_shifts_one_view_by_its_own_pixels():
    cam = Camera(frame_width=50, frame_height=50, zoom=4.0)
    view = (200.0, 200.0)
    plain = cam.placement((50, 50), (0, 0), view)
    shifted = cam.placement((50, 50), (3, -2), view)
    assert shifted.to_screen(10, 10) == pytest.approx(
        (plain.to_screen(10, 10)[0] + 12, plain.to_screen(10, 10)[1] - 8)
    )
    assert shifted.to_image(*shifted.to_screen(7.25, 9.5)) == pytest.approx((7.25, 9.5))


def test_snap_center_puts_the_frame_corner_on_a_whole_pixel():
    cam = Camera(frame_width=64, frame_height=48, zoom=3.0, center_u=0.4137, center_v=0.61)
    view = (301.0, 200.0)
    cam.snap_center(view)
    x, y = cam.placement((64, 48), (0, 0), view).to_screen(0, 0)
    assert x == pytest.approx(round(x)) and y == pytest.approx(round(y))


def test_state_round_trip():
    cam = Camera(frame_width=10, frame_height=10, zoom=2.5, center_u=0.2, center_v=0.9)
    other = Camera(frame_width=10, frame_height=10)
    other.update_from(cam.to_dict())
    assert other == cam
