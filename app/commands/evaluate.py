"""``iris evaluate depth|normals|segmentation PRED --gt GT``: score decoded maps against truth.

PRED and GT are two files or two folders (paired by file name without suffix).
Depth and normal predictions are resized to the ground truth's size with
``--resize``; segmentation labels by nearest neighbour. The metrics live in
:mod:`core.depth.evaluate`, :mod:`core.depth.normal_metrics` and
:mod:`core.depth.seg_metrics`; ``--project`` stores them as scores
(:mod:`core.depth.eval_store`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections.abc import Iterator

from app.commands.common import json_option
from app.commands.types import finite_float
from core.errors import IrisError

RESIZE_HELP = "filter bringing the decoded map to the ground truth's size (default %(default)s)"
PROJECT_HELP = "store each image's metrics as scores in this project (the truth imported too)"


def _map_options(what: str) -> argparse.ArgumentParser:
    """PRED, --gt, --project and --json: what every kind of evaluation takes."""
    parent = json_option("print per-image and set metrics as JSON")
    parent.add_argument("pred", metavar="PRED", help=f"{what} or folder of them")
    parent.add_argument("--gt", required=True, metavar="GT", help="ground truth file or folder")
    parent.add_argument("--project", metavar="DIR", help=PROJECT_HELP)
    return parent


def _resize_option() -> argparse.ArgumentParser:
    from core.depth.defaults import DEFAULT_RESIZE_FILTER, RESIZE_FILTERS

    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--resize", choices=RESIZE_FILTERS, default=DEFAULT_RESIZE_FILTER, help=RESIZE_HELP
    )
    return parent


def add_parser(subparsers) -> None:
    from core.depth.defaults import (  # numpy-free: building the parser stays light
        ALIGN_NAMES,
        ALIGN_SPACES,
        DEFAULT_ALIGN,
        DEFAULT_GT_SCALE,
        DEFAULT_MAX_PATH_DISTANCE,
    )

    parser = subparsers.add_parser(
        "evaluate", help="score decoded depth, normal or segmentation maps against ground truth"
    )
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    resize = _resize_option()

    depth = kinds.add_parser(
        "depth",
        parents=[_map_options("depth map"), resize],
        help="AbsRel, SqRel, RMSE, RMSE log, log10, delta1-3 of decoded depth",
    )
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
        parents=[_map_options("normal map"), resize],
        help="mean/median angular error and %% within 11.25/22.5/30 degrees",
    )
    normals.add_argument(
        "--flip",
        default="x",
        metavar="AXES",
        help="axes the prediction stores flipped (see normals)",
    )
    normals.set_defaults(run=run_normals)

    from app.commands.segment import add_segmentation_options

    segmentation = kinds.add_parser(
        "segmentation",
        parents=[_map_options("segmentation map")],
        help="per-class IoU, mIoU, cIoU and gIoU of a colour-coded segmentation",
    )
    add_segmentation_options(segmentation, classes_required=True)
    segmentation.set_defaults(run=run_segmentation)


@contextlib.contextmanager
def _project(args: argparse.Namespace) -> Iterator[object | None]:
    """The ``--project`` store, open for the command's duration; None without the flag."""
    if not args.project:
        yield None
        return
    from core.project import Project

    with Project.open(args.project) as project:
        yield project


def _score_pairs(args, pairs, truth_of: str, names, version: str, score_one) -> tuple[list, list]:
    """(scores, JSON records) of every pair; each image's metrics stored with ``--project``.

    ``score_one(pred, gt)`` returns (score, record, metrics to store or None).
    """
    from core.depth.eval_store import store_evaluation

    scores, records = [], []
    with _project(args) as project:
        for pred_path, gt_path in pairs:
            score, record, metrics = score_one(pred_path, gt_path)
            scores.append(score)
            if project is not None:
                record["stored"] = store_evaluation(
                    project,
                    pred_path=pred_path,
                    gt_path=gt_path,
                    truth_of=truth_of,
                    metrics=metrics,
                    names=names,
                    version=version,
                )
            records.append(record)
    return scores, records


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
    from core.depth.eval_store import DEPTH_METRICS, version_text

    version = version_text(
        align=args.align,
        space=args.space,
        resize=args.resize,
        gt_scale=f"{args.gt_scale:g}",
        min_depth=args.min_depth,
        max_depth=args.max_depth,
        codec=args.colormap or "auto",
        max_path_distance=f"{args.max_path_distance:g}",
        median=int(args.median),
    )
    pairs, unpaired = pair_paths(args.pred, args.gt)

    def score_one(pred_path, gt_path):
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
        record = {"pred": str(pred_path), "gt": str(gt_path), "codec": decoded.settings.codec}
        return score, {**record, **score.as_dict()}, score.metrics

    scores, images = _score_pairs(args, pairs, "depth", DEPTH_METRICS, version, score_one)
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
        "metric_version": version,
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
    from core.depth.eval_store import NORMAL_METRICS, version_text

    version = version_text(resize=args.resize, flip=args.flip.lower())
    pairs, unpaired = pair_paths(args.pred, args.gt)

    def score_one(pred_path, gt_path):
        gt = load_normals_gt(gt_path)
        pred = decode_normals(load_image(pred_path).pixels, flips=flips).normals
        score = evaluate_normals(resize_to_shape(pred, gt.shape[:2], args.resize), gt)
        record = {"pred": str(pred_path), "gt": str(gt_path), **score.as_dict()}
        return score, record, score.metrics

    scores, images = _score_pairs(args, pairs, "normals", NORMAL_METRICS, version, score_one)
    metrics, counts = pooled(scores)
    summary = {
        "kind": "normals",
        "resize": args.resize,
        "images": images,
        "pooled": metrics,
        "counts": counts,
        "unpaired": unpaired,
        "metric_version": version,
    }
    return _print(summary, args.json, _normal_lines)


def _seg_lines(summary: dict):
    for image in summary["images"]:
        yield f"{image['pred']}: {_seg_text(image)} ({image['counts']['evaluated']} px)"
    yield f"set of {len(summary['images'])} image(s): {_seg_text(summary)}"
    yield "per-class IoU: " + ", ".join(
        f"{name} {'-' if iou is None else f'{iou:.3f}'}"
        for name, iou in summary["class_iou"].items()
    )


def _seg_text(m: dict) -> str:
    def number(key: str) -> str:
        value = m.get(key)
        return "-" if value is None else f"{value:.4f}"

    parts = [f"mIoU {number('miou')}"]
    parts += [f"{label} {number(key)}" for key, label in (("ciou", "cIoU"), ("giou", "gIoU"))
              if key in m]  # fmt: skip
    if "iou" in m:
        parts.append(f"IoU {number('iou')}")
    return ", ".join(parts)


def run_segmentation(args: argparse.Namespace) -> int:
    from app.commands.segment import checked_segmentation_args
    from core.depth.eval_store import classes_digest, version_text
    from core.depth.ground_truth import pair_paths
    from core.depth.seg_evaluate import evaluate_segmentation_file
    from core.depth.seg_metrics import summarise_segmentation

    classes = checked_segmentation_args(args)
    version = version_text(
        threshold=f"{args.threshold:g}",
        ignore=args.ignore_index,
        classes=classes_digest(classes),
        resize="nearest",
    )
    pairs, unpaired = pair_paths(args.pred, args.gt)

    def score_one(pred_path, gt_path):
        score = evaluate_segmentation_file(
            pred_path, gt_path, classes, threshold=args.threshold, ignore_index=args.ignore_index
        ).scores
        record = {"pred": str(pred_path), "gt": str(gt_path), **score.as_dict()}
        metrics = {"seg_miou": score.miou, "seg_iou": score.foreground_iou}
        metrics.update({f"seg_iou[{n}]": v for n, v in record["class_iou"].items()})
        present = {name: value for name, value in metrics.items() if value is not None}
        return score, record, present or None  # a class in neither map has no IoU to store

    names = {"seg_miou": "seg_miou"}  # what a map with nothing to score is stored as
    scores, images = _score_pairs(args, pairs, "segmentation", names, version, score_one)
    summary = {
        "kind": "segmentation",
        "classes": {name: list(rgb) for name, rgb in classes.items()},
        "threshold": args.threshold,
        "images": images,
        **summarise_segmentation(scores).as_dict(),
        "unpaired": unpaired,
        "metric_version": version,
    }
    return _print(summary, args.json, _seg_lines)
