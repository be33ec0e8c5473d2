"""The Ray engine: the same batch scoring, on a Ray Data actor pool (local or a cluster).

A Ray Data pipeline holds the items (paths, not pixels: every node reads the
images itself, so they must live on storage all nodes see); ``map_batches``
runs :class:`ScoreActor`, which loads each metric once per actor (on a GPU
fraction when ``gpus_per_worker`` > 0) and returns result rows. The driver
commits each block of rows as a part file as it arrives, so a killed driver
loses no committed row; a killed worker is restarted and its batch retried
(Ray Data's actor pools default to ``max_restarts=-1`` and ``max_task_retries=-1``).
Ray is imported only here, and only when this engine runs.
"""

from __future__ import annotations

import math
import threading

from core.dataset.discovery import DatasetItem
from core.dataset.engines import Engine
from core.dataset.job import DatasetJob, EngineReport
from core.dataset.results import Key, ResultsStore, rows_to_arrow
from core.dataset.scoring import BatchScorer, worker_name
from core.errors import Cancelled, IrisError
from core.jobs import ProgressFn, no_progress

INSTALL_HINT = (
    "the Ray engine needs Ray: pip install 'iris-studio[cluster]' (or pip install 'ray[data]'); "
    "--engine local works without it"
)


def require_ray():
    """The ``ray`` module, or an error saying how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401
    except ImportError:
        raise IrisError(INSTALL_HINT) from None
    return ray


class ScoreActor:
    """One Ray actor: a :class:`BatchScorer` whose metrics stay loaded between batches."""

    def __init__(
        self, metrics: list[str], done: set[Key], use_gpu: bool, max_pixels: int | None
    ) -> None:
        device = "cpu"
        if use_gpu:
            import torch

            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.scorer = BatchScorer(
            metrics,
            device=device,
            done=done,
            worker=worker_name(f"ray-{device}"),
            max_pixels=max_pixels,
        )

    def __call__(self, batch):
        """A pyarrow batch of items in, a pyarrow table of result rows out."""
        return rows_to_arrow(self.scorer.score_items(batch.to_pylist()))


def _pool_size(ray, job: DatasetJob, n_batches: int) -> int:
    if job.workers:
        return max(1, job.workers)
    resources = ray.cluster_resources()
    if job.gpus_per_worker > 0:
        if not resources.get("GPU"):
            raise IrisError(
                "--gpus-per-worker asks for GPUs but this Ray cluster has none; "
                "leave it at 0 for CPU workers"
            )
        size = int(resources.get("GPU", 0) / job.gpus_per_worker)
    else:
        size = int(resources.get("CPU", 1))
    return max(1, min(size, n_batches))


def _connect(ray, job: DatasetJob) -> bool:
    """Join ``job.address`` (or start a local Ray); returns whether this call started it."""
    if ray.is_initialized():
        return False
    kwargs = {"include_dashboard": False, "log_to_driver": False, "configure_logging": False}
    try:
        ray.init(address=job.address, **kwargs)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = job.address or "a local Ray instance"
        raise IrisError(f"cannot connect to Ray at {where}: {exc}") from exc
    return True


def run_ray(
    job: DatasetJob,
    items: list[DatasetItem],
    store: ResultsStore,
    done: set[Key],
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
    actor_class: type = ScoreActor,
) -> EngineReport:
    """Score ``items`` on Ray, committing every block of rows as it arrives.

    ``actor_class`` lets a test inject a worker that dies on a chosen batch.
    """
    ray = require_ray()
    report = EngineReport()
    if not items:
        return report
    started = _connect(ray, job)
    try:
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = False
        n_batches = math.ceil(len(items) / job.batch_size)
        dataset = ray.data.from_items(
            [item.as_dict() for item in items], override_num_blocks=n_batches
        )
        runtime_env = None
        if job.weights_dir:
            # Every worker reads its weights folder the way core.metrics does on this machine.
            from core.metrics.weights import WEIGHTS_DIR_ENV

            runtime_env = {"env_vars": {WEIGHTS_DIR_ENV: job.weights_dir}}
        scored = dataset.map_batches(
            actor_class,
            batch_size=job.batch_size,
            batch_format="pyarrow",
            fn_constructor_kwargs={
                "metrics": list(job.metrics),
                "done": done,
                "use_gpu": job.gpus_per_worker > 0,
                "max_pixels": job.max_pixels,
            },
            compute=ray.data.ActorPoolStrategy(size=_pool_size(ray, job, n_batches)),
            num_cpus=1 if job.gpus_per_worker <= 0 else 0.5,
            num_gpus=job.gpus_per_worker or None,
            runtime_env=runtime_env,
        )
        seen: set[str] = set()
        batches = iter(scored.iter_batches(batch_size=None, batch_format="pyarrow"))
        try:
            for table in batches:
                rows = table.to_pylist()
                store.append(rows)
                report.rows_written += len(rows)
                report.errors += sum(1 for row in rows if row.get("error"))
                report.workers.update(row["worker"] for row in rows)
                seen.update(row["path"] for row in rows)
                progress(min(len(seen), len(items)), len(items))
                if cancel is not None and cancel.is_set():  # after committing what arrived
                    raise Cancelled()
        finally:
            close = getattr(batches, "close", None)
            if close is not None:  # stops Ray Data's streaming executor on cancel or error
                close()
        progress(len(items), len(items))
    finally:
        if started:
            ray.shutdown()
    return report


RAY_ENGINE = Engine("ray", run_ray, prepare=require_ray)
