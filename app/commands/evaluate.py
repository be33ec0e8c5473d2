"""``iris evaluate depth|normals PRED --gt GT``: score decoded maps against ground truth.

PRED and GT are two files or two folders (paired by file name without suffix).
The decoded prediction is resized to the ground truth's size with ``--resize``;
the metrics live in :mod:`core.depth.evaluate` and :mod:`core.depth.normal_metrics`.
"""

from __future__ import annotations

import argparse
import json

from app.commands.common import json_option
from app.commands.types import finite_float
from core.errors import IrisError

RESIZE_HELP = "filter bringing the decoded map to the ground truth's size (default %(default)s)"


def add_parser(subparsers) -> None:
    from core.depth.defaults import (  # numpy-free: building the parser stays light
        ALIGN_NAMES,
        ALIGN_SPACES,
        DEFAULT_ALIGN,
        DEFAULT_GT_SCALE,
        DEFAULT_MAX_PATH_DISTANCE,
        DEFAULT_RESIZE_FILTER,
        RESIZE_FILTERS,
    )

    parser = subparsers.add_parser(
        "evaluate", help="score decoded depth or normal maps against ground truth"
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)

    depth = kinds.add_parser(
        "depth",
        parents=[json_option("print per-image and set metrics as JSON")],
        help="AbsRel, SqRel, RMSE, RMSE log, log10, delta1-3 of decoded depth",
    )
    depth.add_argument("pred", metavar="PRED", help="depth map or folder of them")
    depth.add_argument("--gt", required=True, metavar="GT", help="ground truth file or folder")
    depth.add_argument(
        "--align",
        choices=list(ALIGN_NAMES),
        default=DEFAULT_ALIGN,
        help="fit before scoring (default %(default)s: metric depth, as the paper scores it)",
    )
    depth.add_argument(
        "--space", choices=ALIGN_SPACES, default="depth", help="fit in depth or inverse depth"
    )
    depth.add_argument(
        "--gt-scale",
        type=finite_float,
        default=DEFAULT_GT_SCALE,
        metavar="M",
        help="metres per unit of an integer ground truth (default 0.001: millimetres)",
    )
    depth.add_argument("--resize", choices=RESIZE_FILTERS, default=DEFAULT_RESIZE_FILTER,
                       help=RESIZE_HELP)  # fmt: skip
    depth.add_argument("--min-depth", type=finite_float, metavar="M", help="ignore closer truth")
    depth.add_argument("--max-depth", type=finite_float, metavar="M", help="ignore farther truth")
    depth.add_argument(
        "--colormap", metavar="NAME", help="codec of the prediction (see iris depth)"
    )
    depth.add_argument(
        "--max-path-distance",
        type=finite_float,
        default=DEFAULT_MAX_PATH_DISTANCE,
        metavar="T",
        help="mask predicted pixels farther than T from the colour path (<0 keeps all)",
    )
    depth.add_argument("--median", action="store_true", help="3x3 median clean-up of the decoding")
    depth.set_defaults(run=run_depth)

    normals = kinds.add_parser(
        "normals",
        parents=[json_option("print per-image and set metrics as JSON")],
        help="mean/median angular error and % within 11.25/22.5/30 degrees",
    )
    normals.add_argument("pred", metavar="PRED", help="normal map or folder of them")
    normals.add_argument("--gt", required=True, metavar="GT", help="ground truth file or folder")
    normals.add_argument("--resize", choices=RESIZE_FILTERS, default=DEFAULT_RESIZE_FILTER,
                         help=RESIZE_HELP)  # fmt: skip
    normals.add_argument(
        "--flip",
        default="x",
        metavar="AXES",
        help="axes the prediction stores flipped (see normals)",
    )
    normals.set_defaults(run=run_normals)


def _print(summary: dict, as_json: bool, lines) -> int:
    if as_json:
        print(json.dumps(summary))
        return 0
    for line in lines(summary):
        print(line)
    return 0


def _depth_lines(summary: dict):
    for image in summary["images"]:
        m = image["metrics"]
        scores = "nothing to score" if m is None else _depth_text(m)
        yield f"{image['pred']}: {scores} ({image['counts']['evaluated']} px)"
    if summary["mean"] is not None:
        yield f"mean of {summary['scored_images']} image(s): {_depth_text(summary['mean'])}"


def _depth_text(m: dict) -> str:
    return (
        f"AbsRel {m['abs_rel']:.4f}, SqRel {m['sq_rel']:.4f}, RMSE {m['rmse']:.4f} m, "
        f"RMSE log {m['rmse_log']:.4f}, log10 {m['log10']:.4f}, "
        f"d1 {m['delta1']:.3f}, d2 {m['delta2']:.3f}, d3 {m['delta3']:.3f}"
    )


def run_depth(args: argparse.Namespace) -> int:
    from core.depth.evaluate import evaluate_depth, summarise
    from core.depth.ground_truth import load_depth_gt, pair_paths, resize_to_shape
    from core.depth.pipeline import decode
    from core.depth.settings import DepthSettings

    if not args.gt_scale > 0:
        raise IrisError(f"--gt-scale {args.gt_scale}: must be a positive number of metres")
    settings = DepthSettings(
        codec=args.colormap or None,
        max_path_distance=args.max_path_distance if args.max_path_distance >= 0 else None,
        median=args.median,
    )
    pairs, unpaired = pair_paths(args.pred, args.gt)
    images, scores = [], []
    for pred_path, gt_path in pairs:
        gt = load_depth_gt(gt_path, scale=args.gt_scale)
        decoded = decode(pred_path, settings)
        pred = resize_to_shape(decoded.decoding.depth, gt.shape, args.resize)
        score = evaluate_depth(
            pred,
            gt,
            align=args.align,
            space=args.space,
            min_depth=args.min_depth,
            max_depth=args.max_depth,
        )
        scores.append(score)
        record = {"pred": str(pred_path), "gt": str(gt_path), "codec": decoded.settings.codec}
        images.append({**record, **score.as_dict()})
    result = summarise(scores)
    summary = {
        "kind": "depth",
        "align": args.align,
        "space": args.space,
        "resize": args.resize,
        "images": images,
        "mean": result.mean,
        "counts": result.counts,
        "scored_images": result.scored_images,
        "unpaired": unpaired,
    }
    return _print(summary, args.json, _depth_lines)


def _normal_text(m: dict) -> str:
    return (
        f"mean {m['mean_deg']:.2f} deg, median {m['median_deg']:.2f} deg, "
        f"within 11.25/22.5/30: {m['within_11.25']:.1f}/{m['within_22.5']:.1f}/"
        f"{m['within_30']:.1f} %"
    )


def _normal_lines(summary: dict):
    for image in summary["images"]:
        m = image["metrics"]
        scores = "nothing to score" if m is None else _normal_text(m)
        yield f"{image['pred']}: {scores} ({image['counts']['evaluated']} px)"
    if summary["pooled"] is not None:
        yield f"all pixels of {len(summary['images'])} image(s): {_normal_text(summary['pooled'])}"


def run_normals(args: argparse.Namespace) -> int:
    from core.depth.ground_truth import load_normals_gt, pair_paths, resize_to_shape
    from core.depth.normal_metrics import evaluate_normals, pooled
    from core.depth.normals import decode_normals
    from core.imageio import load_image

    if set(args.flip.lower()) - set("xyz"):
        raise IrisError(f"--flip {args.flip!r}: axes must be among x, y, z")
    flips = tuple(axis in args.flip.lower() for axis in "xyz")
    pairs, unpaired = pair_paths(args.pred, args.gt)
    images, scores = [], []
    for pred_path, gt_path in pairs:
        gt = load_normals_gt(gt_path)
        pred = decode_normals(load_image(pred_path).pixels, flips=flips).normals
        score = evaluate_normals(resize_to_shape(pred, gt.shape[:2], args.resize), gt)
        scores.append(score)
        images.append({"pred": str(pred_path), "gt": str(gt_path), **score.as_dict()})
    metrics, counts = pooled(scores)
    summary = {
        "kind": "normals",
        "resize": args.resize,
        "images": images,
        "pooled": metrics,
        "counts": counts,
        "unpaired": unpaired,
    }
    return _print(summary, args.json, _normal_lines)
