"""The driver's plan for a distributed job: which metrics each image still needs, and the blocks.

A resumed job must not send workers the set of rows already done (at
Banana100's scale, hundreds of thousands of keys to every actor): the driver
filters instead. It hashes each image (and its reference) only when rows of
this job's metrics and versions exist, leaves out the images with nothing left
to compute, and names for the others the metrics still to do. The work is
then cut into blocks small enough that every worker stays busy to the end.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from core.dataset.discovery import DatasetItem
from core.dataset.metric_adapter import metric_version
from core.dataset.results import Key

BLOCKS_PER_WORKER = 8  # enough that no worker idles while another finishes a long block
READ_THREADS = 8  # hashing on resume is file reading: overlap it


def _same_version(current: str | None, stored: str) -> bool:
    """A stored row of this metric version, bare or with a size policy folded in."""
    return current is not None and (stored == current or stored.startswith(f"{current}+align="))


def plan_work(
    items: Iterable[DatasetItem],
    metrics: list[str],
    done: set[Key],
    *,
    max_pixels: int | None = None,
    align_policy: str = "resize",
    align_filter: str = "bicubic",
) -> list[dict]:
    """Item dicts with a ``metrics`` list of what is left; fully done items are left out."""
    from core.dataset.scoring import BatchScorer

    versions = {name: metric_version(name) for name in metrics}
    relevant = {key for key in done if _same_version(versions.get(key[1]), key[2])}
    dicts = [item.as_dict() for item in items]
    if not relevant:  # a fresh job (or other metrics' rows): no file needs reading here
        return [{**item, "metrics": list(metrics)} for item in dicts]
    scorer = BatchScorer(
        metrics,
        done=relevant,
        max_pixels=max_pixels,
        align_policy=align_policy,
        align_filter=align_filter,
    )
    with ThreadPoolExecutor(READ_THREADS) as pool:
        pending = list(pool.map(scorer.pending_metrics, dicts))
    return [{**item, "metrics": todo} for item, todo in zip(dicts, pending, strict=True) if todo]


def block_size(n_items: int, workers: int, batch_size: int) -> int:
    """Images per block: at most ``batch_size``, and small enough for many blocks per worker."""
    per_block = math.ceil(n_items / max(1, workers * BLOCKS_PER_WORKER))
    return max(1, min(batch_size, per_block))


def blocks(work: list[dict], size: int) -> list[list[dict]]:
    """``work`` cut into consecutive blocks of ``size`` items."""
    return [work[start : start + size] for start in range(0, len(work), size)]
