"""``iris depth`` and ``iris normals``: decode generated depth / normal maps, unproject, export."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.commands.common import json_option
from app.commands.types import finite_float
from core.errors import IrisError


def add_parser(subparsers) -> None:
    from core.depth.defaults import (
        CODEC_NAMES,
        COLOUR_MODES,
        DEFAULT_CODEC,
        DEFAULT_CORNERS,
        DEFAULT_LAMBDA,
        DEFAULT_MAX_PATH_DISTANCE,
        DEFAULT_RANGE_MODE,
        DEFAULT_SCALE,
        RANGE_MODES,
    )

    depth = subparsers.add_parser(
        "depth",
        help="decode a depth map (false colour or raw) to metres",
        parents=[json_option("print the summary as JSON")],
    )
    depth.add_argument("image", metavar="IMAGE")
    depth.add_argument(
        "--colormap",
        metavar="NAME",
        help=f"codec: {', '.join(CODEC_NAMES)} (default: what the file is, else {DEFAULT_CODEC})",
    )
    depth.add_argument("--curve-lambda", type=finite_float, default=DEFAULT_LAMBDA, metavar="L")
    depth.add_argument("--curve-scale", type=finite_float, default=DEFAULT_SCALE, metavar="C")
    depth.add_argument("--corners", default=DEFAULT_CORNERS, help="corner order of the colour path")
    depth.add_argument("--range-mode", choices=RANGE_MODES, default=DEFAULT_RANGE_MODE)
    depth.add_argument("--near", type=finite_float, metavar="N", help="metres at the map's start")
    depth.add_argument("--far", type=finite_float, metavar="F", help="metres at the map's end")
    depth.add_argument("--reverse", action="store_true", help="the map runs far to near")
    depth.add_argument(
        "--max-path-distance",
        type=finite_float,
        default=DEFAULT_MAX_PATH_DISTANCE,
        metavar="T",
        help="mask pixels farther than T from the colour path (RGB units; <0 keeps all)",
    )
    depth.add_argument("--median", action="store_true", help="3x3 median clean-up")
    depth.add_argument("--photo", metavar="RGB_IMAGE", help="paired photo: colours, EXIF focal")
    camera = depth.add_mutually_exclusive_group()
    camera.add_argument("--hfov", type=finite_float, metavar="DEG", help="horizontal field of view")
    camera.add_argument("--intrinsics", metavar="fx,fy,cx,cy", help="pixels of the depth map")
    depth.add_argument("--ray-distance", action="store_true", help="depth is distance along rays")
    depth.add_argument(
        "--colour",
        choices=COLOUR_MODES,
        default=None,
        help="point colours (default: photo if given, else depth)",
    )
    depth.add_argument("--voxel", type=finite_float, metavar="M", help="voxel downsampling size")
    depth.add_argument("--outliers", type=int, metavar="K", help="statistical outlier removal")
    depth.add_argument("--out", metavar="depth.npy", help="save the depth (float32 metres)")
    depth.add_argument("--ply", metavar="cloud.ply", help="save the point cloud (binary PLY)")
    depth.add_argument("--points-npy", metavar="cloud.npy", help="save points as (N, 6) .npy")
    depth.set_defaults(run=run_depth)

    normals = subparsers.add_parser(
        "normals",
        help="decode a surface-normal map",
        parents=[json_option("print the summary as JSON")],
    )
    normals.add_argument("image", metavar="IMAGE")
    normals.add_argument(
        "--flip",
        default="x",
        metavar="AXES",
        help="axes stored flipped (default x: R = (1 - x)/2); '' for none",
    )
    normals.add_argument("--out", metavar="normals.npy", help="save (H, W, 3) float32 normals")
    normals.set_defaults(run=run_normals)


def _check_input(path: str) -> None:
    if not Path(path).is_file():
        raise IrisError(f"{path}: no such file")


def settings_from_args(args: argparse.Namespace):
    """The :class:`DepthSettings` the options ask for (the Depth view builds the same record)."""
    from core.depth.settings import DepthSettings

    return DepthSettings(
        codec=args.colormap or None,
        curve_lambda=args.curve_lambda,
        curve_scale=args.curve_scale,
        corners=args.corners,
        range_mode=args.range_mode,
        near=args.near,
        far=args.far,
        reverse=args.reverse,
        max_path_distance=args.max_path_distance if args.max_path_distance >= 0 else None,
        median=args.median,
        hfov_deg=args.hfov,
        intrinsics=args.intrinsics,
        depth_kind="ray" if args.ray_distance else "z",
    )


# (option, export kind, summary key) for every file ``iris depth`` can write
_EXPORT_OPTIONS = (
    ("out", "depth", "out"),
    ("ply", "ply", "ply"),
    ("points_npy", "points", "points_npy"),
)


def run_depth(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from core.depth.export import export
    from core.depth.pipeline import build_scene

    _check_input(args.image)
    if args.photo:
        _check_input(args.photo)
    colour = args.colour or ("photo" if args.photo else "depth")
    scene = build_scene(args.image, args.photo, settings_from_args(args), colour_modes=[colour])
    decoding = scene.decoding
    summary = decoding.stats()
    summary["params"] = decoding.params
    cloud = replace(scene.cloud, colours=scene.colours[colour])
    if args.voxel or args.outliers:
        from core.depth.pointcloud import clean_cloud

        points, colours = clean_cloud(
            cloud.points, cloud.colours, voxel_size=args.voxel, outlier_neighbours=args.outliers
        )
        cloud = replace(cloud, points=points, colours=colours)
    summary["point_count"] = len(cloud.points)
    summary["intrinsics"] = scene.intrinsics.as_dict()
    for option, kind, key in _EXPORT_OPTIONS:
        if path := getattr(args, option):
            export(kind, path, decoding.depth, cloud)
            summary[key] = path
    if args.json:
        print(json.dumps(summary))
        return 0

    def metres(value):
        return "n/a" if value is None else f"{value:.3f} m"

    print(f"{args.image}: {summary['width']}x{summary['height']} decoded with {summary['codec']}")
    print(
        f"depth min {metres(summary['min_m'])}, median {metres(summary['median_m'])}, "
        f"max {metres(summary['max_m'])}"
    )
    print(
        f"masked {summary['masked_fraction']:.1%}, sky {summary['sky_fraction']:.1%}, "
        f"{summary['point_count']} points ({scene.intrinsics.source})"
    )
    return 0


def run_normals(args: argparse.Namespace) -> int:
    import numpy as np

    from core.depth.normals import decode_normals
    from core.imageio import load_image

    _check_input(args.image)
    unknown = set(args.flip.lower()) - set("xyz")
    if unknown:
        raise IrisError(f"--flip {args.flip!r}: axes must be among x, y, z")
    flips = tuple(axis in args.flip.lower() for axis in "xyz")
    decoding = decode_normals(load_image(args.image).pixels, flips=flips)
    summary = decoding.stats()
    if args.out:
        np.save(args.out, decoding.normals)
        summary["out"] = args.out
    if args.json:
        print(json.dumps(summary))
        return 0
    mean = ", ".join(f"{v:+.3f}" for v in summary["mean"])
    print(
        f"{args.image}: {summary['width']}x{summary['height']}, "
        f"valid {summary['valid_fraction']:.1%}, mean normal ({mean})"
    )
    return 0
