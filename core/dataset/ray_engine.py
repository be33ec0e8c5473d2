"""The Ray engine: the same batch scoring, on a pool of Ray actors (a local Ray or a cluster).

The driver plans (:mod:`core.dataset.plan`: the rows already done are filtered
here, so actors receive only work), sizes the pool by the cluster's CPUs or
GPUs, and keeps every actor fed with small blocks of item paths (not pixels:
every node reads the images itself, so they must live on storage all nodes
see). Each :class:`ScoreActor` loads its metrics once, in its constructor, and
records its Ray node in every row. The driver commits each finished block as a
part file, so a killed driver loses no committed row. A worker that dies (its
process, or its whole node) loses only its blocks in flight: they go back to
the queue and a replacement actor is started; a block that was in flight at
two deaths is run alone, and one that kills a worker three times becomes error
rows, so one hostile image cannot stop a job. Ray is imported only here, and
only when this engine runs.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import deque
from dataclasses import dataclass, field

from core.dataset.discovery import DatasetItem
from core.dataset.engines import Engine
from core.dataset.job import DatasetJob, EngineReport
from core.dataset.plan import block_size, blocks, plan_work
from core.dataset.results import Key, ResultsStore, Row
from core.dataset.scoring import BatchScorer, worker_name
from core.errors import Cancelled, IrisError
from core.jobs import ProgressFn, no_progress

INSTALL_HINT = (
    "the Ray engine needs Ray: pip install 'iris-studio[cluster]' (or pip install 'ray'); "
    "--engine local works without it"
)
IN_FLIGHT = 2  # blocks queued per actor, so it never waits for the driver between blocks
MAX_ATTEMPTS = 3  # a block in flight at this many worker deaths becomes error rows
GPU_WORKER_CPUS = 0.5  # the CPU share of a GPU worker (decoding, hashing)
WAIT_S = 0.5  # how often the driver looks at the cancel flag
RESIZE_S = 2.0  # how often the pool is sized again from the cluster's resources


def require_ray():
    """The ``ray`` module, or an error saying how to install it."""
    try:
        import ray
    except ImportError:
        raise IrisError(INSTALL_HINT) from None
    return ray


class ScoreActor:
    """One Ray actor: a :class:`BatchScorer` built once, its metrics loaded in the constructor."""

    def __init__(
        self,
        metrics: list[str],
        use_gpu: bool,
        max_pixels: int | None,
        align: tuple[str, str] = ("resize", "bicubic"),
    ) -> None:
        import ray

        device = "cpu"
        if use_gpu:
            import torch

            device = "cuda" if torch.cuda.is_available() else "cpu"
        self.node = ray.get_runtime_context().get_node_id()
        self.scorer = BatchScorer(
            metrics,
            device=device,
            worker=worker_name(f"ray-{device}"),
            max_pixels=max_pixels,
            node=self.node,
            align_policy=align[0],
            align_filter=align[1],
        )
        for name in metrics:
            # Start-up paid here, once per actor; a metric that cannot load gives the
            # local engine's error rows, image by image.
            with contextlib.suppress(Exception):
                self.scorer.metric(name)

    def ready(self) -> str:
        """The actor's node id, once its metrics are loaded."""
        return self.node

    def score(self, items: list[dict]) -> list[Row]:
        """Rows for a block of planned items (each naming its metrics still to do)."""
        return self.scorer.score_items(items)


def pool_size(resources: dict[str, float], job: DatasetJob, n_items: int) -> int:
    """Actors for ``job``: ``--workers``, else what the cluster's CPUs or GPUs hold."""
    if job.workers:
        size = job.workers
    elif job.gpus_per_worker > 0:
        if not resources.get("GPU"):
            raise IrisError(
                "--gpus-per-worker asks for GPUs but this Ray cluster has none; "
                "leave it at 0 for CPU workers"
            )
        size = min(
            int(resources["GPU"] / job.gpus_per_worker),
            int(resources.get("CPU", 0) / GPU_WORKER_CPUS),
        )
    else:
        size = int(resources.get("CPU", 1))
    return max(1, min(size, n_items))


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


def _died_rows(block: list[dict], job: DatasetJob) -> list[Row]:
    """Error rows for a block that killed its worker ``MAX_ATTEMPTS`` times."""
    from core.dataset.metric_adapter import metric_version

    reason = f"the Ray worker scoring this image died {MAX_ATTEMPTS} times (a crash on it?)"
    return [
        {
            "path": item["path"],
            "relpath": item.get("relpath", ""),
            "reference_path": item.get("reference_path") or "",
            "metric": name,
            "metric_version": metric_version(name),
            "error": f"{item['path']}: {reason}",
            "worker": "ray-driver",
        }
        for item in block
        for name in item["metrics"]
    ]


def _last_line(error: Exception) -> str:
    """The line of a Ray error that says what happened (its traceback's last line)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return (lines[-1] if lines else type(error).__name__)[:300]


@dataclass
class _Block:
    items: list[dict]
    deaths: int = 0


@dataclass
class _Actor:
    handle: object
    running: list[object] = field(default_factory=list)  # refs of its blocks in flight
    alone: bool = False  # running a suspect block: nothing else goes to it


class _Pool:
    """Ray actors fed from a queue of blocks; a dead actor's blocks are queued again.

    The pool follows the cluster: every ``RESIZE_S`` it is sized again from the
    cluster's resources, so a node that joins (or an autoscaler's) gets actors,
    and a dead actor is replaced where the cluster has room.
    """

    def __init__(self, ray, actor_class: type, job: DatasetJob) -> None:
        self.ray = ray
        self.job = job
        runtime_env = None
        if job.weights_dir:
            # Every worker reads its weights folder the way core.metrics does on this machine.
            from core.metrics.weights import WEIGHTS_DIR_ENV

            runtime_env = {"env_vars": {WEIGHTS_DIR_ENV: job.weights_dir}}
        gpus = job.gpus_per_worker
        self.remote = ray.remote(actor_class).options(
            num_cpus=GPU_WORKER_CPUS if gpus > 0 else 1,
            num_gpus=gpus or None,
            max_restarts=0,  # replaced by the pool, which knows which blocks were lost
            max_task_retries=0,
            scheduling_strategy="SPREAD",  # one per node first: every node works
            runtime_env=runtime_env,
        )
        self.args = (
            list(job.metrics),
            gpus > 0,
            job.max_pixels,
            (job.align_policy, job.align_filter),
        )
        self.starting: dict[object, object] = {}  # ready ref -> handle
        self.actors: list[_Actor] = []
        self.tasks: dict[object, tuple[_Actor, _Block]] = {}
        self.lost: list[_Block] = []
        self.deaths = 0
        self.death_limit = 0
        self.resized = 0.0

    def _resize(self, queued: int) -> None:
        """Start actors up to what the cluster holds now (never more than blocks to run)."""
        now = time.monotonic()
        if now - self.resized < RESIZE_S or (self.resized and self.deaths > self.death_limit):
            return  # not yet, or workers keep dying: no more replacements
        self.resized = now
        target = pool_size(self.ray.cluster_resources(), self.job, queued + len(self.tasks))
        self.death_limit = max(self.death_limit, 2 * target + 2)
        for _ in range(target - len(self.actors) - len(self.starting)):
            handle = self.remote.remote(*self.args)
            self.starting[handle.ready.remote()] = handle

    def _lost(self, actor: _Actor | None, handle, error: Exception) -> None:
        """An actor died (or its node): drop it, queue its blocks again; resize soon."""
        if actor is not None:
            self.actors.remove(actor)
            for ref in actor.running:
                _, block = self.tasks.pop(ref)
                block.deaths += 1
                self.lost.append(block)
        self.ray.kill(handle, no_restart=True)
        self.deaths += 1
        self.resized = 0.0  # look for room for a replacement now
        if self.deaths > self.death_limit and not self.actors and not self.starting:
            raise IrisError(
                f"every Ray worker died (last: {_last_line(error)}); the rows committed "
                "so far are kept: run the same command again to resume"
            )

    def _feed(self, queue: deque[_Block]) -> None:
        for actor in sorted(self.actors, key=lambda a: len(a.running)):
            while queue and not actor.alone and len(actor.running) < IN_FLIGHT:
                block = queue[0]
                if block.deaths and actor.running:
                    break  # a suspect block runs alone, so a death can be blamed on it
                queue.popleft()
                ref = actor.handle.score.remote(block.items)
                actor.running.append(ref)
                actor.alone = bool(block.deaths)
                self.tasks[ref] = (actor, block)

    def run(self, work: list[_Block], cancel: threading.Event | None):
        """Yield ``(items, rows)`` as blocks finish; ``rows`` is None for a block that
        killed its worker ``MAX_ATTEMPTS`` times."""
        ray = self.ray
        queue = deque(work)
        while queue or self.tasks:
            self.lost = []
            self._resize(len(queue))
            self._feed(queue)
            refs = list(self.tasks) + list(self.starting)
            finished, _ = ray.wait(refs, num_returns=1, timeout=WAIT_S)
            for ref in finished:
                if ref in self.starting:
                    self._started(ref)
                    continue
                actor, block = self.tasks[ref]
                try:
                    rows = ray.get(ref)
                except ray.exceptions.RayTaskError as exc:  # a bug, not a lost worker
                    raise IrisError(f"a Ray worker failed: {_last_line(exc)}") from exc
                except ray.exceptions.RayError as exc:  # the actor's process or node is gone
                    self._lost(actor, actor.handle, exc)
                    continue
                del self.tasks[ref]
                actor.running.remove(ref)
                actor.alone = False
                yield block.items, rows
            for block in self.lost:
                if block.deaths >= MAX_ATTEMPTS:
                    yield block.items, None
                else:
                    queue.appendleft(block)
            if cancel is not None and cancel.is_set():  # after committing what arrived
                raise Cancelled()

    def _started(self, ref) -> None:
        handle = self.starting.pop(ref)
        errors = self.ray.exceptions
        try:
            self.ray.get(ref)
        except (errors.RuntimeEnvSetupError, errors.ActorUnschedulableError) as exc:
            raise IrisError(f"Ray cannot start a worker: {_last_line(exc)}") from exc
        except errors.RayError as exc:
            if getattr(exc, "actor_init_failed", False):  # its constructor raised: no retry
                raise IrisError(f"a Ray worker could not start: {_last_line(exc)}") from exc
            self._lost(None, handle, exc)
        else:
            self.actors.append(_Actor(handle))

    def close(self) -> None:
        """Kill every actor (started or pending), freeing the cluster for the next job."""
        for handle in [a.handle for a in self.actors] + list(self.starting.values()):
            self.ray.kill(handle, no_restart=True)
        self.actors, self.starting, self.tasks = [], {}, {}


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

    ``actor_class`` lets a test inject a worker that dies on a chosen block.
    """
    ray = require_ray()
    report = EngineReport()
    total = len(items)
    work = plan_work(
        items,
        job.metrics,
        done,
        max_pixels=job.max_pixels,
        align_policy=job.align_policy,
        align_filter=job.align_filter,
    )
    finished = total - len(work)
    progress(finished, total)
    if not work:
        return report
    started = _connect(ray, job)
    pool = None
    try:
        size = block_size(
            len(work), pool_size(ray.cluster_resources(), job, len(work)), job.batch_size
        )
        pieces = blocks(work, size)
        pool = _Pool(ray, actor_class, job)
        for block_items, rows in pool.run([_Block(piece) for piece in pieces], cancel):
            if rows is None:
                rows = _died_rows(block_items, job)
            store.append(rows)
            report.rows_written += len(rows)
            report.errors += sum(1 for row in rows if row.get("error"))
            report.workers.update(row["worker"] for row in rows)
            finished += len(block_items)
            progress(finished, total)
    finally:
        if pool is not None:
            pool.close()
        if started:
            ray.shutdown()
    return report


RAY_ENGINE = Engine("ray", run_ray, prepare=require_ray)
