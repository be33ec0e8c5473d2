"""What the Metrics view draws, from scored run series: curves, categories, heatmap, table rows.

Plain functions (no widgets), so the drawing decisions are testable on their own:
iterative runs are curves over whole steps; restore runs (one output per input
image, no steps) are points per input image, named by the image; the two are
never mixed on one axis. :func:`collect_labelled` is the worker job: the series
plus the names of the input images that restore runs are keyed by, with the stored
judge results beside them: RealIR-Bench RS and FS as two more metrics of each item
(``JUDGE_METRICS``), and the thought judge's first 'yes' step per iterative run.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import fmean, pstdev
from typing import Any

from core.jobs import ProgressFn, no_progress
from widgets.metric_plot import Curve

JUDGE_METRICS = ("RS", "FS")  # RealIR-Bench judge figures, stored as judgements, not scores
FIRST_YES = "first yes (thoughts)"  # the table's metric name of the thought judge's verdict

# what is read first comes first: the run, where in it, the metric and its value
TABLE_COLUMNS = ["run", "step", "input", "metric", "value", "normalized", "group", "image_id"]
RESTORE_NO_GAPS = (
    "No gaps: restore runs have one output per image and no steps, so there is no step-1 "
    "score to compare with. Gaps are for iterative runs."
)


def collect_labelled(
    project_dir: str | Path,
    runs: Sequence[str],
    metrics: Sequence[str],
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
    **options: Any,
) -> tuple[list, dict[int, str], dict[str, int | None]]:
    """:func:`~core.metrics.series.collect_series`, ``{input image id: name}`` of restore runs,
    and ``{run: first 'yes' step}`` of the iterative runs the thought judge has judged.

    The series carry the stored RS and FS (:data:`JUDGE_METRICS`) of their items where a
    severity judge has rated them; nothing is asked or computed for these."""
    from core.metrics.series import collect_series
    from core.project import Project

    wanted = [m for m in metrics if m not in JUDGE_METRICS]
    series = collect_series(project_dir, runs, wanted, progress=progress, cancel=cancel, **options)
    first_yes = attach_judgements(project_dir, series, cancel=cancel)
    keys = {k for s in series if s.kind != "iterate" for k in s.keys}
    names: dict[int, str] = {}
    if keys:
        with Project.open(project_dir) as project:
            for key in sorted(keys):
                try:
                    names[key] = project.image(key).name
                except Exception:  # noqa: BLE001 (an input deleted since: show its id)
                    names[key] = f"image {key}"
    return series, names, first_yes


def attach_judgements(
    project_dir: str | Path, series: Sequence, cancel: threading.Event | None = None
) -> dict[str, int | None]:
    """Add the stored RS/FS to ``series`` (when any item has them) and return the thought
    judge's first 'yes' step of each iterative run it has judged."""
    from core.metrics.judges import stored_realir, stored_thoughts

    ids = [i for s in series for i in s.image_ids]
    found = stored_realir(project_dir, ids, cancel=cancel) if ids else {}
    if found:
        for s in series:
            s.values["RS"] = [found.get(i, {}).get("rs") for i in s.image_ids]
            s.values["FS"] = [found.get(i, {}).get("fs") for i in s.image_ids]
    iterative = [s.run for s in series if s.kind == "iterate"]
    judged = stored_thoughts(project_dir, iterative, cancel=cancel) if iterative else []
    return {t.run: t.first_yes for t in judged if t.answers or t.failed}


def normalized_or_none(value: float | None, metric: str) -> float | None:
    """The [0, 100] value, or None where the metric has no typical range (judges, custom)."""
    from core.errors import IrisError
    from core.metrics.normalize import normalize

    if value is None:
        return None
    try:
        return normalize(value, metric)
    except IrisError:
        return None


@dataclass
class PlotData:
    """Everything :meth:`MetricPlot.set_curves` needs, and what was left out and why."""

    curves: list[Curve] = field(default_factory=list)
    categories: list[str] | None = None
    x_label: str = "step"
    note: str = ""


def categories_of(series: Sequence, names: dict[int, str]) -> tuple[list[int], list[str]]:
    """The restore runs' input image ids in first-seen order, and their (unique) labels."""
    keys = list(dict.fromkeys(k for s in series for k in s.keys))
    labels = [names.get(k, f"image {k}") for k in keys]
    seen = [labels.count(label) for label in labels]
    labels = [
        f"{label} (#{k})" if n > 1 else label
        for label, k, n in zip(labels, keys, seen, strict=True)
    ]
    return keys, labels


def plot_data(
    series: Sequence,
    metrics: Sequence[str],
    names: dict[int, str],
    *,
    normalized: bool = False,
    band: bool = False,
) -> PlotData:
    """Curves per metric and run (or group mean and spread when ``band``).

    Iterative runs win the axis when both kinds are selected; the restore runs are
    then named in ``note`` (choose them on their own to see them per image).
    """
    iterative = [s for s in series if s.kind == "iterate"]
    others = [s for s in series if s.kind != "iterate"]
    shown = iterative or others
    data = PlotData()
    if iterative and others:
        data.note = f"{len(others)} restore run(s) not drawn: choose them on their own"
    if not iterative and others:
        keys, data.categories = categories_of(others, names)
        data.x_label = "input image"
        index = {k: i for i, k in enumerate(keys)}
    else:
        index = None

    def x_of(key: int) -> int:
        return index[key] if index is not None else key

    def value(metric: str, v: float | None) -> float | None:
        return normalized_or_none(v, metric) if normalized else v

    for metric in metrics:
        if band:
            groups: dict[str, list] = {}
            for s in shown:
                groups.setdefault(s.group or s.run, []).append(s)
            for group, members in groups.items():
                keys = list(dict.fromkeys(k for s in members for k in s.keys))
                if index is None:
                    keys.sort()
                means, spreads = [], []
                for key in keys:
                    found = [
                        value(metric, v)
                        for s in members
                        for k, v in zip(s.keys, s.values.get(metric, []), strict=False)
                        if k == key
                    ]
                    found = [v for v in found if v is not None]
                    means.append(fmean(found) if found else None)
                    spreads.append(pstdev(found) if len(found) > 1 else 0.0)
                data.curves.append(Curve(metric, group, [x_of(k) for k in keys], means, spreads))
        else:
            for s in shown:
                values = [value(metric, v) for v in s.values.get(metric, [])]
                steps = [x_of(k) for k in s.keys][: len(values)]
                data.curves.append(Curve(metric, s.run, steps, values[: len(steps)]))
    return data


def table_rows(
    series: Sequence,
    metrics: Sequence[str],
    names: dict[int, str],
    first_yes: dict[str, int | None] | None = None,
) -> list[dict]:
    """One row per run, item and metric: the step (iterative) or the input image (restore);
    and one row per run the thought judge judged: its first 'yes' step (empty: never)."""
    rows = []
    for s in series:
        if first_yes and s.run in first_yes:
            step = first_yes[s.run]
            ids = dict(zip(s.keys, s.image_ids, strict=False))
            rows.append({
                "run": s.run, "group": s.group or "", "metric": FIRST_YES, "step": step,
                "input": s.image, "value": step, "normalized": None,
                "image_id": ids.get(step) if step is not None else None,
            })  # fmt: skip
    for s in series:
        for metric in metrics:
            for key, image_id, value in zip(
                s.keys, s.image_ids, s.values.get(metric, []), strict=False
            ):
                iterative = s.kind == "iterate"
                rows.append({
                    "run": s.run, "group": s.group or "", "metric": metric,
                    "step": key if iterative else None,
                    "input": s.image if iterative else names.get(key, f"image {key}"),
                    "value": value, "normalized": normalized_or_none(value, metric),
                    "image_id": image_id,
                })  # fmt: skip
    return rows
