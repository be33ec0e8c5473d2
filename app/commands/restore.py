"""Restore commands: ``iris restore``, ``iris methods`` and ``iris import-method``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.errors import IrisError


def add_parser(subparsers) -> None:
    restore = subparsers.add_parser(
        "restore", help="run a restorer or editor on project images (one JSON line per result)"
    )
    restore.add_argument("--project", required=True, metavar="DIR")
    restore.add_argument("--method", required=True, metavar="NAME", help="see 'iris methods'")
    restore.add_argument("--model", metavar="FILE", help="model file for the spandrel method")
    restore.add_argument(
        "--prompt", metavar="ID_OR_TEXT", help="prompt id from the library (e.g. LF3) or text"
    )
    restore.add_argument(
        "--param", action="append", default=[], metavar="KEY=VALUE", help="a method parameter"
    )
    restore.add_argument("--repeat", type=int, default=1, metavar="N", help="runs per image")
    restore.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    restore.add_argument(
        "images", nargs="+", metavar="IMAGE", help="image id, image name, or a file to import"
    )
    restore.set_defaults(run=run_restore)

    methods = subparsers.add_parser("methods", help="list restoration methods and parameters")
    methods.add_argument("--json", action="store_true", help="print JSON")
    methods.set_defaults(run=run_methods)

    imported = subparsers.add_parser(
        "import-method", help="register a folder of another method's outputs as results"
    )
    imported.add_argument("--project", required=True, metavar="DIR")
    imported.add_argument("--name", required=True, metavar="NAME", help="the method's name")
    imported.add_argument("folder", metavar="FOLDER")
    imported.add_argument("--json", action="store_true", help="print the report as JSON")
    imported.set_defaults(run=run_import_method)


def resolve_images(project_dir: str, specs: list[str]) -> list[int]:
    """Image ids from ids, project image names or files (imported on the way)."""
    from core.imageio import read_image_file
    from core.project import Project
    from core.project.blobs import sha256_of
    from core.project.importer import import_paths

    ids: list[int] = []
    with Project.open(project_dir) as project:
        by_name: dict[str, list[int]] = {}
        for record in project.images():
            by_name.setdefault(record.name, []).append(record.id)
        for spec in specs:
            path = Path(spec)
            if spec.isdigit():
                ids.append(project.image(int(spec)).id)
            elif path.is_file():
                found = project.find_images(sha256_of(read_image_file(path)))
                if not found:
                    report = import_paths(project.path, [path])
                    if report.errors:
                        raise IrisError(report.errors[0][1])
                    found = [project.image(report.imported[0])]
                ids.append(found[0].id)
            elif spec in by_name:
                if len(by_name[spec]) > 1:
                    raise IrisError(f"{spec!r} names {len(by_name[spec])} images; give an id")
                ids.append(by_name[spec][0])
            else:
                raise IrisError(f"{spec!r}: not an image id, image name or file of this project")
    return ids


def run_restore(args: argparse.Namespace) -> int:
    from core.methods import get_method, parse_param_strings
    from core.methods.runner import restore_images

    method = get_method(args.method)
    params: dict[str, object] = parse_param_strings(args.param)
    if args.model:
        method.param("model")
        params["model"] = args.model
    if args.prompt:
        method.param("prompt")
        params["prompt"] = args.prompt
    method.validate(params)
    ids = resolve_images(args.project, args.images)

    def show(result) -> None:
        print(json.dumps(result.as_dict(), sort_keys=True), flush=True)

    def show_progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\rrestoring {100 * done // max(total, 1)}%", end="", file=sys.stderr)

    results = restore_images(
        args.project,
        ids,
        args.method,
        params,
        repeat=args.repeat,
        device=args.device,
        on_result=show,
        progress=show_progress,
    )
    return 0 if all(r.status == "ok" for r in results) else 1


def run_methods(args: argparse.Namespace) -> int:
    from core.methods import METHODS

    # Sorted by name, as ``iris methods`` has always listed them (menus use registration order).
    methods = [METHODS.get(name) for name in sorted(METHODS.names())]
    if args.json:
        print(json.dumps([m.as_dict() for m in methods], sort_keys=True))
        return 0
    for method in methods:
        print(f"{method.name:<14} {method.kind:<10} {method.title}")
        for param in method.params:
            spec = param.as_dict()
            extra = spec.get("choices") or [spec.get("min"), spec.get("max")]
            print(f"    {param.name:<16} {param.type:<6} default {param.default!r}  {extra}")
    return 0


def run_import_method(args: argparse.Namespace) -> int:
    from core.methods.imported import import_method_outputs

    folder = Path(args.folder)
    if not folder.is_dir():
        raise IrisError(f"{folder}: not a folder")
    report = import_method_outputs(args.project, args.name, folder)
    if args.json:
        print(json.dumps(report.as_dict(), sort_keys=True))
    else:
        print(
            f"registered {len(report.matched)} outputs of {args.name!r}; "
            f"{len(report.unmatched_files)} files match no input; "
            f"{len(report.inputs_without_output)} inputs have no output"
        )
        for path in report.unmatched_files:
            print(f"  no input named like: {path}")
        for name in report.inputs_without_output:
            print(f"  no output for input: {name}")
        for path, error in report.errors:
            print(f"  refused: {path}: {error}")
    return 1 if report.errors else 0
