"""``iris ratings import|export|summary``: human 0-5 ratings (seed 000's user study) as CSV."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.commands.common import json_option, project_option


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "ratings", help="import, export or summarise human 0-5 ratings (CSV image,rater,score)"
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = actions.add_parser(
        "import",
        parents=[project_option()],
        help="store the ratings of a CSV (image,rater,score): all rows or none",
    )
    imp.add_argument("file", metavar="FILE")
    imp.set_defaults(run=run_import)
    exp = actions.add_parser(
        "export", parents=[project_option()], help="write the ratings as CSV image,rater,score"
    )
    exp.add_argument("file", metavar="FILE")
    exp.add_argument("--rater", metavar="NAME", help="only this rater's ratings")
    exp.set_defaults(run=run_export)
    summary = actions.add_parser(
        "summary",
        parents=[project_option(), json_option()],
        help="per method: ratings, mean, sd and how many of each score 0-5",
    )
    summary.add_argument("--rater", metavar="NAME", help="only this rater's ratings")
    summary.set_defaults(run=run_summary)


def _open(path: str):
    from core.project import Project

    return Project.open(Path(path))


def run_import(args: argparse.Namespace) -> int:
    from core.studies.ratings import import_ratings

    with _open(args.project) as project:
        count = import_ratings(project, args.file)
    print(f"stored {count} ratings from {args.file}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from core.studies.ratings import export_ratings

    with _open(args.project) as project:
        count = export_ratings(project, args.file, args.rater)
    print(f"exported {count} ratings to {args.file}")
    return 0


def run_summary(args: argparse.Namespace) -> int:
    from core.studies.ratings import method_summary

    with _open(args.project) as project:
        rows = method_summary(project, args.rater)
    if args.json:
        print(json.dumps([row.as_dict() for row in rows]))
        return 0
    print(f"{'method':<24}{'n':>6}{'mean':>8}{'sd':>8}   scores 0..5")
    for row in rows:
        sd = "-" if row.sd is None else f"{row.sd:.2f}"
        counts = " ".join(f"{c:>3}" for c in row.distribution)
        print(f"{row.method:<24}{row.n:>6}{row.mean:>8.2f}{sd:>8}   {counts}")
    return 0
