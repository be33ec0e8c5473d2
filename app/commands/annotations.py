"""``iris annotations export|import|summary``: annotation exchange from the shell."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.commands.common import CoreChoices, json_option, project_option
from core.errors import IrisError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("annotations", help="export, import or summarise annotations")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    export = actions.add_parser(
        "export", parents=[project_option()], help="write the project's annotations to a file"
    )
    export.add_argument(
        "--format",
        required=True,
        choices=CoreChoices("core.annotations.exchange", "FORMATS"),
        metavar="FORMAT",
        help="%(choices)s",
    )
    export.add_argument("--out", required=True, metavar="FILE")
    export.add_argument(
        "--include-deleted", action="store_true", help="also write soft-deleted ones (csv, json)"
    )
    export.set_defaults(run=run_export)

    imp = actions.add_parser(
        "import",
        parents=[project_option(), json_option("print the report as JSON")],
        help="merge annotation files (csv, json, coco) into a project",
    )
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.set_defaults(run=run_import)

    summary = actions.add_parser(
        "summary",
        parents=[project_option(), json_option()],
        help="flags per label, cases (images flagged) per prompt, method or tag; agreement",
    )
    summary.add_argument(
        "--by",
        default="prompt",
        metavar="KEY",
        help="count cases per method, prompt (default), annotator or a tag key",
    )
    summary.set_defaults(run=run_summary)

    taxonomy = actions.add_parser(
        "taxonomy", parents=[project_option()], help="print, set or reset the project's labels"
    )
    which = taxonomy.add_mutually_exclusive_group()
    which.add_argument("--set", metavar="FILE", help="store this taxonomy JSON in the project")
    which.add_argument("--reset", action="store_true", help="go back to the default taxonomy")
    taxonomy.set_defaults(run=run_taxonomy)


def _open(path: str):
    from core.project import Project

    return Project.open(Path(path))


def run_export(args: argparse.Namespace) -> int:
    from core.annotations.exchange import export_project

    with _open(args.project) as project:
        count = export_project(project, args.format, args.out, args.include_deleted)
    print(f"exported {count} annotations to {args.out}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from core.annotations.exchange import import_files

    missing = [f for f in args.files if not Path(f).exists()]  # a folder or FIFO: the reader says
    if missing:
        raise IrisError(f"{missing[0]}: no such file")
    with _open(args.project) as project:
        report = import_files(project, args.files)
    if args.json:
        print(json.dumps(report.as_dict(), sort_keys=True))
    else:
        print(
            f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
            f"without a matching image {report.unmatched_images}"
        )
    return 0


def run_summary(args: argparse.Namespace) -> int:
    from core.annotations.summary import case_table, summary
    from core.annotations.taxonomy import project_taxonomy

    with _open(args.project) as project:
        try:
            table = case_table(project, args.by)
        except ValueError as exc:
            raise IrisError(str(exc)) from None
        data = summary(project)
        taxonomy = project_taxonomy(project)
    if args.json:
        print(json.dumps(data, sort_keys=True))
        return 0
    print(f"{data['annotations']} annotations by {', '.join(data['annotators']) or 'nobody'}")
    for label, n in sorted(data["by_label"].items(), key=lambda kv: -kv[1]):
        kappa = data["agreement"].get(label, {}).get("kappa")
        extra = f"   kappa {kappa:.3f}" if kappa is not None else ""
        print(f"  {label:<34} {n:>5}{extra}")
    groups = {group.id: group.title for group in taxonomy.groups}
    print(format_cases(table, lambda row: groups.get(row) or taxonomy.title(row)))
    return 0


def format_cases(table, title) -> str:
    """Cases (images with a flag of the row) per column, as "cases/reviewed"."""
    if not table.columns:
        return "no image reviewed or flagged yet"
    width = max(9, *(len(c) + 2 for c in table.columns))
    rows = [r for r in table.rows if r in table.groups or table.cases.get(r)]
    name = max(len(title(r)) + 2 for r in rows)
    lines = [f"cases per {table.by} (images flagged / images reviewed)"]
    lines.append(" " * name + "".join(f"{c:>{width}}" for c in table.columns))
    for row in rows:
        label = title(row).upper() if row in table.groups else "  " + title(row)
        cells = [
            f"{table.cases.get(row, {}).get(c, 0)}/{table.reviewed.get(c, 0)}"
            for c in table.columns
        ]
        lines.append(f"{label:<{name}}" + "".join(f"{cell:>{width}}" for cell in cells))
    return "\n".join(lines)


def run_taxonomy(args: argparse.Namespace) -> int:
    from core.annotations.taxonomy import (
        load_taxonomy_file,
        project_taxonomy,
        set_project_taxonomy,
    )

    with _open(args.project) as project:
        if args.set:
            set_project_taxonomy(project, load_taxonomy_file(args.set))
        elif args.reset:
            set_project_taxonomy(project, None)
        print(json.dumps(project_taxonomy(project).as_dict(), indent=1))
    return 0
