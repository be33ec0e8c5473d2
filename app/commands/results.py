"""``iris results import --project DIR RESULTS``: bring dataset scores into a project."""

from __future__ import annotations

import argparse
import json

from app.commands.common import project_option


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "results",
        help="import dataset scoring results (parquet/csv) into a project",
        description="Work with the results files 'iris score --dataset' writes.",
    )
    actions = parser.add_subparsers(dest="results_action", metavar="ACTION", required=True)
    importer = actions.add_parser(
        "import",
        parents=[project_option(help="the project")],
        help="write every row into the project's scores (images added when still on disk)",
    )
    importer.add_argument("results", metavar="RESULTS", help="a .parquet or .csv results file")
    importer.set_defaults(run=run_import)


def run_import(args: argparse.Namespace) -> int:
    from core.dataset.importer import import_results

    report = import_results(args.project, args.results)
    print(json.dumps(report.as_dict()))
    return 0
