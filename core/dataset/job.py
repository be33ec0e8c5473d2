"""A dataset scoring job: what to score, where the rows go, which engine runs it.

:func:`run_job` plans (discover images, read the rows already in the output),
hands the batches to the job's engine (:mod:`core.dataset.engines`: local or
Ray), and merges the committed part files into the output. Both engines run
:class:`core.dataset.scoring.BatchScorer`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.dataset.discovery import DatasetItem, discover
from core.dataset.engines import ENGINES, get_engine
from core.dataset.results import ResultsStore
from core.errors import IrisError
from core.jobs import ProgressFn, no_progress


@dataclass
class DatasetJob:
    """Everything a dataset job needs; the CLI fills it from its flags."""

    dataset: str
    metrics: list[str]
    out: str
    engine: str = "local"
    ref_dir: str | None = None
    ref_pattern: str | None = None
    batch_size: int = 16
    device: str = "auto"
    address: str | None = None
    gpus_per_worker: float = 0.0
    workers: int | None = None
    weights_dir: str | None = None
    max_pixels: int | None = None
    retry_errors: bool = False
    align_policy: str = "resize"  # full-reference pairs of two sizes (core.metrics.alignment)
    align_filter: str = "bicubic"


@dataclass
class JobSummary:
    """What a job did; ``iris score --dataset`` prints it as JSON."""

    out: str
    engine: str
    images: int
    metrics: list[str]
    rows_written: int = 0
    rows_skipped: int = 0
    errors: int = 0
    rows_total: int = 0
    seconds: float = 0.0
    images_per_s: float = 0.0
    workers: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class EngineReport:
    """What an engine returns: rows committed, error rows among them, who computed them."""

    rows_written: int = 0
    errors: int = 0
    workers: set[str] = field(default_factory=set)


def _check(job: DatasetJob) -> None:
    ENGINES.get_name(job.engine)  # unknown engines: one error listing the known ones
    if not job.metrics:
        raise IrisError("say which metrics to compute: --metrics psnr,ssim")
    if job.batch_size < 1:
        raise IrisError("--batch-size must be at least 1")
    if job.gpus_per_worker < 0:
        raise IrisError("--gpus-per-worker must not be negative")


def run_job(
    job: DatasetJob,
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
    items: list[DatasetItem] | None = None,
) -> JobSummary:
    """Score ``job.dataset`` with ``job.metrics`` into ``job.out``; resumes from rows present."""
    _check(job)
    start = time.perf_counter()
    engine = get_engine(job.engine)
    engine.prepare()
    from core.dataset.metric_adapter import check_metrics

    check_metrics(job.metrics)
    store = ResultsStore(job.out)
    if items is None:
        items = discover(job.dataset, ref_dir=job.ref_dir, ref_pattern=job.ref_pattern)
    done = store.done_keys(retry_errors=job.retry_errors)
    report = engine.run(job, items, store, done, progress=progress, cancel=cancel)
    total = store.finish()
    seconds = time.perf_counter() - start
    planned = len(items) * len(job.metrics)
    return JobSummary(
        out=str(Path(job.out).expanduser().resolve()),
        engine=job.engine,
        images=len(items),
        metrics=list(job.metrics),
        rows_written=report.rows_written,
        rows_skipped=max(planned - report.rows_written, 0),
        errors=report.errors,
        rows_total=total,
        seconds=round(seconds, 3),
        images_per_s=round(len(items) / seconds, 3) if seconds > 0 else 0.0,
        workers=sorted(report.workers),
    )
