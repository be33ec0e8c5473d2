"""``iris export``: a run's, a kind's or a tag's images as files, with a provenance manifest."""

from __future__ import annotations

import argparse
import json
import sys

from app.commands.common import json_option, project_option


def add_parser(subparsers) -> None:
    from core.studies.export import DEFAULT_NAME, FIELDS

    export = subparsers.add_parser(
        "export",
        parents=[project_option(), json_option("print the report as JSON")],
        help="write images (the stored bytes) and manifest.csv of their provenance to a folder",
        description="Write the chosen images, byte for byte as stored, into a folder with "
        "manifest.csv (file, image id, name, kind, sha256, run, method, step, repeat, input, "
        "tags). --run, --kind and --tag may be combined: an image must match them all.",
    )
    export.add_argument("--run", dest="run_name", metavar="NAME", help="the images of this run")
    export.add_argument("--kind", metavar="KIND", help="images of this kind (restored, step...)")
    export.add_argument(
        "--tag", dest="tags", action="append", default=[], metavar="KEY=VALUE",
        help="images with this tag (inherited tags count; repeatable: all must match)",
    )  # fmt: skip
    export.add_argument("--out", required=True, metavar="DIR", help="the folder to write into")
    export.add_argument(
        "--name", default=DEFAULT_NAME, metavar="PATTERN",
        help=f"file names (default {DEFAULT_NAME!r}); fields: {', '.join(FIELDS)} and any "
        "tag key; '/' makes sub-folders; the extension is always the stored format's",
    )  # fmt: skip
    export.set_defaults(run=run_export)


def run_export(args: argparse.Namespace) -> int:
    from core.project import Project
    from core.project.kinds import ImageKind, checked
    from core.project.tags import parse_tag
    from core.studies.export import export_images, select_images

    tags = dict(parse_tag(text) for text in args.tags)
    kind = None
    if args.kind is not None:
        try:
            kind = checked(ImageKind, args.kind, "image kind").value
        except ValueError as exc:
            from core.errors import IrisError

            raise IrisError(str(exc)) from None
    with Project.open(args.project) as project:
        ids = select_images(project, run=args.run_name, kind=kind, tags=tags)

    def show_progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\rexporting {done}/{total}", end="", file=sys.stderr, flush=True)

    report = export_images(args.project, ids, args.out, name=args.name, progress=show_progress)
    if args.json:
        print(json.dumps(report.as_dict(), sort_keys=True))
    else:
        print(f"exported {len(report.rows)} images to {report.out_dir} ({report.manifest.name})")
        for image_id, error in report.errors:
            print(f"  not exported: image {image_id}: {error}")
    return 1 if report.errors else 0
