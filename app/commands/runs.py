"""``iris runs list`` and ``iris runs show``: iterative runs and their steps (JSON in the README)."""

from __future__ import annotations

import argparse
import json

from app.commands.common import json_option, project_option


def add_parser(subparsers) -> None:
    runs = subparsers.add_parser("runs", help="list iterative runs, or show one run's steps")
    actions = runs.add_subparsers(dest="runs_command", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        parents=[project_option(), json_option()],
        help="every iterative run with its status",
    )
    listing.set_defaults(run=run_list)
    show = actions.add_parser(
        "show",
        parents=[project_option(), json_option()],
        help="one run's steps (step 0 is the input)",
    )
    show.add_argument("--run", dest="run_name", required=True, metavar="NAME")
    show.set_defaults(run=run_show)


def run_list(args: argparse.Namespace) -> int:
    from core.iterate.steps import iterate_runs
    from core.project import Project
    from core.redact import redact_data

    with Project.open(args.project) as project:
        runs = redact_data(iterate_runs(project))  # errors stored by an older IRIS
    if args.json:
        print(json.dumps(runs, sort_keys=True))
        return 0
    for run in runs:
        print(
            f"{run['run']:<40} {run['status']:<9} {run['completed']:>4}/{run['steps']:<4} "
            f"{run['editor']} {run['schedule']}" + (f"  ({run['error']})" if run["error"] else "")
        )
    return 0


def run_show(args: argparse.Namespace) -> int:
    from core.iterate.steps import run_summary
    from core.project import Project
    from core.redact import redact_data

    with Project.open(args.project) as project:
        summary = redact_data(run_summary(project, args.run_name))
    if args.json:
        print(json.dumps(summary, sort_keys=True))
        return 0
    print(f"{summary['run']}: {summary['editor']}, {summary['status']}")
    for step in summary["steps"]:
        size = f"{step['width']}x{step['height']}" if step["width"] else "-"
        detail = step["error"] or (step["thoughts"] or "").split("\n")[0]
        print(f"  {step['index']:>4} {step['status']:<6} {size:>11}  {detail}")
    return 0
