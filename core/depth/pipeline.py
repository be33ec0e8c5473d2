"""One job for the Depth view: decode a map, unproject it, colour the points three ways.

A plain core function with ``progress`` and ``cancel`` so the GUI runs it on
the compute worker (and tests call it directly).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.depth.codecs import DepthDecoding, codec_for_file, make_codec, to_uint8_rgb
from core.depth.unproject import (
    Intrinsics,
    PointCloud,
    choose_intrinsics,
    depth_colours,
    depth_display_range,
    normal_colours,
    normals_from_points,
    resize_to,
    unproject,
)
from core.jobs import check_cancelled, no_progress

DISPLAY_POINTS = 400_000  # the 3D view shows a random subset; exports use every point


@dataclass
class DepthSettings:
    """What the Depth view's parameter panel sets (CLI options have the same names)."""

    codec: str = "vision-banana"
    curve_lambda: float = -3.0
    curve_scale: float = 10.0 / 3.0
    corners: str = "KRYGCBMW"
    range_mode: str = "curve"
    near: float = 0.5
    far: float = 20.0
    reverse: bool = False
    max_path_distance: float | None = 0.15
    median: bool = False
    hfov_deg: float | None = None  # None: EXIF of the photo, else 60 degrees
    depth_kind: str = "z"

    def codec_params(self) -> dict:
        return {
            "curve_lambda": self.curve_lambda,
            "curve_scale": self.curve_scale,
            "corners": self.corners,
            "range_mode": self.range_mode,
            "near": self.near,
            "far": self.far,
            "reverse": self.reverse,
        }


@dataclass
class DepthScene:
    """Everything the Depth view shows: the decoding, the display images and the cloud."""

    decoding: DepthDecoding
    intrinsics: Intrinsics
    cloud: PointCloud
    colours: dict[str, np.ndarray]  # per point: photo / depth / normal
    depth_image: np.ndarray  # (H, W, 3) uint8 false colour for display
    display_range: tuple[float, float]
    photo: np.ndarray | None
    display_index: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))


def build_scene(
    map_path: str | Path,
    photo_path: str | Path | None,
    settings: DepthSettings,
    *,
    progress=no_progress,
    cancel=None,
) -> DepthScene:
    """Decode ``map_path``, unproject it with ``photo_path`` for colours and EXIF focal length."""
    from core.imageio import load_image

    progress(0, 4)
    detected = codec_for_file(map_path)  # raw depth files (16-bit PNG, .npy) pick themselves
    name = detected if detected in ("png16", "npy", "exr") else settings.codec or detected
    codec = make_codec(name, **settings.codec_params())
    if codec.kind == "raw":
        decoding = codec.decode_file(map_path)
    else:
        decoding = codec.decode_file(
            map_path, max_path_distance=settings.max_path_distance, median=settings.median
        )
    check_cancelled(cancel)
    progress(1, 4)
    height, width = decoding.depth.shape
    photo = None
    if photo_path is not None:
        photo = resize_to(to_uint8_rgb(load_image(photo_path).pixels), width, height)
    intrinsics = choose_intrinsics(width, height, hfov_deg=settings.hfov_deg, photo=photo_path)
    check_cancelled(cancel)
    progress(2, 4)
    cloud = unproject(
        decoding.depth,
        intrinsics,
        depth_kind=settings.depth_kind,
        photo=photo,
        colour_mode="photo" if photo is not None else "depth",
        cancel=cancel,
    )
    check_cancelled(cancel)
    progress(3, 4)
    depth_image = depth_colours(decoding.depth)
    colours = {"depth": depth_image.reshape(-1, 3)[cloud.pixels]}
    colours["photo"] = cloud.colours if photo is not None else colours["depth"]
    xn = (np.arange(width) + 0.5 - intrinsics.cx) / intrinsics.fx
    yn = (np.arange(height) + 0.5 - intrinsics.cy) / intrinsics.fy
    z = np.where(np.isfinite(decoding.depth), decoding.depth, np.nan)
    if settings.depth_kind == "ray":
        z = z / np.sqrt(1.0 + xn[None, :] ** 2 + yn[:, None] ** 2)
    grid = np.stack([xn[None, :] * z, yn[:, None] * z, z], axis=2)
    colours["normal"] = normal_colours(normals_from_points(grid)).reshape(-1, 3)[cloud.pixels]
    rng = np.random.default_rng(0)
    count = len(cloud)
    index = (
        np.sort(rng.choice(count, DISPLAY_POINTS, replace=False))
        if count > DISPLAY_POINTS
        else np.arange(count)
    )
    progress(4, 4)
    return DepthScene(
        decoding,
        intrinsics,
        cloud,
        colours,
        depth_image,
        depth_display_range(decoding.depth),
        photo,
        index,
    )
