"""``iris judge``: RealIR-Bench RS/LPS/FS with a VLM (or manual) judge, and the thought judge.

``iris judge rs`` rates each restored image and its input with RealIR-Bench's Fig. 9
instruction for the image's task (``--task`` or the image's ``task=...`` tag), prints RS,
LPS and FS per image, then the per-task table laid out as the paper's Tables 1-2 with
its "Avg Total" column.
"""

from __future__ import annotations

import argparse
import json

from app.commands.common import device_option, json_option, project_option
from app.commands.metrics_common import apply_weights_options, split_names
from app.commands.types import finite_float

JUDGES = ("gemini", "local")


def task_names() -> list[str]:
    from core.metrics.realir import task_names as names

    return names()


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("judge", help="VLM/LLM judges: RealIR-Bench RS/FS, thoughts")
    kinds = parser.add_subparsers(dest="judge_kind", metavar="KIND", required=True)

    rs = kinds.add_parser(
        "rs",
        parents=[project_option(), device_option(), json_option()],
        help="RealIR-Bench RS, LPS and FS of restored images vs. their inputs",
        description="RS = severity(restored) - severity(input), each rated 1-5 by a VLM with "
        "RealIR-Bench's Fig. 9 instruction for the task (answer 'Degradation Score: N', parsed "
        "strictly: other answers are recorded failures), or by hand; LPS = LPIPS(restored, "
        "input); FS = 0.2 x (1 - LPS) x RS. Then the per-task table (Tables 1-2, Avg Total).",
    )
    rs.add_argument("images", nargs="*", metavar="IMAGE", help="restored images (ids or names)")
    rs.add_argument("--run", dest="run_name", metavar="NAME", help="judge every output of this run")
    rs.add_argument(
        "--task", choices=task_names(), metavar="TASK",
        help=f"the degradation task of every image ({', '.join(task_names())}); "
        "default: each image's task=... tag",
    )  # fmt: skip
    rs.add_argument("--judge", default="gemini", choices=(*JUDGES, "manual"))
    rs.add_argument(
        "--model", help="gemini: model id (default IRIS_JUDGE_MODEL or gemini-2.5-flash); "
        "local: the model folder (the paper's judge is Qwen3-VL-8B-Instruct)",
    )  # fmt: skip
    rs.add_argument(
        "--prompt", default="RIR-SEVERITY", choices=("RIR-SEVERITY", "IRIS-SEVERITY-0-5"),
        help="RIR-SEVERITY: the paper's Fig. 9 (1-5, strict); IRIS-SEVERITY-0-5: IRIS's own",
    )  # fmt: skip
    rs.add_argument(
        "--retry-failed", action="store_true", help="ask again where a stored answer was rejected"
    )
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
    thoughts.add_argument("--judge", default="gemini", choices=JUDGES)
    thoughts.add_argument(
        "--model", help="judge model (default IRIS_JUDGE_MODEL, else the paper's "
        "gemini-3-flash-preview); local: a model folder",
    )  # fmt: skip
    thoughts.add_argument(
        "--prompt", default="B100-SELF-EVAL", choices=("B100-SELF-EVAL", "IRIS-THOUGHTS"),
        help="B100-SELF-EVAL: Banana100's Fig. 8 verbatim; IRIS-THOUGHTS: IRIS's paraphrase",
    )  # fmt: skip
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
    from core.metrics.realir import format_table, realir_table

    apply_weights_options(args)
    lps = None if args.lps_metric == "none" else args.lps_metric
    rows = realir_scores(
        args.project,
        _restored_ids(args),
        task=args.task,
        judge=args.judge,
        model=args.model,
        prompt_id=args.prompt,
        retry_failed=args.retry_failed,
        lps_metric=lps,
        device=args.device,
    )
    table = realir_table(row.as_dict() for row in rows)
    if args.json:
        print(json.dumps({"images": [row.as_dict() for row in rows], "table": table}))
        return 0
    for row in rows:
        fs = f"{row.fs:.4f}" if row.fs is not None else "n/a"
        lps_text = f"{row.lps:.4f}" if row.lps is not None else "n/a"
        rs = f"{row.rs:+.1f}" if row.rs is not None else "n/a"
        failed = f"  (failed: {row.error})" if row.error else ""
        print(f"image {row.image_id} [{row.task}]: RS={rs}  LPS={lps_text}  FS={fs}{failed}")
    print()
    print(format_table(table))
    return 0


def run_rate(args: argparse.Namespace) -> int:
    from core.metrics.judges import set_manual_rating
    from core.project.lookup import resolve_images

    (image_id,) = resolve_images(args.project, [args.image], import_files=True)
    set_manual_rating(args.project, image_id, args.rating)
    return 0


def run_thoughts(args: argparse.Namespace) -> int:
    from core.metrics.judges import group_summary, judge_thoughts

    runs = judge_thoughts(
        args.project, split_names(args.runs, "run"), judge=args.judge, model=args.model,
        prompt_id=args.prompt,
    )  # fmt: skip
    summary = group_summary(runs)
    if args.json:
        print(json.dumps({"runs": {r.run: r.first_yes for r in runs}, "groups": summary}))
        return 0
    for group, row in summary.items():
        mean = f"{row['mean']:.1f} +- {row['sd']:.1f}" if row["mean"] is not None else "never"
        print(f"{group}: first 'yes' at step {mean} ({row['runs']} runs, {row['never']} never)")
    return 0
