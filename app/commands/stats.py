"""``iris stats friedman|correlate``: the studies' statistics over stored scores.

``friedman`` is seed 000's stability test (Table 3): per group and metric, the
repeats of ``iris restore --repeat 3`` as treatments and the input images as
blocks (``--group-by``), or named runs as treatments (``--runs``, as before).
``correlate`` is seed 003's Table 8: Kendall tau-b, SRCC and PLCC with p-values
of a metric against the human ratings or a second metric.
"""

from __future__ import annotations

import argparse
import json

from app.commands.common import device_option, json_option, project_option
from app.commands.metrics_common import (
    align_options,
    apply_weights_options,
    metric_list,
    metric_parents,
    split_names,
)
from core.errors import IrisError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "stats", help="statistics over scores (Friedman stability test, correlations)"
    )
    tests = parser.add_subparsers(dest="test", metavar="TEST", required=True)
    friedman = tests.add_parser(
        "friedman",
        parents=[project_option(), *metric_parents(), align_options()],
        help="Friedman test per metric across repeats (or 3 or more runs)",
        description=(
            "With --group-by: seed 000's Table 3, one Friedman test per group and metric, the "
            "repeats of 'iris restore --repeat 3' as treatments and the input images as blocks. "
            "With --runs alone: the runs as treatments and the items every run scored as blocks "
            "(shared input images, or steps of iterative runs)."
        ),
    )
    friedman.add_argument(
        "--group-by",
        metavar="KEY",
        help="prompt, prompt_group, method, run or a tag key: one test per value",
    )
    friedman.add_argument(
        "--runs",
        metavar="A,B,C",
        help="runs or run groups (with --group-by: only these restore runs)",
    )
    friedman.add_argument("--ref", metavar="REF", help="reference of full-reference metrics")
    friedman.set_defaults(run=run_friedman)

    correlate = tests.add_parser(
        "correlate",
        parents=[project_option(), device_option(), json_option(), align_options()],
        help="Kendall tau-b, SRCC, PLCC of a metric against human ratings or another metric",
        description=(
            "Seed 003's Table 8: Kendall's tau-b, Spearman's and Pearson's correlation, with "
            "p-values (scipy), of --metric against the human 0-5 ratings (--human, the mean of "
            "an image's raters) or --metric2, one pair per image, per method or per rating."
        ),
    )
    correlate.add_argument("--metric", required=True, metavar="NAME", help="the metric")
    correlate.add_argument("--ref", metavar="REF", help="reference of full-reference metrics")
    correlate.add_argument("--weights", metavar="DIR", help="weights folder (as iris score)")
    correlate.add_argument(
        "--allow-downloads", action="store_true", help="let metrics download missing weights"
    )
    against = correlate.add_mutually_exclusive_group(required=True)
    against.add_argument("--human", action="store_true", help="against the human ratings")
    against.add_argument("--metric2", metavar="NAME", help="against a second metric")
    correlate.add_argument(
        "--by",
        choices=("image", "method", "rating"),
        default="image",
        help="one pair per image (default), per method (means) or per rating (--human)",
    )
    correlate.set_defaults(run=run_correlate)


def run_friedman(args: argparse.Namespace) -> int:
    metrics = metric_list(args.metrics)
    apply_weights_options(args)
    if args.group_by:
        return _friedman_table(args, metrics)
    if not args.runs:
        raise IrisError("give --group-by KEY (repeats of a restore run) or --runs A,B,C")
    from core.metrics.series import collect_series, friedman_of

    series = collect_series(
        args.project,
        split_names(args.runs, "run"),
        metrics,
        reference=args.ref,
        device=args.device,
        align_policy=args.align,
        align_filter=args.align_filter,
    )
    if len(series) < 3 and any(s.kind == "restore" for s in series):
        raise IrisError(
            f"the Friedman test needs at least 3 runs, got {len(series)}; the repeats of one "
            "restore run are tested with --group-by run (or prompt)"
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


def _friedman_table(args: argparse.Namespace, metrics: list[str]) -> int:
    from core.studies.stability import friedman_table

    rows = friedman_table(
        args.project,
        args.group_by,
        metrics,
        args.ref,
        runs=split_names(args.runs, "run") if args.runs else None,
        device=args.device,
        align_policy=args.align,
        align_filter=args.align_filter,
    )
    if args.json:
        print(json.dumps({"group_by": args.group_by, "rows": [r.as_dict() for r in rows]}))
        return 0
    print(format_table3(rows, args.group_by, metrics))
    return 0


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_table3(rows, group_by: str, metrics: list[str]) -> str:
    """Seed 000's Table 3 layout: per group a Stat row and a p-val row, one column per metric,
    then a line per group naming the significant metrics (p < 0.05) and any notes."""
    by_cell = {(r.group, r.metric): r for r in rows}
    groups = list(dict.fromkeys(r.group for r in rows))
    width = max(9, *(len(m) + 1 for m in metrics))
    head_width = max(len(group_by), *(len(g) for g in groups)) + 1
    lines = [f"{group_by.capitalize():<{head_width}} {'Type':<6}" + "".join(
        f"{m:>{width}}" for m in metrics
    )]  # fmt: skip
    notes = []
    for group in groups:
        cells = [by_cell[(group, m)] for m in metrics]
        stats = "".join(f"{_number(c.statistic):>{width}}" for c in cells)
        pvals = "".join(f"{_number(c.p_value):>{width}}" for c in cells)
        lines.append(f"{group:<{head_width}} {'Stat':<6}{stats}")
        lines.append(f"{'':<{head_width}} {'p-val':<6}{pvals}")
        significant = [c.metric for c in cells if c.significant]
        shape = max((f"{c.blocks} images x {c.treatments} repeats" for c in cells), default="")
        text = f"{group}: {shape}; significant at 0.05: {', '.join(significant) or 'none'}"
        notes.append(text)
        notes += [f"  {c.metric}: {c.note}" for c in cells if c.note]
    tests = [r for r in rows if r.p_value is not None]
    total = sum(1 for r in tests if r.significant)
    notes.append(f"{total} of {len(tests)} tests significant at p < 0.05 (Friedman, scipy)")
    return "\n".join(lines + [""] + notes)


def run_correlate(args: argparse.Namespace) -> int:
    from core.studies.correlate import correlate

    metric_list(",".join(n for n in (args.metric, args.metric2) if n))  # unknown: one error
    apply_weights_options(args)
    result = correlate(
        args.project,
        args.metric,
        args.ref,
        human=args.human,
        metric2=args.metric2,
        by=args.by,
        device=args.device,
        align_policy=args.align,
        align_filter=args.align_filter,
    )
    if args.json:
        print(json.dumps(result.as_dict()))
        return 0
    print(f"{args.metric} against {result.against}, {result.n} pairs by {result.by}")
    print(f"{'Metric':<16}{'Correlation':>13}{'p-value':>12}")
    for c in result.coefficients:
        value = "undefined" if c.value is None else f"{c.value:.4f}"
        p = "-" if c.p_value is None else f"{c.p_value:.3g}"
        print(f"{c.title:<16}{value:>13}{p:>12}")
    return 0
