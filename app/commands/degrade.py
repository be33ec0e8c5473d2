"""``iris degrade``: synthesise degradations on a file or a folder, list kinds, make a contact sheet.

iris degrade IMAGE --kind haze --severity 4 --seed 7 --out hazy.png
iris degrade IMAGE --recipe chain.json --out damaged.png
iris degrade FOLDER --kind jpeg --out OUT_FOLDER
iris degrade --list [--json]
iris degrade --contact-sheet sheet.png IMAGE
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.commands.common import json_option, project_option
from core.errors import IrisError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "degrade",
        parents=[
            project_option(
                required=False,
                help="instead of --out: import IMAGE as the clean original and add its degraded "
                "copy to this project, linked to it",
            ),
            json_option(),
        ],
        help="apply reproducible synthetic degradations (blur, noise, haze, rain, ...)",
        description="Apply a degradation kind or a recipe (a JSON chain) to an image or a "
        "folder. The same image, recipe and seed always give the same bytes.",
    )
    parser.add_argument("image", nargs="?", metavar="IMAGE", help="image file or folder")
    parser.add_argument("--kind", metavar="NAME", help="degradation kind (see --list)")
    parser.add_argument("--severity", type=int, default=3, metavar="1-5", help="default 3")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override one parameter of --kind (repeatable)",
    )
    parser.add_argument("--recipe", metavar="FILE", help="recipe JSON (a chain of steps)")
    parser.add_argument("--out", metavar="PATH", help="output PNG (or folder in folder mode)")
    parser.add_argument("--save-recipe", metavar="FILE", help="also write the recipe used as JSON")
    parser.add_argument("--list", action="store_true", help="list the kinds and their parameters")
    parser.add_argument(
        "--contact-sheet", metavar="PNG", help="write every kind at severities 1, 3, 5 on IMAGE"
    )
    parser.add_argument("--tile", type=int, default=128, help="contact sheet tile size in pixels")
    parser.add_argument(
        "--palette", action="store_true", help="contact sheet as a 256-colour PNG (smaller file)"
    )
    parser.set_defaults(run=run)


def _parse_value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def build_recipe(args: argparse.Namespace):
    """The recipe the arguments ask for: ``--recipe`` or ``--kind`` with severity and params."""
    from core.degrade import Recipe, Step

    if args.recipe and args.kind:
        raise IrisError("give either --kind or --recipe, not both")
    if args.recipe:
        if args.param:
            raise IrisError("--param applies to --kind; edit the recipe file instead")
        return Recipe.load(args.recipe)
    if not args.kind:
        raise IrisError("say what to apply: --kind NAME or --recipe FILE (see --list)")
    params = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise IrisError(f"--param {item!r}: expected KEY=VALUE")
        params[key.strip()] = _parse_value(value.strip())
    return Recipe([Step(args.kind, args.severity, params)]).validate()


def run_list(args: argparse.Namespace) -> int:
    from core.degrade import describe_all

    kinds = describe_all()
    if args.json:
        print(json.dumps({"kinds": kinds}, indent=None))
        return 0
    for kind in kinds:
        print(f"{kind['name']:<24} {kind['family']:<13} {kind['summary']}")
        for param in kind["params"]:
            values = param.get("levels", param.get("default"))
            extra = f" one of {param['choices']}" if "choices" in param else ""
            print(f"    {param['name']:<14} {values}{extra}  {param['help']}")
    return 0


def run_contact_sheet(args: argparse.Namespace) -> int:
    from core.degrade.contact_sheet import contact_sheet, save_sheet
    from core.imageio import load_image

    if not args.image:
        raise IrisError("--contact-sheet needs an IMAGE to degrade")
    pixels = load_image(args.image).pixels
    title = f"IRIS degradations on {Path(args.image).name}, seed {args.seed}"
    sheet = contact_sheet(pixels, seed=args.seed, tile=args.tile, title=title)
    save_sheet(args.contact_sheet, sheet, palette=args.palette)
    print(args.contact_sheet)
    return 0


def _progress(args: argparse.Namespace):
    def show(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\rdegrading {done}/{total}", end="", file=sys.stderr, flush=True)

    return show


def run(args: argparse.Namespace) -> int:
    if args.list:
        return run_list(args)
    if args.contact_sheet:
        return run_contact_sheet(args)
    from core.degrade.batch import degrade_file, degrade_folder, provenance

    if not args.image:
        raise IrisError("give an IMAGE (file or folder), or --list")
    if not args.out and not args.project:
        raise IrisError("give --out (a .png file, or a folder for folder mode) or --project")
    if args.out and args.project:
        raise IrisError("give either --out or --project, not both")
    source = Path(args.image)
    if not source.exists():
        raise IrisError(f"{source}: no such file or folder")
    recipe = build_recipe(args)
    if args.save_recipe:
        recipe.save(args.save_recipe)
    if args.project:
        return run_project(args, source, recipe)
    if source.is_dir():
        report = degrade_folder(source, args.out, recipe, args.seed, progress=_progress(args))
        if args.json:
            print(json.dumps({**report.as_dict(), **provenance(recipe, args.seed)}))
        else:
            print(
                f"degraded {len(report.written)} images into {args.out}, refused {len(report.errors)}"
            )
            for path, error in report.errors:
                print(f"  refused {path}: {error}")
        return 1 if report.errors else 0
    out = degrade_file(source, args.out, recipe, args.seed)
    if args.json:
        print(json.dumps({"output": str(out), **provenance(recipe, args.seed)}))
    else:
        print(out)
    return 0


def run_project(args: argparse.Namespace, source: Path, recipe) -> int:
    from core.degrade.batch import degrade_paths_into_project, provenance
    from core.project import Project

    Project.open(args.project).close()  # an existing project only: never create one by accident
    made, refused = degrade_paths_into_project(
        args.project, [source], recipe, args.seed, progress=_progress(args)
    )
    if args.json:
        errors = [{"path": p, "error": e} for p, e in refused]
        print(json.dumps({"degraded": made, "errors": errors, **provenance(recipe, args.seed)}))
    else:
        print(f"added {len(made)} degraded images to {args.project}, refused {len(refused)}")
        for _path, error in refused:
            print(f"  refused: {error}")
    return 1 if refused else 0
