"""Point-cloud export without colours, empty clouds refused, and clean-up that has nothing to do."""

from __future__ import annotations

import numpy as np
import pytest

from core.depth.pointcloud import clean_cloud, npy_bytes, ply_bytes, save_ply
from core.depth.unproject import Intrinsics, PointCloud
from core.errors import IrisError


def test_no_cleanup_asked_returns_the_very_arrays():
    points = np.zeros((3, 3), np.float32)
    colours = np.zeros((3, 3), np.uint8)
    for voxel, neighbours in ((None, None), (0.0, 0), (None, 0)):
        kept, kept_colours = clean_cloud(
            points, colours, voxel_size=voxel, outlier_neighbours=neighbours
        )
        assert kept is points and kept_colours is colours


def test_ply_without_colours_has_only_the_coordinates():
    points = np.array([[1.0, -2.0, 0.5], [0.0, 0.25, 3.0]], np.float64)
    data = ply_bytes(points)
    header = (
        b"ply\nformat binary_little_endian 1.0\ncomment IRIS depth export\n"
        b"element vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n"
    )
    assert data == header + points.astype("<f4").tobytes()


def test_ply_with_colours_interleaves_them_after_each_point():
    points = np.array([[1.0, 2.0, 3.0]], np.float32)
    data = ply_bytes(points, np.array([[10, 20, 30]], np.uint8))
    assert b"property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n" in data
    assert data.endswith(points.astype("<f4").tobytes() + bytes([10, 20, 30]))


def test_an_empty_cloud_is_not_exported(tmp_path):
    cloud = PointCloud(
        np.zeros((0, 3), np.float32),
        np.zeros((0, 3), np.uint8),
        np.zeros(0, np.int64),
        Intrinsics.from_hfov(4, 3),
    )
    with pytest.raises(IrisError, match=r"empty\.ply: nothing to export, the point cloud is empty"):
        save_ply(tmp_path / "empty.ply", cloud)
    assert not (tmp_path / "empty.ply").exists()


def test_npy_bytes_round_trip():
    import io

    array = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_array_equal(np.load(io.BytesIO(npy_bytes(array))), array)
