"""Per-run score series: the scores of every step (or every output) of runs, by metric.

An iterative run's items are its steps (step 0 = the input); a restore run's
items are its outputs, keyed by their input image, so repeated restore runs
line up item by item for the Friedman test. Scores come through
:func:`~core.metrics.scoring.score_project`, so they are computed once and cached.

Steps of mirror/rotate runs are scored aligned to the original: each step's
``expected_transform`` (the schedule's cumulative transform, stored with the
step) is undone before any metric sees it (references that are such steps too),
so a faithful mirror run scores like a replicate run.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import IrisError
from core.iterate.schedules import Transform
from core.jobs import ProgressFn, no_progress
from core.metrics.friedman import FriedmanResult, friedman
from core.metrics.gaps import GAP_STEPS, MetricGaps, chain_gaps
from core.metrics.scoring import score_project
from core.metrics.weights import WeightsConfig
from core.project import Project


@dataclass
class RunSeries:
    """One run's items (step index, or input image id for restore runs) and their scores."""

    run: str
    run_id: int
    kind: str
    group: str | None
    image: str  # the run's input image name (the chain's subject)
    keys: list[int] = field(default_factory=list)
    image_ids: list[int] = field(default_factory=list)
    values: dict[str, list[float | None]] = field(default_factory=dict)
    orientations: dict[int, Transform] = field(default_factory=dict)
    """Image id -> the transform its step should show (undone before scoring); identity left out."""

    def by_key(self, metric: str) -> dict[int, float]:
        return {
            k: v
            for k, v in zip(self.keys, self.values.get(metric, []), strict=False)
            if v is not None
        }


def expand_runs(project: Project, names: Sequence[str]) -> list[str]:
    """Run names; a name that is a run group stands for all the runs of that group."""
    known = {run.name: run for run in project.runs()}
    out: list[str] = []
    for name in names:
        if name in known:
            out.append(name)
            continue
        group = [run.name for run in known.values() if run.group_name == name]
        if not group:
            raise IrisError(f"no run or run group {name!r}; runs: {', '.join(known) or '(none)'}")
        out.extend(group)
    return list(dict.fromkeys(out))


def _items(project: Project, run_name: str) -> RunSeries:
    run = project.run(run_name)
    series = RunSeries(run.name, run.id, run.kind, run.group_name, "")
    results = [r for r in project.results(run.id) if r.status == "ok" and r.output_image_id]
    if run.kind == "iterate":
        for result in sorted(results, key=lambda r: r.step_index or 0):
            series.keys.append(int(result.step_index or 0))
            series.image_ids.append(int(result.output_image_id))
            expected = Transform.from_dict(result.meta.get("expected_transform"))
            if not expected.is_identity:
                series.orientations[int(result.output_image_id)] = expected
        if series.image_ids:
            first = series.image_ids[0] if series.keys[0] == 0 else None
            series.image = project.image(first).name if first else run.name
    else:
        for result in results:
            output = project.image(result.output_image_id)
            source = result.input_image_id or output.parent_id or output.id
            series.keys.append(int(source))
            series.image_ids.append(output.id)
        series.image = run.name
    return series


def collect_series(
    project_dir: str | Path,
    runs: Sequence[str],
    metrics: Sequence[str],
    *,
    reference: str | None = None,
    device: str = "auto",
    config: WeightsConfig | None = None,
    compute: bool = True,
    align_policy: str = "resize",
    align_filter: str = "bicubic",
    oriented: bool = True,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[RunSeries]:
    """Score every item of ``runs`` (run or group names) with ``metrics``; cached scores are reused.

    ``oriented`` (the default) scores mirror/rotate steps turned back to the original's
    orientation; ``False`` scores the stored pixels as they are. ``compute=False`` reads
    only stored scores. Progress counts images, from 0 to the
    number of images of all the runs, never past it.
    """
    with Project.open(project_dir) as project:
        all_series = [_items(project, name) for name in expand_runs(project, runs)]
    total = sum(len(s.image_ids) for s in all_series)
    done = 0
    for series in all_series:
        base, count = done, len(series.image_ids)

        def inner(d: int, t: int, base: int = base, count: int = count) -> None:
            # score_project counts (image, metric) pairs still to compute: scale to images
            progress(base + min(count, round(count * d / max(t, 1))), total)

        report = score_project(
            project_dir,
            metrics,
            image_ids=series.image_ids,
            reference=reference,
            device=device,
            config=config,
            compute=compute,
            align_policy=align_policy,
            align_filter=align_filter,
            orient=series.orientations if oriented else None,
            progress=inner,
            cancel=cancel,
        )
        for metric in metrics:
            series.values[metric] = [report.value(i, metric) for i in series.image_ids]
        done += len(series.image_ids)
        progress(done, total)
    return all_series


def gaps_of(
    series: Sequence[RunSeries], metrics: Sequence[str], steps: Sequence[int] = GAP_STEPS
) -> dict[str, MetricGaps]:
    """Banana100 gaps of every metric over the iterative runs in ``series``."""
    out: dict[str, MetricGaps] = {}
    for metric in metrics:
        gaps = MetricGaps(metric)
        for s in series:
            if s.kind == "iterate":
                gaps.chains.append(
                    chain_gaps(metric, s.by_key(metric), run=s.run, image=s.image, steps=steps)
                )
        out[metric] = gaps
    return out


def friedman_of(series: Sequence[RunSeries], metric: str) -> FriedmanResult:
    """Friedman test of ``metric`` across runs, on the items every run scored."""
    maps = [s.by_key(metric) for s in series]
    if any(s.kind == "iterate" for s in series):  # step 0 is the shared input: not a block
        maps = [{k: v for k, v in m.items() if k != 0} for m in maps]
    common = sorted(set.intersection(*(set(m) for m in maps))) if maps else []
    return friedman([[m[key] for m in maps] for key in common])
