"""``iris tag``: set, remove and list study tags (``key=value``) on a project's images.

Images are named as every command names them (an id, an image name or a file of the
project: :mod:`core.project.lookup`). Outputs show their input's tags unless they set
their own, so tagging the inputs of a study tags everything made from them.
"""

from __future__ import annotations

import argparse
import json

from app.commands.common import json_option, project_option
from core.errors import IrisError


def add_parser(subparsers) -> None:
    tag = subparsers.add_parser(
        "tag",
        parents=[project_option(), json_option("print the result as JSON")],
        help="set, remove or list study tags (key=value) on images",
        description="Give images study tags (scene=text, degradation=blur, ...), remove "
        "them, or list them. Outputs inherit their input's tags.",
    )
    tag.add_argument(
        "--set", dest="set_tags", action="append", default=[], metavar="KEY=VALUE",
        help="a tag to give every image (repeat the flag for several)",
    )  # fmt: skip
    tag.add_argument(
        "--remove", dest="remove_keys", action="append", default=[], metavar="KEY",
        help="a tag key to remove from every image (its own tag; repeatable)",
    )  # fmt: skip
    tag.add_argument(
        "--list", action="store_true",
        help="list the images' tags (all tagged images when no IMAGE is given)",
    )  # fmt: skip
    tag.add_argument("images", nargs="*", metavar="IMAGE", help="image ids, names or files")
    tag.set_defaults(run=run_tag)


def run_tag(args: argparse.Namespace) -> int:
    from core.project import Project
    from core.project.lookup import resolve_images
    from core.project.tags import check_tag, parse_tag

    if args.list:
        if args.set_tags or args.remove_keys:
            raise IrisError("--list only lists; run --set/--remove without it")
        ids = resolve_images(args.project, args.images, import_files=False) if args.images else None
        return _list(args, ids)
    if not args.images:
        raise IrisError("name the images to tag (ids, names or files), or use --list")
    if not args.set_tags and not args.remove_keys:
        raise IrisError("nothing to do: give --set KEY=VALUE and/or --remove KEY")
    tags = dict(parse_tag(text) for text in args.set_tags)
    removed = [check_tag(key, "x")[0] for key in args.remove_keys]
    if both := sorted(set(tags) & set(removed)):
        raise IrisError(f"--set and --remove both name {', '.join(both)}")
    ids = resolve_images(args.project, args.images, import_files=False)
    with Project.open(args.project) as project, project.transaction():  # all images, or none
        written = project.set_tags(ids, tags) if tags else 0
        dropped = project.remove_tags(ids, removed) if removed else 0
    if args.json:
        print(json.dumps({"images": ids, "set": tags, "removed": removed, "written": written,
                          "removed_rows": dropped}, sort_keys=True))  # fmt: skip
        return 0
    said = ", ".join(f"{key}={value}" for key, value in tags.items())
    what = [f"set {said}"] if tags else []
    if removed:
        what.append(f"removed {', '.join(removed)} ({dropped} tag{'s' * (dropped != 1)})")
    print(f"{len(ids)} image{'s' * (len(ids) != 1)}: {'; '.join(what)}")
    return 0


def _list(args: argparse.Namespace, ids: list[int] | None) -> int:
    from core.project import Project

    with Project.open(args.project) as project:
        tags = project.tags_for(ids)
        records = {image.id: image for image in project.images()}
        pairs = project.tag_pairs()
    shown = ids if ids is not None else sorted(tags)
    rows = [
        {"id": i, "name": records[i].name, "kind": records[i].kind, "tags": tags.get(i, {})}
        for i in shown
    ]
    if args.json:
        values: dict[str, dict[str, int]] = {}
        for key, value, count in pairs:
            values.setdefault(key, {})[value] = count
        print(json.dumps({"images": rows, "keys": values}, sort_keys=True))
        return 0
    if not rows:
        print("no tagged images")
        return 0
    for row in rows:
        text = ", ".join(f"{key}={value}" for key, value in sorted(row["tags"].items()))
        print(f"{row['id']:>6}  {row['name']}  {text or '(no tags)'}")
    return 0
