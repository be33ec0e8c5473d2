"""Restore commands: ``iris restore``, ``iris methods`` and ``iris import-method``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands.common import device_option, json_option, project_option
from core.errors import IrisError


def add_parser(subparsers) -> None:
    restore = subparsers.add_parser(
        "restore",
        parents=[project_option(), device_option()],
        help="run a restorer or editor on project images (one JSON line per result)",
    )
    restore.add_argument("--method", required=True, metavar="NAME", help="see 'iris methods'")
    restore.add_argument("--model", metavar="FILE", help="model file for the spandrel method")
    restore.add_argument(
        "--prompt", metavar="ID_OR_TEXT", help="prompt id from the library (e.g. LF3) or text"
    )
    restore.add_argument(
        "--param", action="append", default=[], metavar="KEY=VALUE", help="a method parameter"
    )
    restore.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="outputs per image, in one run (3 for the stability test, iris stats friedman)",
    )
    restore.add_argument(
        "--run",
        dest="run_name",
        metavar="NAME",
        help="name of the new run (unique; default: made up)",
    )
    restore.add_argument(
        "images", nargs="+", metavar="IMAGE", help="image id, image name, or a file to import"
    )
    restore.set_defaults(run=run_restore)

    methods = subparsers.add_parser(
        "methods", parents=[json_option()], help="list restoration methods and parameters"
    )
    methods.set_defaults(run=run_methods)

    imported = subparsers.add_parser(
        "import-method",
        parents=[project_option(), json_option("print the report as JSON")],
        help="register a folder of another method's outputs as results",
    )
    imported.add_argument("--name", required=True, metavar="NAME", help="the method's name")
    imported.add_argument("folder", metavar="FOLDER")
    imported.set_defaults(run=run_import_method)


def run_restore(args: argparse.Namespace) -> int:
    from core.methods import get_method, parse_param_strings
    from core.methods.runner import check_repeat, check_run_name, restore_images
    from core.project import Project
    from core.project.lookup import resolve_images

    method = get_method(args.method)
    params: dict[str, object] = parse_param_strings(args.param)
    if args.model:
        method.param("model")
        params["model"] = args.model
    if args.prompt:
        method.param("prompt")
        params["prompt"] = args.prompt
    method.prepare(params)  # a method that cannot run fails before any image is imported
    check_repeat(args.repeat)
    if args.run_name is not None:
        with Project.open(args.project) as project:
            check_run_name(project, args.run_name)  # a taken name fails before any import too
    ids = resolve_images(args.project, args.images, import_files=True)

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
        run_name=args.run_name,
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
