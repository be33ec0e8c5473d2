"""``iris runs list|show|import``: runs (iterative and restore), one run's steps, imported chains."""

from __future__ import annotations

import argparse
import json

from app.commands.common import json_option, project_option


def add_parser(subparsers) -> None:
    runs = subparsers.add_parser(
        "runs", help="list runs, show one run's steps, or import chains made elsewhere"
    )
    actions = runs.add_subparsers(dest="runs_command", metavar="ACTION", required=True)
    listing = actions.add_parser(
        "list",
        parents=[project_option(), json_option()],
        help="every run (iterative and restore) with its status",
    )
    listing.add_argument(
        "--kind", choices=("all", "iterate", "restore"), default="all", help="which runs"
    )
    listing.set_defaults(run=run_list)
    show = actions.add_parser(
        "show",
        parents=[project_option(), json_option()],
        help="one run's steps (step 0 is the input)",
    )
    show.add_argument("--run", dest="run_name", required=True, metavar="NAME")
    show.set_defaults(run=run_show)
    add_import_parser(actions)


DEFAULT_LAYOUT = "{image}/{run}/{step}.png"  # core.iterate.chain_import's (numpy-free here)


def add_import_parser(actions) -> None:
    from core.iterate.schedules import SCHEDULES

    imp = actions.add_parser(
        "import",
        parents=[project_option(), json_option()],
        help="import iterative chains from a folder (or a CSV manifest) as run groups",
        description="Each {image} becomes a run group, each {run} a run named IMAGE-RUN with "
        "steps 0..N ({step}; step 0 is the input). A text file beside a step with the same "
        "name ({step}.txt) holds its thoughts. A manifest is a CSV with columns image,run,"
        "step,path[,thoughts] (paths relative to it).",
    )
    imp.add_argument("folder", nargs="?", metavar="DIR", help="the folder of chains")
    imp.add_argument(
        "--layout", default=DEFAULT_LAYOUT, metavar="PATTERN",
        help=f"file pattern under DIR with {{image}}, {{run}}, {{step}} (default {DEFAULT_LAYOUT})",
    )  # fmt: skip
    imp.add_argument("--manifest", metavar="CSV", help="a CSV manifest instead of DIR")
    imp.add_argument(
        "--editor", default="imported", metavar="LABEL", help="the editor that made the chains"
    )
    imp.add_argument(
        "--schedule", default="replicate", choices=SCHEDULES,
        help="what each step asked for (mirror/rotate: the expected orientation per step)",
    )  # fmt: skip
    imp.set_defaults(run=run_import)


def all_runs(project) -> list[dict]:
    """Every run: iterative ones as ``iterate_runs`` lists them, restore runs beside them."""
    from core.iterate.steps import iterate_runs
    from core.project import ResultStatus, RunKind

    iterative = {row["run_id"]: row for row in iterate_runs(project)}
    out = []
    for run in project.runs():
        if run.id in iterative:
            out.append({"kind": RunKind.ITERATE.value, **iterative[run.id]})
            continue
        if run.kind != RunKind.RESTORE:
            continue
        results = project.results(run.id)
        out.append(
            {
                "kind": RunKind.RESTORE.value,
                "run": run.name,
                "run_id": run.id,
                "group": run.group_name,
                "editor": run.params.get("method", ""),
                "schedule": "",
                "status": run.status,
                "steps": len(results),
                "completed": sum(r.status == ResultStatus.OK for r in results),
                "error": run.error,
                "created_at": run.created_at,
            }
        )
    return out


def run_list(args: argparse.Namespace) -> int:
    from core.project import Project
    from core.redact import redact_data

    with Project.open(args.project) as project:
        runs = redact_data(all_runs(project))  # errors stored by an older IRIS
    if args.kind != "all":
        runs = [run for run in runs if run["kind"] == args.kind]
    if args.json:
        print(json.dumps(runs, sort_keys=True))
        return 0
    for run in runs:
        what = run["schedule"] if run["kind"] == "iterate" else "(restore)"
        print(
            f"{run['run']:<40} {run['status']:<9} {run['completed']:>4}/{run['steps']:<4} "
            f"{run['editor']} {what}" + (f"  ({run['error']})" if run["error"] else "")
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
        print(f"  {step['index']:>4} {step['status']:<6} {size:>11}  {_flags(step)}{detail}")
    return 0


def _flags(step: dict) -> str:
    """What a step line adds before its detail: its inputs when not the previous step alone,
    and whether a mirror/rotate step was performed."""
    flags = []
    if step["index"] > 0 and step["inputs"] != [step["index"] - 1]:
        flags.append("from steps " + ",".join(str(i) for i in step["inputs"]))
    if step["transform_performed"] is not None:
        flags.append(
            "transform " + ("performed" if step["transform_performed"] else "NOT performed")
        )
    return f"[{'; '.join(flags)}] " if flags else ""


def run_import(args: argparse.Namespace) -> int:
    from core.errors import IrisError
    from core.iterate.chain_import import import_chains, plan_folder, plan_manifest

    if bool(args.folder) == bool(args.manifest):
        raise IrisError("give the folder of chains or --manifest CSV (one of them)")
    if args.manifest:
        plans, source = plan_manifest(args.manifest), args.manifest
    else:
        plans, source = plan_folder(args.folder, args.layout), args.folder

    def report(run) -> None:
        if args.json:
            print(json.dumps(run.as_dict()), flush=True)
        else:
            print(f"{run.run}: {run.steps} steps, {run.thoughts} with thoughts ({run.group})")

    import_chains(
        args.project, plans, editor=args.editor, schedule=args.schedule, source=str(source),
        on_run=report,
    )  # fmt: skip
    return 0
