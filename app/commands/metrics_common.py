"""Options the metric commands share: metrics, reference, device, weights folder, downloads."""

from __future__ import annotations

import argparse
import os
import re

from core.errors import IrisError


def add_metric_options(parser: argparse.ArgumentParser, *, metrics_required: bool = True) -> None:
    parser.add_argument(
        "--metrics",
        required=metrics_required,
        metavar="A,B",
        help="comma-separated pyiqa metric names (see 'iris score --list')",
    )
    parser.add_argument(
        "--device", default="auto", type=device_choice, help="auto, cpu, cuda or cuda:N"
    )
    parser.add_argument(
        "--weights",
        metavar="DIR",
        help="weights folder (default: IRIS_WEIGHTS_DIR, else IRIS's data folder/weights)",
    )
    parser.add_argument(
        "--allow-downloads",
        action="store_true",
        help="let metrics download missing weights (default: fail at once, naming the file)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")


def device_choice(text: str) -> str:
    """argparse type for ``--device``: auto, cpu, cuda or cuda:N."""
    if re.fullmatch(r"auto|cpu|cuda(:\d+)?", text):
        return text
    raise argparse.ArgumentTypeError(f"unknown device {text!r} (auto, cpu, cuda or cuda:N)")


def split_names(text: str | None, what: str = "metric") -> list[str]:
    names = [part.strip() for part in (text or "").split(",") if part.strip()]
    if not names:
        raise IrisError(f"give at least one {what}")
    return names


def apply_weights_options(args: argparse.Namespace) -> None:
    """Hand the weights options to core through its environment variables."""
    from core.metrics.weights import ALLOW_DOWNLOADS_ENV, WEIGHTS_DIR_ENV

    if getattr(args, "weights", None):
        os.environ[WEIGHTS_DIR_ENV] = args.weights
    if getattr(args, "allow_downloads", False):
        os.environ[ALLOW_DOWNLOADS_ENV] = "1"


def metric_list(text: str | None) -> list[str]:
    from core.metrics.catalogue import metric_info

    names = split_names(text)
    for name in names:
        metric_info(name)  # unknown names: one error listing the known ones
    return names
