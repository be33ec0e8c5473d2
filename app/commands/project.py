"""Project commands: ``iris new``, ``iris import``, ``iris info`` (JSON shapes in the README)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands.common import json_option, project_option
from core.errors import IrisError


def add_parser(subparsers) -> None:
    new = subparsers.add_parser("new", help="create an empty project folder")
    new.add_argument("project", metavar="DIR")
    new.add_argument("--name", help="display name (default: the folder name)")
    new.set_defaults(run=run_new)

    imp = subparsers.add_parser(
        "import",
        parents=[
            project_option(help="project folder (created if missing)"),
            json_option("print the report as JSON"),
        ],
        help="import image files or folders into a project",
    )
    imp.add_argument("paths", nargs="+", metavar="PATH")
    imp.set_defaults(run=run_import)

    info = subparsers.add_parser(
        "info", parents=[project_option(), json_option()], help="summarise a project"
    )
    info.set_defaults(run=run_info)


def _open(path: str, create: bool = False):
    from core.project import Project, is_project

    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise IrisError(f"{folder.resolve()}: is a file, not a project folder")
    if create and folder.exists() and not is_project(folder) and any(folder.iterdir()):
        raise IrisError(f"{folder.resolve()}: exists, is not empty and is not an IRIS project")
    return Project.open(folder, create=create)


def run_new(args: argparse.Namespace) -> int:
    with _open(args.project, create=True) as project:
        if args.name:
            project.set_meta("name", args.name)
        print(project.path)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from core.project.importer import import_paths

    # A missing path is refused like any bad file (listed with its reason); the rest import.
    _open(args.project, create=True).close()

    def show_progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\rimporting {done}/{total}", end="", file=sys.stderr, flush=True)

    report = import_paths(args.project, args.paths, progress=show_progress)
    if args.json:
        print(json.dumps(report.as_dict()))
    else:
        print(
            f"imported {len(report.imported)}, already present {len(report.duplicates)}, refused {len(report.errors)}"
        )
        for _path, error in report.errors:
            print(f"  refused: {error}")
    return 1 if report.errors else 0


def run_info(args: argparse.Namespace) -> int:
    with _open(args.project) as project:
        info = project.info()
    if args.json:
        print(json.dumps(info, sort_keys=True))
        return 0
    print(f"{info['name']}  ({info['path']})")
    print(f"schema {info['schema_version']}, created {info['created_at']} by {info['created_by']}")
    for table, count in info["counts"].items():
        print(f"  {table:<8} {count}")
    return 0
