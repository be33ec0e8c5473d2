"""``iris score --dataset``: score a folder tree or a project with many metrics, locally or on Ray.

iris score --dataset PATH --metrics psnr,ssim --ref-dir CLEAN --out results.parquet
iris score --dataset PATH --metrics niqe --engine ray --address auto --out r.csv

``iris score`` adds these flags with ``add_dataset_arguments`` and hands a job
with ``--dataset`` to ``run_dataset``.
"""

from __future__ import annotations

import argparse
import json
import sys

from app.commands.common import CoreChoices, add_device_argument
from app.commands.types import finite_float
from core.errors import IrisError


class _Adder:
    """Adds options to a parser, skipping any the parser already has (``iris score`` owns
    ``--metrics``, ``--device``, ``--out`` ... when it delegates here), so flags never clash."""

    def __init__(self, target) -> None:
        self.target = target
        self.existing = set(getattr(target, "_option_string_actions", {}))

    def add_argument(self, *flags: str, **kwargs) -> None:
        if not self.existing.intersection(flags):
            self.target.add_argument(*flags, **kwargs)


def add_dataset_arguments(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    """Add the dataset-job flags to ``parser`` (``iris score``).

    Flags the parser already defines are left as they are; with ``required=False``
    ``--dataset`` and ``--out`` are optional, for a command that does more than datasets.
    """
    refs = _Adder(parser.add_mutually_exclusive_group())
    parser = _Adder(parser)
    parser.add_argument(
        "--dataset",
        metavar="PATH",
        required=required,
        help="folder tree of images, or an IRIS project",
    )
    parser.add_argument(
        "--metrics", metavar="A,B", help="comma-separated metric names (pyiqa), e.g. psnr,ssim"
    )
    refs.add_argument(
        "--ref-dir", metavar="DIR", help="references under DIR at each image's relative path"
    )
    refs.add_argument(
        "--ref-pattern",
        metavar="PATTERN",
        help="reference path per image, relative to the dataset, with {rel}, {rel_stem}, "
        "{parent}, {name}, {stem}, {suffix}; e.g. '../clean/{stem}.png'",
    )
    parser.add_argument(
        "--engine",
        choices=CoreChoices("core.dataset.engines", "ENGINES"),
        default="local",
        metavar="ENGINE",
        help="%(choices)s (default local)",
    )
    parser.add_argument(
        "--address",
        metavar="auto|ray://HOST:PORT",
        help="Ray cluster to join (default: start a local Ray on this machine)",
    )
    parser.add_argument(
        "--gpus-per-worker",
        type=finite_float,
        default=0.0,
        metavar="F",
        help="GPU fraction per Ray worker, e.g. 0.25 (default 0: CPU workers)",
    )
    parser.add_argument(
        "--workers", type=int, metavar="N", help="Ray actors (default: what the cluster holds)"
    )
    parser.add_argument(
        "--batch-size", type=int, default=16, metavar="N", help="images per batch (default 16)"
    )
    add_device_argument(parser, help="local engine: auto, cpu, cuda or cuda:N (default auto)")
    parser.add_argument(
        "--weights",
        metavar="DIR",
        help="metric weights folder (IRIS_WEIGHTS_DIR), the same path on every Ray node",
    )
    parser.add_argument(
        "--retry-errors",
        action="store_true",
        help="compute again the rows of --out that hold an error (a fixed file, a transient failure)",
    )
    parser.add_argument(
        "--out",
        metavar="RESULTS",
        required=required,
        help=".parquet or .csv; rows already there are skipped (resume)",
    )


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\rscoring {done}/{total} images", end="", file=sys.stderr, flush=True)


def metric_names(value: str | list[str] | None) -> list[str]:
    """``psnr,ssim``, or a list of such strings (``--metrics`` given several times), as names."""
    parts = [value] if isinstance(value, str) else list(value or [])
    return [name.strip() for part in parts for name in part.split(",") if name.strip()]


def run_dataset(args: argparse.Namespace) -> int:
    """Run the job the flags describe; print its JSON summary; exit 0 even with error rows."""
    from core.dataset.job import DatasetJob, run_job

    metrics = metric_names(args.metrics)
    if not args.dataset or not args.out:
        raise IrisError("a dataset job needs --dataset PATH and --out RESULTS.parquet|.csv")
    if not metrics:
        raise IrisError("say which metrics to compute: --metrics psnr,ssim")
    job = DatasetJob(
        dataset=args.dataset,
        metrics=metrics,
        out=args.out,
        engine=getattr(args, "engine", "local"),
        ref_dir=getattr(args, "ref_dir", None),
        ref_pattern=getattr(args, "ref_pattern", None),
        batch_size=getattr(args, "batch_size", None) or 16,
        device=getattr(args, "device", None) or "auto",
        address=getattr(args, "address", None),
        gpus_per_worker=getattr(args, "gpus_per_worker", None) or 0.0,
        workers=getattr(args, "workers", None),
        weights_dir=getattr(args, "weights", None),
        retry_errors=bool(getattr(args, "retry_errors", False)),
        align_policy=getattr(args, "align", None) or "resize",
        align_filter=getattr(args, "align_filter", None) or "bicubic",
    )
    summary = run_job(job, progress=_progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(json.dumps(summary.as_dict()))
    return 0
