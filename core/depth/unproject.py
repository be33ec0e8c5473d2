"""Depth maps to 3D points (OpenCV camera frame: +x right, +y down, +z forward), with colours.

Intrinsics come from fx, fy, cx, cy, from a horizontal field of view, or from
the 35 mm-equivalent focal length in a photo's EXIF. Pixel centres are at
``u + 0.5``: X = (u + 0.5 - cx) Z / fx, Y = (v + 0.5 - cy) Z / fy.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from core.depth.defaults import COLOUR_MODES, DEFAULT_DEPTH_KIND, DEFAULT_HFOV_DEG, DEPTH_KINDS
from core.errors import IrisError
from core.jobs import check_cancelled, no_progress
from core.pixels import to_uint8

EXIF_IFD = 0x8769
EXIF_FOCAL_35MM = 0xA405


@dataclass(frozen=True)
class Intrinsics:
    """Pinhole intrinsics in pixels of the depth map; ``source`` says where they came from."""

    fx: float
    fy: float
    cx: float
    cy: float
    width: int
    height: int
    source: str = "explicit"

    @classmethod
    def from_hfov(cls, width: int, height: int, hfov_deg: float = DEFAULT_HFOV_DEG) -> Intrinsics:
        if not 0 < hfov_deg < 180:
            raise IrisError(f"horizontal field of view must be in (0, 180) degrees, got {hfov_deg}")
        f = (width / 2.0) / math.tan(math.radians(hfov_deg) / 2.0)
        return cls(f, f, width / 2.0, height / 2.0, width, height, f"hfov {hfov_deg:g} deg")

    @classmethod
    def from_focal_35mm(cls, width: int, height: int, f35: float) -> Intrinsics:
        """f_px = f35 * diagonal_px / diagonal_of_36x24mm."""
        if not (f35 > 0 and math.isfinite(f35)):  # NaN and inf are refused too
            raise IrisError(f"35 mm-equivalent focal length must be positive and finite, got {f35}")
        f = f35 * math.hypot(width, height) / math.hypot(36.0, 24.0)
        return cls(f, f, width / 2.0, height / 2.0, width, height, f"EXIF 35mm {f35:g} mm")

    @classmethod
    def parse(cls, text: str, width: int, height: int) -> Intrinsics:
        """``"fx,fy,cx,cy"`` in pixels of the depth map."""
        try:
            fx, fy, cx, cy = (float(v) for v in text.split(","))
        except ValueError:
            raise IrisError(f"intrinsics {text!r} must be four numbers fx,fy,cx,cy") from None
        if not all(math.isfinite(v) for v in (fx, fy, cx, cy)):
            raise IrisError(f"intrinsics {text!r} must be finite numbers")
        if fx <= 0 or fy <= 0:
            raise IrisError(f"intrinsics {text!r}: fx and fy must be positive")
        return cls(fx, fy, cx, cy, width, height, "explicit")

    @property
    def hfov_deg(self) -> float:
        return math.degrees(2.0 * math.atan(self.width / 2.0 / self.fx))

    def as_dict(self) -> dict:
        return asdict(self) | {"hfov_deg": self.hfov_deg}


def exif_focal_35mm(photo: str | Path) -> float | None:
    """The 35 mm-equivalent focal length stored in a photo's EXIF, or None."""
    from core.imageio import read_exif

    try:
        value = read_exif(photo).get(EXIF_FOCAL_35MM)
        focal = float(value) if value else None
    except (IrisError, TypeError, ValueError):
        return None
    return focal if focal is not None and math.isfinite(focal) and focal > 0 else None


def choose_intrinsics(
    width: int,
    height: int,
    *,
    intrinsics: str | None = None,
    hfov_deg: float | None = None,
    photo: str | Path | None = None,
) -> Intrinsics:
    """Explicit intrinsics, else an explicit field of view, else the photo's EXIF, else 60 deg.

    Explicit intrinsics written ``"fx,fy,cx,cy@WxH"`` are given for a W x H image (the
    photo's, a dataset's) and are rescaled to the depth map's ``width`` x ``height``.
    """
    if intrinsics:
        from core.depth.intrinsics import rescale_intrinsics, split_size

        values, size = split_size(intrinsics)
        if size is None or size == (width, height):
            return Intrinsics.parse(values, width, height)
        return rescale_intrinsics(Intrinsics.parse(values, *size), size, (width, height))
    if hfov_deg is not None:
        return Intrinsics.from_hfov(width, height, hfov_deg)
    if photo is not None and (f35 := exif_focal_35mm(photo)):
        return Intrinsics.from_focal_35mm(width, height, f35)
    return Intrinsics.from_hfov(width, height, DEFAULT_HFOV_DEG)


@dataclass(frozen=True)
class CameraGrid:
    """The rays of every pixel and the z-depth along them: computed once per depth map.

    ``unproject`` builds it; the point cloud, its normals and its normal colours all
    read it (``build_scene`` used to rebuild it for the normals).
    """

    xn: np.ndarray  # (1, W) float32: (u + 0.5 - cx) / fx
    yn: np.ndarray  # (H, 1) float32: (v + 0.5 - cy) / fy
    z: np.ndarray  # (H, W) float32 z-depth (ray distances converted)
    keep: np.ndarray  # (H, W) bool: pixels that become points

    def organised(self) -> np.ndarray:
        """(H, W, 3) float32 camera-frame points of every pixel, NaN where depth is not finite."""
        z = np.where(np.isfinite(self.z), self.z, np.float32(np.nan))
        with np.errstate(invalid="ignore", over="ignore"):
            return np.stack([self.xn * z, np.broadcast_to(self.yn, z.shape) * z, z], axis=2)

    def normal_colours(self) -> np.ndarray:
        """(H * W, 3) uint8 colours of the surface normals estimated from neighbouring pixels."""
        return normal_colours(normals_from_points(self.organised())).reshape(-1, 3)


def camera_grid(
    depth: np.ndarray,
    intrinsics: Intrinsics,
    *,
    depth_kind: str = DEFAULT_DEPTH_KIND,
    valid: np.ndarray | None = None,
) -> CameraGrid:
    """The :class:`CameraGrid` of ``depth`` (z-depth or ray distance) under ``intrinsics``."""
    if depth_kind not in DEPTH_KINDS:
        raise IrisError(f"depth kind {depth_kind!r} must be one of {', '.join(DEPTH_KINDS)}")
    height, width = depth.shape
    xn = ((np.arange(width, dtype=np.float32) + 0.5 - intrinsics.cx) / intrinsics.fx)[None, :]
    yn = ((np.arange(height, dtype=np.float32) + 0.5 - intrinsics.cy) / intrinsics.fy)[:, None]
    z = depth.astype(np.float32, copy=False)
    if depth_kind == "ray":
        z = z / np.sqrt(1.0 + xn * xn + yn * yn)
    keep = np.isfinite(z) & (z > 0)
    if valid is not None:
        keep &= valid
    return CameraGrid(xn, yn, z, keep)


@dataclass
class PointCloud:
    """Points (N, 3) float32 in metres, colours (N, 3) uint8, and the pixel each came from."""

    points: np.ndarray
    colours: np.ndarray
    pixels: np.ndarray  # (N,) int64 flat indices into the depth map
    intrinsics: Intrinsics
    grid: CameraGrid | None = None  # the rays the points were made from

    def __len__(self) -> int:
        return len(self.points)


def resize_to(pixels: np.ndarray, width: int, height: int) -> np.ndarray:
    """``pixels`` resized to (height, width) when the sizes differ (area filter when shrinking)."""
    if pixels.shape[1] == width and pixels.shape[0] == height:
        return pixels
    import cv2

    shrink = pixels.shape[1] > width
    interpolation = cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
    return cv2.resize(pixels, (width, height), interpolation=interpolation)


def depth_colours(depth: np.ndarray, colormap: str = "turbo") -> np.ndarray:
    """(H, W, 3) uint8 false colours of depth, log-scaled between its 2nd and 98th percentiles."""
    from core.depth.codecs import colormap_tables

    table = to_uint8(colormap_tables()[colormap])
    lo, hi = depth_display_range(depth)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = (np.log(np.clip(depth, lo, hi)) - np.log(lo)) / max(np.log(hi / lo), 1e-9)
    index = np.nan_to_num(t * 255, nan=0.0, posinf=255.0).astype(np.int32)
    colours = table[np.clip(index, 0, 255)]
    colours[~np.isfinite(depth)] = 0
    return colours


def depth_display_range(depth: np.ndarray) -> tuple[float, float]:
    """A robust (lo, hi) metres range for display: 2nd..98th percentile of finite depth."""
    finite = depth[np.isfinite(depth) & (depth > 0)]
    if finite.size == 0:
        return 0.1, 1.0
    sample = finite[:: max(1, finite.size // 200_000)]
    lo, hi = (float(v) for v in np.percentile(sample, [2, 98]))
    lo = max(lo, 1e-3)
    return lo, max(hi, lo * 1.01)


def normals_from_points(xyz: np.ndarray) -> np.ndarray:
    """Per-pixel normals (H, W, 3) of an organised point grid, facing the camera (OpenCV frame)."""
    dx = np.zeros_like(xyz)
    dy = np.zeros_like(xyz)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        dx[:, 1:-1] = xyz[:, 2:] - xyz[:, :-2]
        dy[1:-1] = xyz[2:] - xyz[:-2]
        n = np.cross(dy, dx)
        n /= np.linalg.norm(n, axis=2, keepdims=True)
    return n


def normal_colours(normals_cv: np.ndarray) -> np.ndarray:
    """OpenCV-frame normals painted with the Vision Banana convention (x flipped, y and z up/toward)."""
    from core.depth.normals import encode_normals

    camera = normals_cv * np.array([1.0, -1.0, -1.0])  # OpenCV -> +y up, +z toward the camera
    return encode_normals(np.nan_to_num(camera, nan=0.0))


def unproject(
    depth: np.ndarray,
    intrinsics: Intrinsics,
    *,
    depth_kind: str = DEFAULT_DEPTH_KIND,
    photo: np.ndarray | None = None,
    colour_mode: str = "photo",
    valid: np.ndarray | None = None,
    depth_image: np.ndarray | None = None,
    progress=no_progress,
    cancel=None,
) -> PointCloud:
    """Points of every finite, positive depth pixel (and ``valid`` ones), coloured by ``colour_mode``.

    ``depth_image`` is the (H, W, 3) ``depth_colours`` of ``depth`` when the caller has
    drawn it already (the depth colours are then not computed twice).
    """
    if colour_mode not in COLOUR_MODES:
        raise IrisError(f"colour mode {colour_mode!r} must be one of {', '.join(COLOUR_MODES)}")
    height, width = depth.shape
    progress(0, 3)
    grid = camera_grid(depth, intrinsics, depth_kind=depth_kind, valid=valid)
    check_cancelled(cancel)
    progress(1, 3)
    flat = np.flatnonzero(grid.keep)
    mask = grid.keep.ravel()
    zk = grid.z.ravel()[mask]
    points = np.empty((len(zk), 3), dtype=np.float32)
    with np.errstate(invalid="ignore", over="ignore"):
        points[:, 0] = np.multiply(grid.xn, grid.z).ravel()[mask]
        points[:, 1] = np.multiply(grid.yn, grid.z).ravel()[mask]
    points[:, 2] = zk
    check_cancelled(cancel)
    progress(2, 3)
    if colour_mode == "photo" and photo is not None:
        from core.depth.codecs import to_uint8_rgb

        colours = resize_to(to_uint8_rgb(photo), width, height).reshape(-1, 3)[mask]
    elif colour_mode == "normal":
        colours = grid.normal_colours()[mask]
    else:
        image = depth_colours(depth) if depth_image is None else depth_image
        colours = image.reshape(-1, 3)[mask]
    progress(3, 3)
    return PointCloud(points, np.ascontiguousarray(colours), flat, intrinsics, grid)
