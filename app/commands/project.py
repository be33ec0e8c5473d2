"""Project commands: ``iris new``, ``iris import``, ``iris info`` (JSON shapes in the README).

``iris import`` may tag what it imports: ``--tags-from-path '{scene}/{name}'`` reads
tags from each file's path under the folder given, ``--manifest FILE`` from a CSV.
"""

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
    imp.add_argument("paths", nargs="*", metavar="PATH")
    imp.add_argument(
        "--tags-from-path", metavar="PATTERN",
        help="tag each file from its path under the folder(s) given, e.g. "
        "'{scene}/{degradation}/{name}' ({name} is the file name, {*} matches anything); "
        "a file whose path does not match is refused",
    )  # fmt: skip
    imp.add_argument(
        "--manifest", metavar="FILE",
        help="import the files a CSV lists: a 'path' column (relative to the CSV's folder), "
        "an optional 'name' column, and one column per tag key",
    )  # fmt: skip
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
    from core.project.importer import import_manifest, import_paths, import_tagged

    if args.manifest and args.tags_from_path:
        raise IrisError("--manifest and --tags-from-path: choose one source of tags")
    if args.manifest and args.paths:
        raise IrisError("--manifest lists the files to import; give no PATH with it")
    if not args.manifest and not args.paths:
        raise IrisError("give the files or folders to import (or --manifest FILE)")
    if args.manifest:
        from core.studies.tagging import read_manifest

        read_manifest(args.manifest)  # a bad manifest stops before the project is created
    elif args.tags_from_path:
        from core.studies.tagging import compile_pattern

        compile_pattern(args.tags_from_path)
    # A missing path is refused like any bad file (listed with its reason); the rest import.
    _open(args.project, create=True).close()

    def show_progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\rimporting {done}/{total}", end="", file=sys.stderr, flush=True)

    if args.manifest:
        report = import_manifest(args.project, args.manifest, progress=show_progress)
    elif args.tags_from_path:
        report = import_tagged(
            args.project, args.paths, args.tags_from_path, progress=show_progress
        )
    else:
        report = import_paths(args.project, args.paths, progress=show_progress)
    if args.json:
        print(json.dumps(report.as_dict()))
    else:
        tagged = f", tagged {len(report.tagged)}" if report.tagged else ""
        print(
            f"imported {len(report.imported)}, already present {len(report.duplicates)}, "
            f"refused {len(report.errors)}{tagged}"
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
