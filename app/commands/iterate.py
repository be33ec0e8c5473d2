"""``iris iterate``: run (or resume) iterative edit chains, one JSON line per step and per run."""

from __future__ import annotations

import argparse
import json
import random
import sys

from app.commands.common import device_option, project_option
from app.commands.types import finite_float


def add_parser(subparsers) -> None:
    from core.iterate.schedules import DEFAULT_IMAGE_SIZE, IMAGE_SIZES, SCHEDULES

    p = subparsers.add_parser(
        "iterate",
        parents=[project_option(), device_option()],
        help="edit an image N times, feeding each output back (JSON lines)",
    )
    p.add_argument(
        "--editor", required=True, metavar="NAME", help="a method (see 'iris methods'), "
        "'gemini:MODEL' for a Gemini model, or 'generation-loss' (offline)",
    )  # fmt: skip
    p.add_argument("--steps", required=True, type=int, metavar="N", help="edits per run")
    p.add_argument("--prompt", metavar="ID_OR_TEXT", help="prompt id or text ({fruit}, {step})")
    p.add_argument(
        "--schedule", default="replicate", metavar="NAME|FILE",
        help=f"{', '.join(SCHEDULES)}, or a file of prompts (one a line)",
    )  # fmt: skip
    seeds = p.add_mutually_exclusive_group()
    seeds.add_argument("--seed", type=int, metavar="S", help="the same seed for every step")
    seeds.add_argument(
        "--seed-per-step", nargs="?", const=-1, type=int, metavar="BASE",
        help="a new seed each step (BASE + step; BASE random when not given)",
    )  # fmt: skip
    p.add_argument("--temperature", type=finite_float, metavar="T", help="sampling temperature")
    p.add_argument(
        "--image-size", default=DEFAULT_IMAGE_SIZE, choices=IMAGE_SIZES,
        help=f"output size of editors that take one (default {DEFAULT_IMAGE_SIZE}, Banana100's)",
    )  # fmt: skip
    p.add_argument("--runs", type=int, default=1, metavar="R", help="runs of this setting")
    p.add_argument(
        "--run", dest="group", metavar="NAME", help="run group name (runs are NAME-r1..rR)"
    )
    p.add_argument(
        "--resume", action="store_true", help="continue the runs after their last stored step"
    )
    p.add_argument(
        "--param", action="append", default=[], metavar="KEY=VALUE", help="an editor parameter"
    )
    p.add_argument("--model", metavar="FILE", help="model file for the spandrel editor")
    p.add_argument(
        "--step-retries", type=int, default=2, metavar="K",
        help="tries again a step that ends without an image (default 2)",
    )  # fmt: skip
    p.add_argument("image", metavar="IMAGE", help="image id, image name, or a file to import")
    p.set_defaults(run=run_iterate)


def build_spec(args: argparse.Namespace):
    """The IterateSpec the arguments describe (editor parameters validated)."""
    from core.iterate.runner import IterateSpec
    from core.iterate.schedules import schedule_from_spec
    from core.methods import get_method, parse_param_strings

    editor, _, model = args.editor.partition(":")
    method = get_method(editor)
    params: dict[str, object] = parse_param_strings(args.param)
    if model:
        method.param("model")
        params["model"] = model
    if args.model:
        method.param("model")
        params["model"] = args.model
    method.prepare(params)  # a method that cannot run fails before any image is imported
    if args.seed_per_step is not None:
        policy = "per-step"
        seed = args.seed_per_step if args.seed_per_step >= 0 else random.randrange(2**31 - 1000)
    elif args.seed is not None:
        policy, seed = "fixed", args.seed
    else:
        policy, seed = "none", 0
    schedule = schedule_from_spec(
        args.schedule, prompt=args.prompt or "", seed_policy=policy, seed=seed,
        temperature=args.temperature, image_size=args.image_size,
    )  # fmt: skip
    return IterateSpec(
        method.name, args.steps, schedule, params, step_retries=args.step_retries,
        device=args.device,
    )  # fmt: skip


def run_iterate(args: argparse.Namespace) -> int:
    from core.iterate.resume import plan_resume
    from core.iterate.runner import iterate
    from core.project import Project
    from core.project.lookup import resolve_images

    spec = build_spec(args)
    (image_id,) = resolve_images(args.project, [args.image], import_files=True)
    group = args.group
    if args.resume and not group:
        with Project.open(args.project) as project:
            group = plan_resume(project, image_id=image_id, editor=spec.editor).group

    def show_step(event) -> None:
        line = {
            "event": "step", "run": event.run, "index": event.index, "status": event.status,
            "image_id": event.image_id, "width": event.width, "height": event.height,
            "seconds": event.seconds, "error": event.error,
        }  # fmt: skip
        print(json.dumps(line, sort_keys=True), flush=True)

    def show_run(outcome) -> None:
        print(json.dumps({"event": "run", **outcome.as_dict()}, sort_keys=True), flush=True)

    def show_progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            print(f"\riterating {done}/{total}", end="", file=sys.stderr)

    outcomes = iterate(
        args.project, image_id, spec, runs=args.runs, group=group, resume=args.resume,
        on_step=show_step, on_run=show_run, progress=show_progress,
    )  # fmt: skip
    return 0 if all(o.status == "done" for o in outcomes) else 1
