"""Options the metric commands share: metrics, weights folder, downloads (plus device and JSON)."""

from __future__ import annotations

import argparse
import os

from app.commands.common import device_option, json_option
from core.errors import IrisError


def metric_options(*, metrics_required: bool = True) -> argparse.ArgumentParser:
    """Parent parser: ``--metrics``, ``--weights`` and ``--allow-downloads``.

    Metric commands take it with :func:`~app.commands.common.device_option` and
    :func:`~app.commands.common.json_option`.
    """
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        "--metrics",
        required=metrics_required,
        metavar="A,B",
        help="comma-separated pyiqa metric names (see 'iris score --list')",
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
    return parser


def align_options() -> argparse.ArgumentParser:
    """Parent parser: ``--align`` and ``--align-filter``, how full-reference pairs of two sizes meet.

    The choices come from :mod:`core.metrics.alignment`'s registries (no numpy at parse time).
    """
    from core.metrics.alignment import DEFAULT_FILTER, DEFAULT_POLICY, FILTERS, POLICIES

    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument(
        "--align",
        choices=list(POLICIES),
        default=DEFAULT_POLICY,
        help="full-reference images of another size than the reference: "
        + "; ".join(f"{p.name}: {p.help}" for p in POLICIES.values())
        + f" (default: {DEFAULT_POLICY})",
    )
    parser.add_argument(
        "--align-filter",
        choices=list(FILTERS),
        default=DEFAULT_FILTER,
        help=f"Pillow resize filter of --align resize and crop (default: {DEFAULT_FILTER})",
    )
    return parser


def metric_parents(*, metrics_required: bool = True) -> list[argparse.ArgumentParser]:
    """Every flag a metric command shares: metrics, weights, downloads, ``--device``, ``--json``."""
    return [metric_options(metrics_required=metrics_required), device_option(), json_option()]


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
