"""The local engine: the dataset job's batches scored one after another in this process."""

from __future__ import annotations

import threading

from core.dataset.discovery import DatasetItem
from core.dataset.engines import Engine
from core.dataset.job import DatasetJob, EngineReport
from core.dataset.results import Key, ResultsStore
from core.dataset.scoring import BatchScorer, worker_name
from core.errors import IrisError
from core.jobs import ProgressFn, check_cancelled, no_progress


def run_local(
    job: DatasetJob,
    items: list[DatasetItem],
    store: ResultsStore,
    done: set[Key],
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> EngineReport:
    """Score ``items`` in batches of ``job.batch_size``, committing each batch as a part file."""
    from core.device import resolve_device

    try:
        device = resolve_device(job.device).name
    except ValueError as exc:
        raise IrisError(f"--device: {exc}") from None
    scorer = BatchScorer(
        job.metrics,
        device=device,
        done=done,
        worker=worker_name(f"local-{device}"),
        max_pixels=job.max_pixels,
        align_policy=job.align_policy,
        align_filter=job.align_filter,
    )
    report = EngineReport()
    total = len(items)
    for start in range(0, total, job.batch_size):
        progress(start, total)
        check_cancelled(cancel)
        batch = items[start : start + job.batch_size]
        rows = scorer.score_items(item.as_dict() for item in batch)
        store.append(rows)
        report.rows_written += len(rows)
        report.errors += sum(1 for row in rows if row.get("error"))
        report.workers.update(row["worker"] for row in rows)
    progress(total, total)
    return report


LOCAL_ENGINE = Engine("local", run_local)
