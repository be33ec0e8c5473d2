"""``iris gui``: open the window, optionally on a project and view, optionally screenshot and exit."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.errors import IrisError


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("gui", help="open the IRIS window (the default command)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--project", metavar="DIR", help="project folder (default: the last one)")
    where.add_argument("--sample", action="store_true", help="open the bundled sample project")
    parser.add_argument("--view", metavar="NAME", help="central view to show (see the View menu)")
    parser.add_argument(
        "--screenshot", metavar="PNG", help="save a screenshot once loaded, then exit"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from app.views import view_name
    from core.paths import is_project

    if args.project and not is_project(args.project):
        raise IrisError(f"{Path(args.project).resolve()}: not an IRIS project (no iris.db)")
    if args.view:
        args.view = view_name(args.view)  # a name or a title: --view metrics is the plots view
    from app.gui import launch

    return launch(
        project=args.project, view=args.view, screenshot=args.screenshot, sample=args.sample
    )
