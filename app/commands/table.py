"""``iris table``: a pivot of a project's stored scores (seed 000's Tables 2, 4 and 5)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.commands.common import device_option, json_option, project_option
from app.commands.metrics_common import align_options, apply_weights_options, metric_options
from core.errors import IrisError

FORMATS = ("csv", "md", "latex", "json")


def _where(text: str) -> tuple[str, str]:
    if "=" not in text or not text.split("=", 1)[0].strip():
        raise argparse.ArgumentTypeError(f"{text!r}: write it as key=value")
    key, value = text.split("=", 1)
    return key.strip(), value.strip()


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} is negative")
    return value


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "table",
        parents=[
            project_option(),
            metric_options(),
            device_option(),
            json_option("same as --format json"),
            align_options(),
        ],
        help="a table of stored scores: rows by any keys, a statistic per metric",
        description=(
            "Pivot the project's stored scores: one row per value of the --rows keys (method, "
            "model, prompt, prompt_group, run, group, repeat, step, kind, image, input and any "
            "tag key), one column per metric (or per metric and value of a --cols key). The "
            "unit is the image. Images with no stored score are counted per cell as missing "
            "(--compute scores them, as 'iris score --project' would), never dropped."
        ),
    )
    parser.add_argument("--rows", required=True, metavar="KEYS", help="comma-separated keys")
    parser.add_argument("--cols", default="metric", metavar="KEY", help="metric (default) or a key")
    parser.add_argument(
        "--ref",
        metavar="REF",
        help="which full-reference scores: input, previous, step0, step1, clean, an image id "
        "or a file (as 'iris score --ref' names them)",
    )
    parser.add_argument(
        "--where",
        action="append",
        type=_where,
        default=[],
        metavar="KEY=VALUE",
        help="keep images whose key has this value; repeat it (a key given twice: either value)",
    )
    parser.add_argument(
        "--stat",
        default="mean",
        metavar="A,B",
        help="statistics per cell: mean, sd, n, ci95, median, min, max (default: mean)",
    )
    parser.add_argument(
        "--subtotals",
        metavar="KEY",
        help="an average row after each value of this row key (e.g. prompt_group)",
    )
    parser.add_argument("--total", action="store_true", help="add a row over every image")
    parser.add_argument("--format", choices=FORMATS, default="md", help="output (default: md)")
    parser.add_argument(
        "--digits", type=_count, default=3, help="decimals in md and latex (default: 3)"
    )
    parser.add_argument(
        "--seed", type=_count, default=0, help="seed of the ci95 bootstrap (default: 0)"
    )
    parser.add_argument(
        "--resamples", type=_count, default=1000, help="bootstrap resamples (default: 1000)"
    )
    parser.add_argument(
        "--compute",
        action="store_true",
        help="score the images the table has no stored score for first",
    )
    parser.add_argument("--out", metavar="FILE", help="write the table here instead of stdout")
    parser.set_defaults(run=run)


def _names(text: str, what: str) -> list[str]:
    names = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not names:
        raise IrisError(f"give at least one {what}")
    return names


def run(args: argparse.Namespace) -> int:
    from core.files import write_atomic
    from core.studies.formats import render
    from core.studies.table import TableSpec, project_table

    apply_weights_options(args)
    where: dict[str, list[str]] = {}
    for key, value in args.where:
        where.setdefault(key, []).append(value)
    spec = TableSpec(
        rows=_names(args.rows, "row key (--rows)"),
        metrics=_names(args.metrics, "metric (--metrics)"),
        cols=args.cols.strip() or "metric",
        stats=_names(args.stat, "statistic (--stat)"),
        where=where,
        subtotals=args.subtotals,
        total=args.total,
        seed=args.seed,
        resamples=args.resamples,
    )
    table = project_table(
        args.project,
        spec,
        reference=args.ref,
        compute=args.compute,
        device=args.device,
        align_policy=args.align,
        align_filter=args.align_filter,
    )
    text = render(table, "json" if args.json else args.format, args.digits)
    if args.out:
        try:
            write_atomic(Path(args.out), text.encode("utf-8"))
        except OSError as exc:
            raise IrisError(f"{args.out}: cannot write the table ({exc.strerror or exc})") from exc
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    missing = table.missing_total()
    if missing and not args.compute:
        print(
            f"iris table: {missing} cell value(s) have no stored score; --compute scores them",
            file=sys.stderr,
        )
    return 0
