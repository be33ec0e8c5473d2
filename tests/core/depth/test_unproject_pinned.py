"""Unprojection pinned to the pinhole model worked by hand (docs/domain.md section 4).

OpenCV camera frame (+x right, +y down, +z forward), pixel centres at u + 0.5:
X = (u + 0.5 - cx) Z / fx, Y = (v + 0.5 - cy) Z / fy; ray distance r: Z = r / sqrt(1 + xn^2 + yn^2).
Every expected value below is written out by hand or by a line of numpy that restates the
formula, never read back from the code under test.
"""

from __future__ import annotations

import contextlib
import math
import threading
import warnings

import numpy as np
import pytest
from PIL import Image

import core.imageio
from core.depth.unproject import (
    CameraGrid,
    Intrinsics,
    camera_grid,
    choose_intrinsics,
    depth_colours,
    depth_display_range,
    exif_focal_35mm,
    normal_colours,
    normals_from_points,
    resize_to,
    unproject,
)
from core.errors import IrisError
from core.jobs import Cancelled

# fx = 2, fy = 4, cx = 1, cy = 0.5 on a 3 x 2 map:
# xn = (u + 0.5 - 1) / 2 = -0.25, 0.25, 0.75; yn = (v + 0.5 - 0.5) / 4 = 0, 0.25
SMALL = Intrinsics(2.0, 4.0, 1.0, 0.5, 3, 2)
XN = [-0.25, 0.25, 0.75]
YN = [0.0, 0.25]


@contextlib.contextmanager
def no_warnings():
    """A context in which any warning (numpy's RuntimeWarnings included) is an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def exif_photo(path, f35):
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0xA405] = f35
    Image.new("RGB", (30, 20)).save(path, exif=exif)
    return path


# --- Intrinsics -------------------------------------------------------------------------------


def test_from_hfov_by_hand():
    k = Intrinsics.from_hfov(200, 100, 90.0)  # f = 100 / tan(45 deg) = 100
    assert (k.fx, k.fy) == (pytest.approx(100.0), pytest.approx(100.0))
    assert (k.cx, k.cy, k.width, k.height) == (100.0, 50.0, 200, 100)
    assert k.source == "hfov 90 deg"
    k = Intrinsics.from_hfov(300, 120, 60.0)  # f = 150 / tan(30 deg) = 150 sqrt(3)
    assert k.fx == pytest.approx(150 * math.sqrt(3)) and k.fy == pytest.approx(150 * math.sqrt(3))
    assert (k.cx, k.cy) == (150.0, 60.0)
    assert Intrinsics.from_hfov(300, 120, 62.5).source == "hfov 62.5 deg"


def test_from_hfov_default_is_60_degrees():
    k = Intrinsics.from_hfov(300, 120)
    assert k.fx == pytest.approx(150 * math.sqrt(3)) and k.source == "hfov 60 deg"


@pytest.mark.parametrize("hfov", [0.5, 1.0, 90.0, 179.0, 179.5])
def test_from_hfov_accepts_the_open_interval(hfov):
    k = Intrinsics.from_hfov(200, 100, hfov)
    assert k.fx == pytest.approx(100.0 / math.tan(math.radians(hfov) / 2.0))


@pytest.mark.parametrize("hfov", [0.0, -1.0, 180.0, 180.5, 181.0, math.nan, math.inf, -math.inf])
def test_from_hfov_refuses_outside_0_180(hfov):
    with pytest.raises(IrisError, match=r"horizontal field of view must be in \(0, 180\) degrees"):
        Intrinsics.from_hfov(200, 100, hfov)


def test_from_focal_35mm_by_hand():
    # 360 x 240 has the 36 x 24 mm frame's shape, ten times larger: f_px = 10 f35
    k = Intrinsics.from_focal_35mm(360, 240, 28.0)
    assert (k.fx, k.fy) == (pytest.approx(280.0), pytest.approx(280.0))
    assert (k.cx, k.cy, k.width, k.height) == (180.0, 120.0, 360, 240)
    assert k.source == "EXIF 35mm 28 mm"
    k = Intrinsics.from_focal_35mm(400, 300, 50.0)  # diagonal 500 px over sqrt(36^2 + 24^2) mm
    assert k.fx == pytest.approx(50.0 * 500.0 / math.sqrt(36**2 + 24**2))
    assert (k.cx, k.cy) == (200.0, 150.0)
    assert Intrinsics.from_focal_35mm(360, 240, 0.5).fx == pytest.approx(5.0)


@pytest.mark.parametrize("f35", [0.0, -1.0, -math.inf, math.nan, math.inf])
def test_from_focal_35mm_refuses_non_positive_and_non_finite(f35):
    with pytest.raises(IrisError, match="35 mm-equivalent focal length must be positive"):
        Intrinsics.from_focal_35mm(360, 240, f35)


def test_parse_reads_four_numbers():
    k = Intrinsics.parse(" 500, 400 ,300.5,-20", 640, 480)
    assert (k.fx, k.fy, k.cx, k.cy, k.width, k.height) == (500.0, 400.0, 300.5, -20.0, 640, 480)
    assert k.source == "explicit"
    small = Intrinsics.parse("0.5,0.5,0,0", 4, 3)  # any positive focal length is accepted
    assert (small.fx, small.fy) == (0.5, 0.5)


@pytest.mark.parametrize("text", ["500,400,300", "500,400,300,200,1", "a,b,c,d", "", "1;2;3;4"])
def test_parse_refuses_other_than_four_numbers(text):
    with pytest.raises(IrisError, match="must be four numbers fx,fy,cx,cy"):
        Intrinsics.parse(text, 640, 480)


@pytest.mark.parametrize("text", ["inf,400,1,2", "500,nan,1,2", "500,400,inf,2", "500,400,1,-inf"])
def test_parse_refuses_non_finite(text):
    with pytest.raises(IrisError, match="must be finite numbers"):
        Intrinsics.parse(text, 640, 480)


@pytest.mark.parametrize("text", ["0,400,1,2", "500,0,1,2", "-1,400,1,2", "500,-1,1,2"])
def test_parse_refuses_non_positive_focal_lengths(text):
    with pytest.raises(IrisError, match="fx and fy must be positive"):
        Intrinsics.parse(text, 640, 480)


def test_hfov_deg_and_as_dict():
    assert Intrinsics(100.0, 50.0, 0.0, 0.0, 200, 100).hfov_deg == pytest.approx(90.0)
    wide = Intrinsics(100.0, 50.0, 1.0, 2.0, 300, 100, "mine")
    assert wide.hfov_deg == pytest.approx(2 * math.degrees(math.atan(1.5)))
    assert wide.as_dict() == {
        "fx": 100.0,
        "fy": 50.0,
        "cx": 1.0,
        "cy": 2.0,
        "width": 300,
        "height": 100,
        "source": "mine",
        "hfov_deg": pytest.approx(112.61986494804043),
    }


# --- EXIF and the choice of intrinsics ---------------------------------------------------------


def test_exif_focal_35mm_of_a_photo(tmp_path):
    assert exif_focal_35mm(exif_photo(tmp_path / "a.jpg", 28)) == 28.0
    plain = tmp_path / "plain.jpg"
    Image.new("RGB", (30, 20)).save(plain)
    assert exif_focal_35mm(plain) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (28, 28.0),
        ("0.5", 0.5),
        (0, None),
        ("0.0", None),  # truthy text, but zero is no focal length
        ("-5", None),
        ("nan", None),
        ("inf", None),
        (None, None),
        ("abc", None),  # ValueError
        (object(), None),  # TypeError
    ],
)
def test_exif_focal_35mm_values(monkeypatch, value, expected):
    monkeypatch.setattr(core.imageio, "read_exif", lambda photo: {0xA405: value})
    assert exif_focal_35mm("photo.jpg") == expected


def test_exif_focal_35mm_other_tags_and_unreadable(monkeypatch):
    monkeypatch.setattr(core.imageio, "read_exif", lambda photo: {0xA404: 28, 0x920A: 28})
    assert exif_focal_35mm("photo.jpg") is None

    def unreadable(photo):
        raise IrisError("not an image")

    monkeypatch.setattr(core.imageio, "read_exif", unreadable)
    assert exif_focal_35mm("photo.jpg") is None


def test_choose_intrinsics_order(tmp_path):
    photo = exif_photo(tmp_path / "a.jpg", 28)
    explicit = choose_intrinsics(360, 240, intrinsics="500,400,300,200", hfov_deg=50, photo=photo)
    assert (explicit.fx, explicit.fy, explicit.cx, explicit.cy) == (500, 400, 300, 200)
    assert explicit.source == "explicit" and (explicit.width, explicit.height) == (360, 240)
    fov = choose_intrinsics(360, 240, hfov_deg=50, photo=photo)
    assert fov.fx == pytest.approx(180 / math.tan(math.radians(25)))
    exif = choose_intrinsics(360, 240, photo=photo)
    assert exif.fx == pytest.approx(280.0) and exif.source == "EXIF 35mm 28 mm"
    plain = tmp_path / "plain.jpg"
    Image.new("RGB", (30, 20)).save(plain)
    default = choose_intrinsics(360, 240, photo=plain)
    assert default.fx == pytest.approx(180 * math.sqrt(3)) and default.source == "hfov 60 deg"
    assert (default.cx, default.cy, default.width, default.height) == (180, 120, 360, 240)
    assert choose_intrinsics(360, 240).source == "hfov 60 deg"
    empty = choose_intrinsics(360, 240, intrinsics="", hfov_deg=50)
    assert empty.source == "hfov 50 deg"


def test_choose_intrinsics_zero_fov_is_refused_not_replaced():
    with pytest.raises(IrisError, match="field of view"):
        choose_intrinsics(360, 240, hfov_deg=0.0)


def test_choose_intrinsics_rescales_sized_intrinsics():
    half = choose_intrinsics(320, 240, intrinsics="100,200,30,40@640x480")
    assert (half.fx, half.fy, half.cx, half.cy) == (50.0, 100.0, 15.0, 20.0)
    assert (half.width, half.height) == (320, 240) and "rescaled from 640x480" in half.source
    # fx, cx scale with the widths (x2), fy, cy with the heights (x0.5)
    odd = choose_intrinsics(1280, 240, intrinsics="100,200,30,40@640x480")
    assert (odd.fx, odd.fy, odd.cx, odd.cy) == (200.0, 100.0, 60.0, 20.0)
    same = choose_intrinsics(640, 480, intrinsics="100,200,30,40@640x480")
    assert (same.fx, same.fy, same.cx, same.cy, same.source) == (100, 200, 30, 40, "explicit")
    assert (same.width, same.height) == (640, 480)


# --- The camera grid ---------------------------------------------------------------------------


def test_camera_grid_rays_by_hand():
    depth = np.array([[1, 2, 3], [4, 5, 6]], np.float32)
    grid = camera_grid(depth, SMALL)
    assert grid.xn.shape == (1, 3) and grid.yn.shape == (2, 1)
    assert grid.xn.dtype == np.float32 and grid.yn.dtype == np.float32
    np.testing.assert_allclose(grid.xn[0], XN, atol=1e-7)
    np.testing.assert_allclose(grid.yn[:, 0], YN, atol=1e-7)
    np.testing.assert_array_equal(grid.z, depth)  # z-depth is the default kind
    assert np.shares_memory(grid.z, depth)  # a float32 map is not copied
    assert grid.keep.all()
    wide = camera_grid(depth.astype(np.float64), SMALL, depth_kind="z")
    assert wide.z.dtype == np.float32
    np.testing.assert_array_equal(wide.z, depth)


def test_camera_grid_ray_distance_by_hand():
    depth = np.full((2, 3), 2.0, np.float32)
    grid = camera_grid(depth, SMALL, depth_kind="ray")
    expected = [[2.0 / math.sqrt(1 + x * x + y * y) for x in XN] for y in YN]
    np.testing.assert_allclose(grid.z, expected, rtol=1e-6)


def test_camera_grid_keeps_finite_positive_and_valid_pixels():
    depth = np.array([[0.0, -1.0, np.nan], [np.inf, 1e-30, 5.0]], np.float32)
    assert camera_grid(depth, SMALL).keep.tolist() == [[False] * 3, [False, True, True]]
    valid = np.array([[True, True, True], [True, False, True]])
    kept = camera_grid(depth, SMALL, valid=valid).keep
    assert kept.tolist() == [[False] * 3, [False, False, True]]


@pytest.mark.parametrize("kind", ["Z", "rays", "", "distance"])
def test_camera_grid_refuses_unknown_depth_kinds(kind):
    with pytest.raises(IrisError, match=f"depth kind {kind!r} must be one of z, ray"):
        camera_grid(np.ones((2, 3), np.float32), SMALL, depth_kind=kind)


def test_organised_points_by_hand():
    depth = np.array([[1, np.nan, 3], [np.inf, 5, 6]], np.float32)
    xyz = camera_grid(depth, SMALL).organised()
    assert xyz.shape == (2, 3, 3) and xyz.dtype == np.float32
    np.testing.assert_allclose(xyz[0, 0], [-0.25, 0.0, 1.0])
    np.testing.assert_allclose(xyz[0, 2], [2.25, 0.0, 3.0])
    np.testing.assert_allclose(xyz[1, 1], [1.25, 1.25, 5.0])
    np.testing.assert_allclose(xyz[1, 2], [4.5, 1.5, 6.0])
    assert np.isnan(xyz[0, 1]).all() and np.isnan(xyz[1, 0]).all()  # inf becomes NaN too


def test_organised_never_warns():
    grid = CameraGrid(
        np.array([[np.inf, 2.0]], np.float32),
        np.array([[1.0]], np.float32),
        np.array([[0.0, 3e38]], np.float32),
        np.ones((1, 2), bool),
    )
    with no_warnings():
        xyz = grid.organised()  # inf * 0 is invalid, 2 * 3e38 overflows float32
    assert np.isnan(xyz[0, 0, 0]) and np.isinf(xyz[0, 1, 0])


# --- Normals of the organised points -----------------------------------------------------------


def plane_points(height=4, width=5):
    """z = 5 + 0.5 x + 0.25 y on the grid x = u, y = v: normal along (0.5, 0.25, -1)."""
    v, u = np.mgrid[0:height, 0:width].astype(np.float64)
    return np.stack([u, v, 5.0 + 0.5 * u + 0.25 * v], axis=2)


def test_normals_of_a_plane_by_hand():
    n = normals_from_points(plane_points())
    assert n.shape == (4, 5, 3)
    # central differences dx = (2, 0, 1), dy = (0, 2, 0.5); dy x dx = (2, 1, -4): toward the camera
    np.testing.assert_allclose(n[1:-1, 1:-1], np.broadcast_to([2, 1, -4] / np.sqrt(21), (2, 3, 3)))
    border = np.ones((4, 5), bool)
    border[1:-1, 1:-1] = False
    assert np.isnan(n[border]).all()  # no neighbour on one side: no normal


def test_normals_of_a_curved_surface_use_the_two_neighbours():
    # z = x^2 on x = u: at u the central difference is (u+1)^2 - (u-1)^2 = 4u, over dx = 2
    v, u = np.mgrid[0:3, 0:5].astype(np.float64)
    xyz = np.stack([u, v, u * u], axis=2)
    n = normals_from_points(xyz)
    for col in (1, 2, 3):
        expected = np.array([2 * col, 0.0, -1.0]) / math.hypot(2 * col, 1.0)  # dz/dx = 2u
        np.testing.assert_allclose(n[1, col], expected)


def test_normals_never_warn():
    xyz = plane_points(3, 3)
    xyz[0, 1] = [3e38, 3e38, 3e38]
    xyz[2, 1] = [-3e38, -3e38, -3e38]
    xyz = xyz.astype(np.float32)
    with no_warnings():
        n = normals_from_points(xyz)  # borders 0/0; the huge differences overflow
    assert np.isnan(n[0, 0]).all()


def test_normals_of_a_tiny_surface_never_warn():
    # float32 points 1e-15 apart: the cross products (~4e-30) square to below float32's
    # smallest number, so the norm is 0 and the division is by zero
    xyz = (plane_points(3, 3) * 1e-15).astype(np.float32)
    with no_warnings():
        n = normals_from_points(xyz)
    assert n.shape == (3, 3, 3)


def test_normal_colours_by_hand():
    # OpenCV frame -> painted frame (+y up, +z toward the camera), then R=(1-x)/2, G=(1+y)/2,
    # B=(1+z)/2, rounded half to even
    cv = np.array([[[0, 0, -1], [1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [np.nan] * 3]])
    expected = [[128, 128, 255], [0, 128, 128], [128, 0, 128], [128, 255, 128], [128, 128, 0]]
    colours = normal_colours(cv)
    assert colours.dtype == np.uint8
    assert colours[0].tolist() == [*expected, [128, 128, 128]]  # no normal: grey
    # off the axes nothing saturates: (0.28, 0.96, 0) paints (1 - 0.28) * 127.5 = 91.8,
    # (1 - 0.96) * 127.5 = 5.1, 127.5; (0, 0.28, -0.96): 127.5, 0.72 * 127.5, 1.96 * 127.5
    tilted = normal_colours(np.array([[[0.28, 0.96, 0.0], [0.0, 0.28, -0.96]]]))
    assert tilted[0].tolist() == [[92, 5, 128], [128, 92, 250]]


def test_grid_normal_colours_of_a_flat_wall():
    depth = np.full((4, 5), 3.0, np.float32)
    colours = camera_grid(depth, Intrinsics.from_hfov(5, 4)).normal_colours()
    assert colours.shape == (20, 3)
    image = colours.reshape(4, 5, 3)
    assert (image[1:-1, 1:-1] == [128, 128, 255]).all()  # facing the camera: light blue
    assert (image[0] == [128, 128, 128]).all() and (image[:, -1] == [128, 128, 128]).all()


# --- unproject -------------------------------------------------------------------------------


def test_unproject_points_by_hand():
    depth = np.array([[1, np.nan, 3], [0, 5, np.inf]], np.float32)
    cloud = unproject(depth, SMALL, colour_mode="depth")
    assert len(cloud) == 3
    assert cloud.points.dtype == np.float32
    np.testing.assert_allclose(cloud.points, [[-0.25, 0, 1], [2.25, 0, 3], [1.25, 1.25, 5]])
    assert cloud.pixels.tolist() == [0, 2, 4] and cloud.pixels.dtype == np.int64
    assert cloud.intrinsics is SMALL
    np.testing.assert_array_equal(cloud.grid.keep, [[True, False, True], [False, True, False]])
    np.testing.assert_array_equal(cloud.grid.z, depth)


def test_unproject_ray_distance_and_valid_mask():
    depth = np.full((2, 3), 2.0, np.float32)
    valid = np.array([[True, False, True], [True, True, True]])
    cloud = unproject(depth, SMALL, depth_kind="ray", valid=valid, colour_mode="depth")
    assert cloud.pixels.tolist() == [0, 2, 3, 4, 5]
    np.testing.assert_allclose(np.linalg.norm(cloud.points, axis=1), 2.0, rtol=1e-6)
    x, y = 0.75, 0.0  # pixel 2
    z = 2.0 / math.sqrt(1 + x * x + y * y)
    np.testing.assert_allclose(cloud.points[1], [x * z, y * z, z], rtol=1e-6)


@pytest.mark.parametrize("mode", ["photos", "Photo", "", "normals"])
def test_unproject_refuses_unknown_colour_modes(mode):
    with pytest.raises(
        IrisError, match=f"colour mode {mode!r} must be one of photo, depth, normal"
    ):
        unproject(np.ones((2, 3), np.float32), SMALL, colour_mode=mode)


def photo_and_depth():
    depth = np.array([[1, np.nan, 3], [4, 5, 6]], np.float32)
    photo = np.arange(18, dtype=np.uint8).reshape(2, 3, 3) * 10
    return depth, photo


def test_unproject_photo_colours():
    depth, photo = photo_and_depth()
    cloud = unproject(depth, SMALL, photo=photo)  # "photo" is the default mode
    assert cloud.colours.tolist() == photo.reshape(-1, 3)[[0, 2, 3, 4, 5]].tolist()
    assert cloud.colours.dtype == np.uint8 and cloud.colours.flags.c_contiguous
    floats = unproject(depth, SMALL, photo=photo / 255.0, colour_mode="photo")
    assert floats.colours.tolist() == cloud.colours.tolist()
    big = np.repeat(np.repeat(photo, 2, axis=0), 2, axis=1)  # 2 x 2 blocks: the area mean
    assert unproject(depth, SMALL, photo=big).colours.tolist() == cloud.colours.tolist()


def test_unproject_depth_colours():
    depth, photo = photo_and_depth()
    expected = depth_colours(depth).reshape(-1, 3)[[0, 2, 3, 4, 5]].tolist()
    assert unproject(depth, SMALL, photo=photo, colour_mode="depth").colours.tolist() == expected
    assert unproject(depth, SMALL, colour_mode="photo").colours.tolist() == expected  # no photo
    drawn = np.arange(18, dtype=np.uint8).reshape(2, 3, 3) + 100
    given = unproject(depth, SMALL, colour_mode="depth", depth_image=drawn)
    assert given.colours.tolist() == drawn.reshape(-1, 3)[[0, 2, 3, 4, 5]].tolist()


def test_unproject_normal_colours():
    depth = np.full((4, 5), 3.0, np.float32)
    depth[0, 0] = np.nan
    photo = np.zeros((4, 5, 3), np.uint8)
    cloud = unproject(depth, Intrinsics.from_hfov(5, 4), photo=photo, colour_mode="normal")
    assert len(cloud) == 19
    image = np.full((20, 3), -1)
    image[cloud.pixels] = cloud.colours
    image = image.reshape(4, 5, 3)
    assert (image[1:-1, 1:-1] == [128, 128, 255]).all()
    assert (image[-1] == [128, 128, 128]).all()


def test_unproject_reports_progress_and_can_be_cancelled():
    depth = np.ones((2, 3), np.float32)
    calls = []
    unproject(depth, SMALL, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]

    cancel = threading.Event()
    cancel.set()
    calls.clear()
    with pytest.raises(Cancelled):
        unproject(depth, SMALL, progress=lambda d, t: calls.append((d, t)), cancel=cancel)
    assert calls == [(0, 3)]  # stopped once the grid was built

    late = threading.Event()

    def cancel_after_grid(done, total):
        calls.append((done, total))
        if done == 1:
            late.set()

    calls.clear()
    with pytest.raises(Cancelled):
        unproject(depth, SMALL, progress=cancel_after_grid, cancel=late)
    assert calls == [(0, 3), (1, 3)]  # stopped again once the points were made


def test_unproject_never_warns():
    # cx = 0.5: column 0 has xn = 0, and 0 * inf is invalid; 2 * 3e38 overflows float32
    depth = np.array([[np.inf, 1.0, 3e38]], np.float32)
    k = Intrinsics(0.5, 1.0, 0.5, 0.5, 3, 1)
    with no_warnings():
        cloud = unproject(depth, k, colour_mode="depth")
    assert cloud.pixels.tolist() == [1, 2]
    np.testing.assert_allclose(cloud.points[0], [2.0, 0.0, 1.0])
    assert np.isinf(cloud.points[1, 0])


# --- Photo resizing --------------------------------------------------------------------------


def test_resize_to_same_size_is_the_same_array():
    pixels = np.zeros((2, 4, 3), np.uint8)
    assert resize_to(pixels, 4, 2) is pixels


def test_resize_to_reads_width_and_height_not_channels():
    # 3 channels and a target width of 3: the image is 6 wide, so it is resized
    pixels = np.broadcast_to(np.arange(6, dtype=np.float32)[None, :, None] * 10, (2, 6, 3))
    out = resize_to(pixels.copy(), 3, 2)
    assert out.shape == (2, 3, 3)
    np.testing.assert_allclose(out[0, :, 0], [5, 25, 45], atol=1e-4)  # pairs averaged
    tall = np.zeros((5, 2, 3), np.float32)  # 5 rows, 2 wide: only the rows change
    assert resize_to(tall, 2, 3).shape == (3, 2, 3)


def test_resize_to_shrinks_with_the_area_filter():
    # [0, 30, 60] to two pixels of 1.5 source pixels: (0 + 15) / 1.5 = 10, (15 + 60) / 1.5 = 50
    # (a linear filter would sample at 0.25 and 1.75: 7.5 and 52.5)
    pixels = np.broadcast_to(np.array([0, 30, 60], np.float32)[None, :, None], (2, 3, 3)).copy()
    out = resize_to(pixels, 2, 2)
    assert out.shape == (2, 2, 3)
    np.testing.assert_allclose(out[..., 0], [[10, 50], [10, 50]], atol=1e-4)


def test_resize_to_enlarges_linearly():
    # [0, 100] to four pixels: centres sample at -0.25, 0.25, 0.75, 1.25 (clamped at the ends)
    pixels = np.broadcast_to(np.array([0, 100], np.float32)[None, :, None], (2, 2, 3)).copy()
    out = resize_to(pixels, 4, 2)
    np.testing.assert_allclose(out[0, :, 0], [0, 25, 75, 100], atol=1e-4)


def test_resize_to_same_width_fewer_rows_is_linear():
    # the width decides the filter: rows [0, 30, 60, 90] to three sample at 1/6, 1.5, 17/6
    pixels = np.broadcast_to(np.array([0, 30, 60, 90], np.float32)[:, None, None], (4, 2, 3))
    out = resize_to(pixels.copy(), 2, 3)
    assert out.shape == (3, 2, 3)
    np.testing.assert_allclose(out[:, 0, 0], [5, 45, 85], atol=1e-3)


# --- Depth false colours and their display range ----------------------------------------------


def turbo_uint8(name="turbo"):
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "resources" / "colormaps" / "colormaps.npz"
    with np.load(path) as data:
        return np.round(np.clip(data[name].astype(np.float64), 0, 1) * 255).astype(np.uint8)


def test_depth_display_range_by_hand():
    ramp = np.arange(1, 102, dtype=np.float32)  # 1..101: the 2nd percentile is 3, the 98th 99
    assert depth_display_range(ramp) == (3.0, 99.0)
    lo, hi = depth_display_range(ramp.reshape(1, -1))
    assert type(lo) is float and type(hi) is float
    dirty = np.concatenate([ramp, np.zeros(10), -np.ones(10), [np.nan, np.inf, -np.inf]])
    assert depth_display_range(dirty.astype(np.float32)) == (3.0, 99.0)


def test_depth_display_range_edges():
    nothing = np.array([0.0, -1.0, np.nan, np.inf], np.float32)
    assert depth_display_range(nothing) == (0.1, 1.0)
    one = np.array([0.0, np.nan, 5.0], np.float32)  # a single valid depth is a range
    assert depth_display_range(one) == (5.0, pytest.approx(5.05))
    assert depth_display_range(np.zeros((0,), np.float32)) == (0.1, 1.0)
    assert depth_display_range(np.full(5, 2.0)) == (2.0, pytest.approx(2.02))  # hi >= 1.01 lo
    assert depth_display_range(np.full(5, 1e-5)) == (1e-3, pytest.approx(1.01e-3))  # lo >= 1 mm


def test_depth_display_range_sampling():
    small = np.tile(np.array([1.0, 100.0], np.float32), 5)
    assert depth_display_range(small) == (1.0, 100.0)  # every value counts below 400000
    big = np.tile(np.array([1.0, 100.0], np.float32), 200_000)  # 400000: every other value
    assert depth_display_range(big) == (1.0, pytest.approx(1.01))
    odd = np.tile(np.array([1.0, 100.0], np.float32), 200_000)[:-1]  # 399999: step 1 again
    assert depth_display_range(odd) == (1.0, 100.0)


def expected_colours(depth, lo, hi, table):
    """Log scale between lo and hi, truncated to 0..255; also whether each pixel is at hi.

    At hi, t = (log hi - log lo) / log(hi / lo) is 1 only up to rounding, so the code may
    truncate 254.9999 to 254: those pixels are checked apart.
    """
    t = (np.log(np.clip(depth, lo, hi)) - math.log(lo)) / math.log(hi / lo)
    return table[np.floor(np.round(t * 255, 6)).astype(int)], depth >= hi


def check_colours(colours, depth, lo, hi, table):
    expected, top = expected_colours(depth, lo, hi, table)
    assert colours[~top].tolist() == expected[~top].tolist()
    assert all(c in (table[254].tolist(), table[255].tolist()) for c in colours[top].tolist())


def test_depth_colours_by_hand():
    ramp = np.arange(1, 102, dtype=np.float64)  # lo, hi = 3, 99 (see the range tests)
    depth = np.concatenate([ramp, [np.nan, np.inf, 0.0]]).astype(np.float32).reshape(8, 13)
    table = turbo_uint8()
    colours = depth_colours(depth)
    assert colours.shape == (8, 13, 3) and colours.dtype == np.uint8
    flat = colours.reshape(-1, 3)
    check_colours(flat[:101], ramp, 3.0, 99.0, table)
    assert flat[:3].tolist() == [table[0].tolist()] * 3  # 1, 2 and 3 m: the near end
    assert flat[101:].tolist() == [[0, 0, 0], [0, 0, 0], table[0].tolist()]  # NaN, inf black
    assert (depth_colours(depth, "turbo") == colours).all()
    grey = depth_colours(depth, "gray").reshape(-1, 3)
    check_colours(grey[:101], ramp, 3.0, 99.0, turbo_uint8("gray"))


def test_depth_colours_of_a_narrow_range():
    # 10 .. 10.5 m: log(hi / lo) is about 0.05, far from 1, and the ramp fills 0..255
    ramp = np.linspace(10.0, 10.5, 101)
    lo, hi = (float(v) for v in np.percentile(ramp, [2, 98]))
    colours = depth_colours(ramp.reshape(1, -1))
    check_colours(colours[0], ramp, lo, hi, turbo_uint8())
    flat = depth_colours(np.full((2, 2), 4.0))
    assert (flat == turbo_uint8()[0]).all()  # one depth: the near end of the map
    # beyond the range is painted as its ends: clipped to [lo, hi] before the log
    beyond = ramp > hi
    assert beyond.sum() == 2
    at_hi = colours[0, np.isclose(ramp, hi)]
    assert (colours[0, beyond] == at_hi).all()


def test_depth_colours_never_warn():
    depth = np.array([[0.0, -2.0, np.nan, np.inf, -np.inf, 1.0, 2.0, 3.0]], np.float32)
    with no_warnings():
        colours = depth_colours(depth)
    table = turbo_uint8()
    # 0 and -2 m are finite: painted as the near end (no log of 0 or of a negative number);
    # NaN and the infinities are black
    assert colours[0, :2].tolist() == [table[0].tolist()] * 2
    assert colours[0, 2:5].tolist() == [[0, 0, 0]] * 3
