"""Point-cloud clean-up with open3d (imported lazily) and export as binary PLY or ``.npy``."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from core.depth.unproject import PointCloud
from core.errors import IrisError
from core.files import write_atomic
from core.pixels import to_uint8


def to_open3d(points: np.ndarray, colours: np.ndarray | None = None):
    """An ``open3d.geometry.PointCloud`` of (N, 3) points and uint8 colours."""
    import open3d as o3d

    cloud = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(points.astype(np.float64)))
    if colours is not None and len(colours):
        cloud.colors = o3d.utility.Vector3dVector(colours.astype(np.float64) / 255.0)
    return cloud


def _from_open3d(cloud) -> tuple[np.ndarray, np.ndarray]:
    points = np.asarray(cloud.points, dtype=np.float32)
    colours = to_uint8(np.asarray(cloud.colors))
    return points, colours


def clean_cloud(
    points: np.ndarray,
    colours: np.ndarray,
    *,
    voxel_size: float | None = None,
    outlier_neighbours: int | None = None,
    outlier_std: float = 2.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Voxel downsampling and statistical outlier removal (each optional), via open3d."""
    if not voxel_size and not outlier_neighbours:
        return points, colours
    cloud = to_open3d(points, colours)
    if voxel_size:
        cloud = cloud.voxel_down_sample(float(voxel_size))
    if outlier_neighbours:
        cloud, _index = cloud.remove_statistical_outlier(int(outlier_neighbours), outlier_std)
    return _from_open3d(cloud)


def estimate_normals(points: np.ndarray, *, radius: float, max_nn: int = 30) -> np.ndarray:
    """Unit normals (N, 3) float32 by local PCA (open3d), oriented toward the camera at 0."""
    import open3d as o3d

    cloud = to_open3d(points)
    cloud.estimate_normals(o3d.geometry.KDTreeSearchParamHybrid(radius=radius, max_nn=max_nn))
    cloud.orient_normals_towards_camera_location(np.zeros(3))
    return np.asarray(cloud.normals, dtype=np.float32)


def ply_bytes(points: np.ndarray, colours: np.ndarray | None = None) -> bytes:
    """Binary little-endian PLY: float x, y, z and (if given) uchar red, green, blue."""
    n = len(points)
    header = ["ply", "format binary_little_endian 1.0", "comment IRIS depth export"]
    header += [f"element vertex {n}"] + [f"property float {axis}" for axis in "xyz"]
    columns = [np.ascontiguousarray(points, dtype="<f4").view(np.uint8).reshape(n, 12)]
    if colours is not None:
        header += [f"property uchar {name}" for name in ("red", "green", "blue")]
        columns.append(np.ascontiguousarray(colours, dtype=np.uint8).reshape(n, 3))
    header.append("end_header")
    body = np.concatenate(columns, axis=1) if len(columns) > 1 else columns[0]
    return ("\n".join(header) + "\n").encode("ascii") + body.tobytes()


def save_ply(path: str | Path, cloud: PointCloud) -> Path:
    """Write ``cloud`` as binary PLY (atomically); returns the path."""
    path = Path(path)
    if len(cloud) == 0:
        raise IrisError(f"{path}: nothing to export, the point cloud is empty")
    write_atomic(path, ply_bytes(cloud.points, cloud.colours))
    return path


def npy_bytes(array: np.ndarray) -> bytes:
    """``array`` as the bytes of a ``.npy`` file."""
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def save_npy(path: str | Path, cloud: PointCloud) -> Path:
    """Write an (N, 6) float32 array (atomically): x, y, z in metres, then r, g, b in 0..255."""
    path = Path(path)
    array = np.concatenate([cloud.points, cloud.colours.astype(np.float32)], axis=1)
    write_atomic(path, npy_bytes(array))
    return path
