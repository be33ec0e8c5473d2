"""``iris score``: score image files, or project images and runs, with pyiqa metrics."""

from __future__ import annotations

import argparse
import json
import sys

from app.commands.common import project_option
from app.commands.metrics_common import (
    align_options,
    apply_weights_options,
    metric_list,
    metric_parents,
)
from app.commands.score_dataset import add_dataset_arguments, run_dataset
from core.errors import IrisError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "score",
        parents=[
            project_option(required=False),
            *metric_parents(metrics_required=False),
            align_options(),
        ],
        help="score images with pyiqa metrics (files, or a project's images and runs)",
        description=(
            "Without --project, score image files (full-reference metrics compare with --ref; "
            "an image of another size is resized to the reference's, see --align). "
            "With --project, score its images (given ids or names, a --run's outputs, or all); "
            "scores are stored in the project and never computed twice. "
            "With --dataset, score a whole folder tree or project into a results file, "
            "resumably, in this process or on a Ray cluster (--engine ray)."
        ),
    )
    parser.add_argument("images", nargs="*", metavar="IMAGE", help="files, or project ids/names")
    parser.add_argument(
        "--run", dest="run_name", metavar="NAME", help="score every output of this run"
    )
    parser.add_argument(
        "--ref",
        metavar="REF",
        help="reference for full-reference metrics: a file; with --project also input "
        "(for a step: the run's input, step 0), previous (the image it was made from), "
        "step0, step1, clean or an image id",
    )
    parser.add_argument("--list", action="store_true", help="list the metrics and exit")
    add_dataset_arguments(parser, required=False)
    parser.set_defaults(run=run)


def _list(as_json: bool) -> int:
    from core.metrics.catalogue import metric_info, metric_names

    infos = [metric_info(name) for name in metric_names()]
    if as_json:
        print(json.dumps([info.as_dict() for info in infos]))
        return 0
    for info in infos:
        direction = "lower" if info.lower_better else "higher"
        low, high = info.range
        where = "offline" if info.offline else "weights"
        print(f"{info.name:22} {info.mode}  {direction:6} better  [{low:g}, {high:g}]  {where}")
    return 0


def _print(report, as_json: bool) -> None:
    if as_json:
        print(
            json.dumps(
                {
                    "rows": [row.as_dict() for row in report.rows],
                    "computed": report.computed,
                    "cached": report.cached,
                }
            )
        )
        return
    for row in report.rows:
        value = f"{row.value:.6g}" if row.value is not None else f"error: {row.error}"
        align = f"\talign={row.align}" if row.align else ""
        print(f"{row.image}\t{row.metric}\t{value}{align}")


def run(args: argparse.Namespace) -> int:
    if args.list:
        return _list(args.json)
    metrics = metric_list(args.metrics)
    apply_weights_options(args)
    if args.dataset or args.out:
        if args.images or args.project or args.run_name or args.ref:
            raise IrisError("--dataset takes no IMAGE, --project, --run or --ref (see --ref-dir)")
        return run_dataset(args)
    if args.project is None:
        if not args.images:
            raise IrisError("give image files to score, or --project")
        if args.run_name:
            raise IrisError("--run needs --project")
        from core.metrics.scoring import score_files

        report = score_files(
            args.images,
            metrics,
            reference=args.ref,
            device=args.device,
            align_policy=args.align,
            align_filter=args.align_filter,
        )
    else:
        from core.metrics.scoring import score_project
        from core.project.lookup import resolve_images

        ids = resolve_images(args.project, args.images, import_files=True) if args.images else None
        report = score_project(
            args.project,
            metrics,
            image_ids=ids,
            run=args.run_name,
            reference=args.ref,
            device=args.device,
            align_policy=args.align,
            align_filter=args.align_filter,
        )
    _print(report, args.json)
    failed = [row for row in report.rows if row.error]
    for row in failed:
        print(f"iris: {row.image} {row.metric}: {row.error}", file=sys.stderr)
    return 1 if failed else 0
