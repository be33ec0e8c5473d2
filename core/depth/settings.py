"""What a depth decoding and its unprojection are asked for: one record for the CLI and the GUI.

``iris depth`` builds it from its options and the Depth view from its panel;
both hand it to :func:`core.depth.pipeline.decode` / ``build_scene``. Every
default comes from :mod:`core.depth.defaults`.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.depth.defaults import (
    DEFAULT_CORNERS,
    DEFAULT_DEPTH_KIND,
    DEFAULT_LAMBDA,
    DEFAULT_MAX_PATH_DISTANCE,
    DEFAULT_RANGE_MODE,
    DEFAULT_SCALE,
)


@dataclass(frozen=True)
class DepthSettings:
    """Codec, codec parameters, masking and camera (CLI options have the same names).

    ``codec=None`` means "not chosen": the file decides, else the default codec
    (see :func:`core.depth.pipeline.resolve_codec`).
    """

    codec: str | None = None
    curve_lambda: float = DEFAULT_LAMBDA
    curve_scale: float = DEFAULT_SCALE
    corners: str = DEFAULT_CORNERS
    range_mode: str = DEFAULT_RANGE_MODE
    near: float | None = None  # linear / inverse ranges need both
    far: float | None = None
    reverse: bool = False
    max_path_distance: float | None = DEFAULT_MAX_PATH_DISTANCE  # None: keep every pixel
    median: bool = False
    hfov_deg: float | None = None  # None: EXIF of the photo, else DEFAULT_HFOV_DEG
    # "fx,fy,cx,cy" in pixels of the depth map, or "fx,fy,cx,cy@WxH" given for a W x H image
    # (the photo's, a dataset's) and rescaled to the map (core.depth.intrinsics); wins over hfov_deg
    intrinsics: str | None = None
    depth_kind: str = DEFAULT_DEPTH_KIND

    def codec_params(self) -> dict:
        """The keyword arguments every codec factory takes (each ignores those it does not use)."""
        return {
            "curve_lambda": self.curve_lambda,
            "curve_scale": self.curve_scale,
            "corners": self.corners,
            "range_mode": self.range_mode,
            "near": self.near,
            "far": self.far,
            "reverse": self.reverse,
        }

    def decode_options(self) -> dict:
        """The keyword arguments of ``decode_file`` (raw codecs ignore them)."""
        return {"max_path_distance": self.max_path_distance, "median": self.median}
