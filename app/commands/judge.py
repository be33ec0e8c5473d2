"""``iris judge``: RealIR-Bench RS/LPS/FS with a VLM (or manual) judge, and the thought judge."""

from __future__ import annotations

import argparse
import json

from app.commands.common import device_option, json_option, project_option
from app.commands.metrics_common import apply_weights_options, split_names
from app.commands.types import finite_float


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("judge", help="VLM/LLM judges: RealIR-Bench RS/FS, thoughts")
    kinds = parser.add_subparsers(dest="judge_kind", metavar="KIND", required=True)

    rs = kinds.add_parser(
        "rs",
        parents=[project_option(), device_option(), json_option()],
        help="RealIR-Bench RS, LPS and FS of restored images vs. their inputs",
        description="RS = severity(restored) - severity(input), rated 0-5 by a VLM (Gemini) "
        "or by hand; LPS = LPIPS(restored, input); FS = 0.2 x (1 - LPS) x RS.",
    )
    rs.add_argument("images", nargs="*", metavar="IMAGE", help="restored images (ids or names)")
    rs.add_argument("--run", dest="run_name", metavar="NAME", help="judge every output of this run")
    rs.add_argument("--judge", default="gemini", choices=("gemini", "manual"))
    rs.add_argument("--model", help="judge model id (default IRIS_JUDGE_MODEL or gemini-2.5-flash)")
    rs.add_argument("--lps-metric", default="lpips", help="LPS metric, or 'none' to skip it")
    rs.add_argument("--weights", metavar="DIR", help="weights folder for the LPS metric")
    rs.add_argument("--allow-downloads", action="store_true")
    rs.set_defaults(run=run_rs)

    rate = kinds.add_parser(
        "rate", parents=[project_option()], help="store your own 0-5 severity rating of an image"
    )
    rate.add_argument("image", metavar="IMAGE")
    rate.add_argument("--rating", required=True, type=finite_float, help="0 (severe) to 5 (clean)")
    rate.set_defaults(run=run_rate)

    thoughts = kinds.add_parser(
        "thoughts",
        parents=[project_option(), json_option()],
        help="first step whose thought summary mentions noise, pixelation or artifacts",
    )
    thoughts.add_argument("--runs", required=True, metavar="A,B", help="runs or run groups")
    thoughts.add_argument("--model", help="judge model id")
    thoughts.set_defaults(run=run_thoughts)


def _restored_ids(args) -> list[int]:
    from core.errors import IrisError
    from core.project import Project
    from core.project.lookup import resolve_images

    ids = resolve_images(args.project, args.images, import_files=True) if args.images else []
    if args.run_name:
        with Project.open(args.project) as project:
            run = project.run(args.run_name)
            ids += [r.output_image_id for r in project.results(run.id) if r.output_image_id]
    if not ids:
        raise IrisError("give restored images or --run")
    return list(dict.fromkeys(ids))


def run_rs(args: argparse.Namespace) -> int:
    from core.metrics.judges import realir_scores

    apply_weights_options(args)
    lps = None if args.lps_metric == "none" else args.lps_metric
    rows = realir_scores(
        args.project,
        _restored_ids(args),
        judge=args.judge,
        model=args.model,
        lps_metric=lps,
        device=args.device,
    )
    if args.json:
        print(json.dumps([row.as_dict() for row in rows]))
        return 0
    for row in rows:
        fs = f"{row.fs:.4f}" if row.fs is not None else "n/a"
        lps_text = f"{row.lps:.4f}" if row.lps is not None else "n/a"
        print(f"image {row.image_id}: RS={row.rs:+.1f}  LPS={lps_text}  FS={fs}")
    return 0


def run_rate(args: argparse.Namespace) -> int:
    from core.metrics.judges import set_manual_rating
    from core.project.lookup import resolve_images

    (image_id,) = resolve_images(args.project, [args.image], import_files=True)
    set_manual_rating(args.project, image_id, args.rating)
    return 0


def run_thoughts(args: argparse.Namespace) -> int:
    from core.metrics.judges import group_summary, judge_thoughts

    runs = judge_thoughts(args.project, split_names(args.runs, "run"), model=args.model)
    summary = group_summary(runs)
    if args.json:
        print(json.dumps({"runs": {r.run: r.first_yes for r in runs}, "groups": summary}))
        return 0
    for group, row in summary.items():
        mean = f"{row['mean']:.1f} +- {row['sd']:.1f}" if row["mean"] is not None else "never"
        print(f"{group}: first 'yes' at step {mean} ({row['runs']} runs, {row['never']} never)")
    return 0
