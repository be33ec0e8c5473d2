"""``iris gaps``: Banana100 score gaps (Delta5/10/20 vs. step 1) and failure counts per metric."""

from __future__ import annotations

import argparse
import json

from app.commands.common import project_option
from app.commands.metrics_common import (
    apply_weights_options,
    metric_list,
    metric_parents,
    split_names,
)


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "gaps",
        parents=[project_option(), *metric_parents()],
        help="normalized score gaps of iterative runs vs. step 1, and metric failures",
        description=(
            "For each metric: the mean over runs of Delta_i = norm(step i) - norm(step 1) "
            "(normalized to [0, 100], higher = better), how many runs it fails on "
            "(any Delta > 0: the metric prefers the more edited image) and on how many input "
            "images (Banana100 Fig. 6: a cell counts the steps whose mean gap is > 0)."
        ),
    )
    parser.add_argument("--runs", required=True, metavar="A,B", help="runs or run groups")
    parser.add_argument("--ref", metavar="REF", help="reference of full-reference metrics")
    parser.add_argument("--steps", default="5,10,20", metavar="I,J", help="steps compared")
    parser.add_argument(
        "--count",
        choices=("steps", "runs"),
        default="steps",
        help="what a Fig. 6 cell (metric x image) counts: the steps whose mean gap is > 0 "
        "(the paper's, default) or the runs that fail",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from core.metrics.gaps import failed_images, failure_counts
    from core.metrics.series import collect_series, gaps_of

    metrics = metric_list(args.metrics)
    apply_weights_options(args)
    steps = [int(s) for s in split_names(args.steps, "step")]
    series = collect_series(
        args.project, split_names(args.runs, "run"), metrics, reference=args.ref, device=args.device
    )
    gaps = gaps_of(series, metrics, steps)
    result = {metric: g.as_dict(steps) for metric, g in gaps.items()}
    rows, images, cells = failure_counts(gaps, steps, count=args.count)
    for metric, (failed, scored) in failed_images(gaps, steps).items():
        result[metric].update(failed_images=failed, images=scored)
    for metric, row in zip(rows, cells, strict=True):
        result[metric]["cells"] = dict(zip(images, row, strict=True))
    if args.json:
        print(json.dumps(result))
        return 0
    for metric, row in result.items():
        deltas = "  ".join(
            f"D{s}={row[f'delta{s}']:+.2f}" if row[f"delta{s}"] is not None else f"D{s}=n/a"
            for s in steps
        )
        print(
            f"{metric:16} {deltas}  fails={row['fails']}/{len(gaps[metric].chains)} runs, "
            f"{row['failed_images']}/{row['images']} images"
        )
    return 0
