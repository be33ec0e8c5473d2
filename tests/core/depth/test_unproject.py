"""Unprojection: planes stay flat with the extents the field of view implies; exports read back."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image

from core.depth.normals import decode_normals, encode_normals
from core.depth.pointcloud import clean_cloud, estimate_normals, save_npy, save_ply
from core.depth.segmentation import colour_mask
from core.depth.unproject import Intrinsics, choose_intrinsics, unproject
from core.errors import IrisError


def test_fronto_parallel_plane_is_flat_with_the_fov_extents():
    width, height, z = 80, 60, 5.0
    depth = np.full((height, width), z, np.float32)
    intrinsics = Intrinsics.from_hfov(width, height, 60.0)
    cloud = unproject(depth, intrinsics, colour_mode="depth")
    assert len(cloud) == width * height
    np.testing.assert_allclose(cloud.points[:, 2], z)
    half_width = z * math.tan(math.radians(30.0))  # the frame's half-width at depth z
    pixel = 2 * half_width / width
    assert cloud.points[:, 0].min() == pytest.approx(-half_width + pixel / 2, rel=1e-5)
    assert cloud.points[:, 0].max() == pytest.approx(half_width - pixel / 2, rel=1e-5)
    half_height = half_width * height / width
    assert cloud.points[:, 1].max() == pytest.approx(half_height - pixel / 2, rel=1e-5)
    centred = cloud.points - cloud.points.mean(axis=0)
    normal = np.linalg.svd(centred, full_matrices=False)[2][-1]
    assert abs(abs(normal[2]) - 1) < 1e-6  # the plane faces the camera


def test_ray_distance_becomes_z_depth():
    depth = np.full((30, 40), 2.0, np.float32)
    intrinsics = Intrinsics.from_hfov(40, 30, 90.0)
    cloud = unproject(depth, intrinsics, depth_kind="ray")
    np.testing.assert_allclose(np.linalg.norm(cloud.points, axis=1), 2.0, rtol=1e-5)
    assert cloud.points[:, 2].min() < 1.5  # corners are nearer in z


def test_tilted_plane_stays_planar():
    width, height = 64, 48
    intrinsics = Intrinsics.from_hfov(width, height, 70.0)
    v = np.arange(height)[:, None] + 0.5
    yn = (v - intrinsics.cy) / intrinsics.fy
    depth = np.broadcast_to(3.0 / (1.0 - 0.5 * yn), (height, width)).astype(np.float32)
    cloud = unproject(depth, intrinsics)  # plane Z = 3 + 0.5 Y
    residual = cloud.points[:, 2] - (3.0 + 0.5 * cloud.points[:, 1])
    assert np.abs(residual).max() < 1e-4


def test_sky_masked_and_invalid_pixels_are_dropped_and_photo_is_resized():
    depth = np.full((10, 20), 1.0, np.float32)
    depth[0, :] = np.inf
    depth[1, :] = np.nan
    photo = np.zeros((20, 40, 3), np.uint8)
    photo[..., 0] = 200
    cloud = unproject(depth, Intrinsics.from_hfov(20, 10), photo=photo, colour_mode="photo")
    assert len(cloud) == 8 * 20
    assert (cloud.colours == [200, 0, 0]).all()
    normal_cloud = unproject(depth, Intrinsics.from_hfov(20, 10), colour_mode="normal")
    facing = decode_normals(normal_cloud.colours[None, 25:30]).normals[0]
    np.testing.assert_allclose(facing, [[0, 0, 1]] * 5, atol=0.02)  # faces the camera


def test_intrinsics_from_exif_focal_length(tmp_path):
    photo = tmp_path / "photo.jpg"
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0xA405] = 28
    Image.new("RGB", (300, 200)).save(photo, exif=exif)
    chosen = choose_intrinsics(600, 400, photo=photo)
    expected = 28 * math.hypot(600, 400) / math.hypot(36, 24)
    assert chosen.fx == pytest.approx(expected) and "EXIF" in chosen.source
    assert choose_intrinsics(600, 400, photo=photo, hfov_deg=50).hfov_deg == pytest.approx(50)
    assert choose_intrinsics(600, 400).hfov_deg == pytest.approx(60)
    assert choose_intrinsics(600, 400, intrinsics="500,400,300,200").fy == 400
    with pytest.raises(IrisError, match="fx,fy,cx,cy"):
        choose_intrinsics(600, 400, intrinsics="500,400")


def test_ply_reads_back_with_open3d(tmp_path):
    import open3d as o3d

    rng = np.random.default_rng(0)
    depth = rng.uniform(1, 5, (30, 40)).astype(np.float32)
    photo = rng.integers(0, 256, (30, 40, 3), dtype=np.uint8)
    cloud = unproject(depth, Intrinsics.from_hfov(40, 30), photo=photo)
    path = save_ply(tmp_path / "cloud.ply", cloud)
    read = o3d.io.read_point_cloud(str(path))
    np.testing.assert_array_equal(np.asarray(read.points, np.float32), cloud.points)
    np.testing.assert_array_equal(np.round(np.asarray(read.colors) * 255), cloud.colours)
    array = np.load(save_npy(tmp_path / "cloud.npy", cloud))
    np.testing.assert_array_equal(array[:, :3], cloud.points)


def test_open3d_cleanup_and_normals():
    rng = np.random.default_rng(1)
    points = np.c_[rng.uniform(-1, 1, (2000, 2)), np.full(2000, 4.0)].astype(np.float32)
    points = np.vstack([points, [[0, 0, 40.0]]]).astype(np.float32)  # one stray point
    colours = np.zeros((len(points), 3), np.uint8)
    kept, _ = clean_cloud(points, colours, outlier_neighbours=20)
    assert len(kept) < len(points) and kept[:, 2].max() < 5
    down, _ = clean_cloud(points, colours, voxel_size=0.2)
    assert len(down) < 200
    normals = estimate_normals(points[:-1], radius=0.2)
    assert np.abs(normals[:, 2]).min() > 0.99 and (normals[:, 2] < 0).all()  # toward camera


def test_normals_round_trip_and_validity():
    rng = np.random.default_rng(2)
    n = rng.normal(size=(20, 30, 3))
    n[..., 2] = np.abs(n[..., 2])
    n /= np.linalg.norm(n, axis=2, keepdims=True)
    colours = encode_normals(n)
    decoded = decode_normals(colours)
    assert decoded.valid.all()
    assert np.abs(decoded.normals - n).max() < 0.02
    assert (colours[0, 0] == np.round((np.array([-1, 1, 1]) * n[0, 0] + 1) / 2 * 255)).all()
    facing_left = decode_normals(np.array([[[255, 128, 128]]], np.uint8)).normals[0, 0]
    np.testing.assert_allclose(facing_left, [-1, 0, 0], atol=0.01)  # x is stored flipped
    up = decode_normals(np.array([[[128, 255, 128]]], np.uint8), flips=(False, True, False))
    np.testing.assert_allclose(up.normals[0, 0], [0, -1, 0], atol=0.01)
    background = decode_normals(np.zeros((1, 1, 3), np.uint8), length_tolerance=0.35)
    assert not background.valid.any() and np.isnan(background.normals).all()


def test_segmentation_colour_mask():
    image = np.zeros((40, 40, 3), np.uint8)
    image[10:30, 10:30] = (250, 245, 10)  # near pure yellow
    image[2, 2] = (255, 255, 0)  # a lone speck
    mask = colour_mask(image, "255,255,0", tolerance=30)
    assert mask[10:30, 10:30].all() and mask.sum() == 400
    assert colour_mask(image, "#ffff00", tolerance=30, clean=False)[2, 2]
    assert not colour_mask(image, (0, 0, 255), tolerance=30).any()
    assert colour_mask(image, "yellow", tolerance=30).sum() == 400  # a CSS colour name
    with pytest.raises(IrisError, match="CSS name"):
        colour_mask(image, "yellowish")
