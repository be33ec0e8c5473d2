"""``iris segment MAP --classes FILE_OR_JSON``: decode a colour-coded segmentation into labels.

``--classes`` is a JSON map, a classes file or the prompt text itself (a file
holding it, or the text): :mod:`core.depth.seg_classes` reads the colours. Each
pixel takes the nearest class colour within ``--threshold``, else it is
unassigned; ``--instances`` clusters the map's own colours instead (the
classes, if given, name known colours such as the background). ``--out``
writes the labels as a PNG (label n = value n, unassigned = 255), ``--gt``
scores the decoding (as ``iris evaluate segmentation`` does).
"""

from __future__ import annotations

import argparse
import json

from app.commands.common import json_option
from app.commands.types import finite_float
from core.errors import IrisError

THRESHOLD_HELP = "largest RGB distance (8-bit units) to a class colour (default %(default)s)"


def add_segmentation_options(
    parser: argparse.ArgumentParser, *, classes_required: bool, threshold_help: str = THRESHOLD_HELP
) -> None:
    """--classes, --threshold and --ignore-index: shared with ``iris evaluate segmentation``."""
    from core.depth.seg_defaults import DEFAULT_IGNORE_INDEX, DEFAULT_SEMANTIC_THRESHOLD

    parser.add_argument(
        "--classes",
        required=classes_required,
        metavar="FILE_OR_JSON",
        help="class colours: JSON, a file, or the prompt text (the n-th class is label n)",
    )
    parser.add_argument(
        "--threshold",
        type=finite_float,
        default=DEFAULT_SEMANTIC_THRESHOLD if classes_required else None,
        metavar="D",
        help=threshold_help,
    )
    parser.add_argument(
        "--ignore-index",
        type=int,
        default=DEFAULT_IGNORE_INDEX,
        metavar="N",
        help="label-map value meaning 'not labelled' (default %(default)s)",
    )


def checked_segmentation_args(args: argparse.Namespace) -> dict:
    """The classes (None when not given), after checking the numeric options."""
    if args.threshold is not None and not args.threshold >= 0:
        raise IrisError(f"--threshold {args.threshold}: must be a distance >= 0")
    if not 0 <= args.ignore_index <= 65535:
        raise IrisError(f"--ignore-index {args.ignore_index}: must be in 0..65535")
    if args.classes is None:
        return {}
    from core.depth.seg_classes import load_classes

    return load_classes(args.classes)


def add_parser(subparsers) -> None:
    from core.depth.seg_defaults import (
        DEFAULT_INSTANCE_THRESHOLD,
        DEFAULT_MIN_AREA,
        DEFAULT_SEMANTIC_THRESHOLD,
    )

    parser = subparsers.add_parser(
        "segment",
        parents=[json_option("print the classes, their pixels and any scores as JSON")],
        help="decode a colour-coded segmentation map (semantic, instance, referring)",
    )
    parser.add_argument("map", metavar="MAP", help="the segmentation image a model painted")
    threshold_help = (
        f"largest RGB distance (8-bit units) to a class or cluster colour (default "
        f"{DEFAULT_SEMANTIC_THRESHOLD:g}; {DEFAULT_INSTANCE_THRESHOLD:g} with --instances)"
    )
    add_segmentation_options(parser, classes_required=False, threshold_help=threshold_help)
    parser.add_argument(
        "--instances", action="store_true", help="cluster the map's colours into instances"
    )
    parser.add_argument(
        "--min-area",
        type=int,
        default=DEFAULT_MIN_AREA,
        metavar="PX",
        help="smallest instance in pixels (default %(default)s)",
    )
    parser.add_argument("--gt", metavar="LABELS", help="ground truth to score against")
    parser.add_argument("--out", metavar="PNG", help="write the labels as a PNG")
    parser.set_defaults(run=run)


def _decode(args: argparse.Namespace, classes: dict):
    from core.depth.seg_defaults import DEFAULT_INSTANCE_THRESHOLD, DEFAULT_SEMANTIC_THRESHOLD
    from core.depth.segmentation import decode_instances, decode_semantic
    from core.imageio import load_image

    pixels = load_image(args.map).pixels
    if args.instances:
        threshold = DEFAULT_INSTANCE_THRESHOLD if args.threshold is None else args.threshold
        return decode_instances(pixels, threshold=threshold, min_area=args.min_area, known=classes)
    threshold = DEFAULT_SEMANTIC_THRESHOLD if args.threshold is None else args.threshold
    return decode_semantic(pixels, classes, threshold=threshold)


def _lines(summary: dict):
    yield f"{summary['map']}: {summary['size'][1]} x {summary['size'][0]} px"
    total = max(summary["size"][0] * summary["size"][1], 1)
    for item in summary["classes"]:
        colour = ", ".join(str(v) for v in item["colour"])
        yield (
            f"  {item['label']:>3} {item['name']}: {100 * item['fraction']:.2f} % "
            f"({item['pixels']} px), colour ({colour})"
        )
    yield f"  unassigned: {100 * summary['unassigned'] / total:.2f} % ({summary['unassigned']} px)"
    if "scores" in summary:
        s = summary["scores"]
        miou = "-" if s["miou"] is None else f"{s['miou']:.4f}"
        iou = "-" if s["iou"] is None else f"{s['iou']:.4f}"
        yield f"against {summary['gt']}: mIoU {miou}, IoU {iou}"
    if "out" in summary:
        yield f"labels written to {summary['out']}"


def run(args: argparse.Namespace) -> int:
    if args.instances and args.gt:
        raise IrisError("--gt scores semantic or referring maps; instances need matching")
    if args.instances and args.min_area < 0:
        raise IrisError(f"--min-area {args.min_area}: must be >= 0 pixels")
    classes = checked_segmentation_args(args)
    if not classes and not args.instances:
        raise IrisError("--classes is required unless --instances is given")
    result = _decode(args, classes)
    summary = {"map": args.map, "mode": "instances" if args.instances else "semantic"}
    summary.update(result.as_dict())
    if args.gt:
        summary.update(_scores(args, result))
    if args.out:
        from core.imageio.encode import save_png

        values, bits = result.label_image()
        save_png(args.out, values.astype("float64") / (255.0 if bits == 8 else 65535.0), bits)
        summary["out"] = args.out
    if args.json:
        print(json.dumps(summary))
    else:
        for line in _lines(summary):
            print(line)
    return 0


def _scores(args: argparse.Namespace, result) -> dict:
    from core.depth.seg_evaluate import nearest_labels
    from core.depth.seg_ground_truth import load_label_gt
    from core.depth.seg_metrics import evaluate_segmentation

    classes = dict(zip(result.names, result.colours, strict=True))
    gt = load_label_gt(
        args.gt,
        classes,
        ignore_index=args.ignore_index,
        image_name=args.map,
        shape=result.labels.shape,
    )
    pred = nearest_labels(result.labels, gt.shape)
    return {"gt": args.gt, "scores": evaluate_segmentation(pred, gt, result.names).as_dict()}
