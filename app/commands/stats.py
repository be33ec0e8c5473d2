"""``iris stats friedman``: are repeated runs of one setting scored alike? (Friedman test)."""

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
    parser = subparsers.add_parser("stats", help="statistics over runs (Friedman test)")
    tests = parser.add_subparsers(dest="test", metavar="TEST", required=True)
    friedman = tests.add_parser(
        "friedman",
        parents=[project_option(), *metric_parents()],
        help="Friedman test per metric across 3 or more runs",
        description=(
            "Per metric, a Friedman test with the runs as treatments and the items every run "
            "scored as blocks (shared input images, or steps of iterative runs)."
        ),
    )
    friedman.add_argument("--runs", required=True, metavar="A,B,C", help="runs or run groups")
    friedman.add_argument("--ref", metavar="REF", help="reference of full-reference metrics")
    friedman.set_defaults(run=run_friedman)


def run_friedman(args: argparse.Namespace) -> int:
    from core.metrics.series import collect_series, friedman_of

    metrics = metric_list(args.metrics)
    apply_weights_options(args)
    series = collect_series(
        args.project, split_names(args.runs, "run"), metrics, reference=args.ref, device=args.device
    )
    result = {metric: friedman_of(series, metric).as_dict() for metric in metrics}
    if args.json:
        print(json.dumps(result))
        return 0
    for metric, row in result.items():
        mark = "significant" if row["significant"] else "not significant"
        print(
            f"{metric:16} chi2={row['statistic']:.4f}  p={row['p_value']:.4g}  "
            f"({row['blocks']} items x {row['treatments']} runs, {mark})"
        )
    return 0
