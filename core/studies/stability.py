"""The stability protocol of seed 000 (Table 3): are repeated generations scored alike?

Per group (a prompt, by default) and per metric, a Friedman test whose
treatments are the repeats (``iris restore --repeat 3``: repeat 0, 1, 2 of one
run; several runs of the same group add their repeats as further treatments)
and whose blocks are the input images every treatment has a score for. The
statistic and p-value are :func:`core.metrics.friedman.friedman` (scipy's
``friedmanchisquare``, tie-corrected); p < 0.05 marks the repeats as differing.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from core.errors import IrisError
from core.jobs import ProgressFn, no_progress
from core.studies.restore_outputs import RestoreOutput, check_group_key, restore_outputs

SIGNIFICANCE = 0.05
MIN_TREATMENTS = 3


@dataclass(frozen=True)
class StabilityRow:
    """One cell pair of Table 3: a group's Friedman statistic and p-value for one metric.

    ``statistic``/``p_value`` are None when the test cannot be made; ``note`` says why
    (fewer than 3 repeats, fewer than 2 images scored by every repeat, images dropped).
    """

    group: str
    metric: str
    statistic: float | None
    p_value: float | None
    blocks: int
    treatments: int
    significant: bool | None
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def natural_key(text: str) -> list:
    """Sort key that puts S2 before S10 (prompt ids, tag values)."""
    return [int(part) if part.isdigit() else part.lower() for part in re.split(r"(\d+)", text)]


def treatment_label(output: RestoreOutput, runs_in_group: int) -> str:
    """A treatment's name: the repeat (``#1``...), prefixed by the run when a group has several."""
    repeat = f"#{output.repeat + 1}"
    return repeat if runs_in_group == 1 else f"{output.run} {repeat}"


def stability_tables(
    outputs: Sequence[RestoreOutput], group_by: str
) -> dict[str, dict[str, dict[int, int]]]:
    """group -> treatment -> {input image id -> output image id} (the layout of each test)."""
    runs: dict[str, set[str]] = {}
    for output in outputs:
        runs.setdefault(output.key(group_by), set()).add(output.run)
    groups: dict[str, dict[str, dict[int, int]]] = {}
    for output in outputs:
        group = output.key(group_by)
        treatment = treatment_label(output, len(runs[group]))
        groups.setdefault(group, {}).setdefault(treatment, {})[output.input_id] = output.output_id
    return {g: groups[g] for g in sorted(groups, key=natural_key)}


def friedman_cell(
    group: str, metric: str, treatments: dict[str, dict[int, int]], value
) -> StabilityRow:
    """The test of one group and metric; ``value(image_id)`` is the stored score or None."""
    from core.metrics.friedman import friedman

    k = len(treatments)
    if k < MIN_TREATMENTS:
        note = f"needs at least {MIN_TREATMENTS} repeats, has {k} (iris restore --repeat 3)"
        return StabilityRow(group, metric, None, None, 0, k, None, note)
    columns = [treatments[name] for name in sorted(treatments, key=natural_key)]
    inputs = sorted(set().union(*(set(c) for c in columns)))
    table, dropped = [], 0
    for input_id in inputs:
        row = [value(c[input_id]) if input_id in c else None for c in columns]
        if any(v is None for v in row):
            dropped += 1
        else:
            table.append(row)
    note = f"{dropped} image(s) without a score in every repeat left out" if dropped else ""
    if len(table) < 2:
        why = f"needs at least 2 images scored in every repeat, has {len(table)}"
        return StabilityRow(group, metric, None, None, len(table), k, None, why)
    result = friedman(table)
    return StabilityRow(
        group,
        metric,
        result.statistic,
        result.p_value,
        result.blocks,
        result.treatments,
        result.p_value < SIGNIFICANCE,
        note,
    )


def friedman_table(
    project: str | Path,
    group_by: str,
    metrics: Sequence[str],
    ref: str | None = None,
    *,
    runs: Sequence[str] | None = None,
    device: str = "auto",
    compute: bool = True,
    align_policy: str = "resize",
    align_filter: str = "bicubic",
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[StabilityRow]:
    """Seed 000's Table 3: one row per group (``group_by``) and metric, groups in natural order.

    ``project`` is the project folder; ``ref`` the reference of full-reference metrics
    (as ``iris score --ref``). Scores are computed once and cached (``compute=False`` reads
    only stored ones). ``runs`` limits the study to those restore runs.
    """
    from core.metrics.scoring import score_project
    from core.project import Project

    if not metrics:
        raise IrisError("name at least one metric")
    with Project.open(project) as opened:
        group_by = check_group_key(opened, group_by)
        outputs = restore_outputs(opened, runs)
    if not outputs:
        raise IrisError(f"{project}: no restore outputs to test (run iris restore --repeat 3)")
    groups = stability_tables(outputs, group_by)
    report = score_project(
        project,
        list(metrics),
        image_ids=sorted({o.output_id for o in outputs}),
        reference=ref,
        device=device,
        compute=compute,
        align_policy=align_policy,
        align_filter=align_filter,
        progress=progress,
        cancel=cancel,
    )
    values = finite_values(report)
    rows = []
    for group, treatments in groups.items():
        for metric in metrics:
            rows.append(
                friedman_cell(group, metric, treatments, lambda i, m=metric: values.get((i, m)))
            )
    return rows


def finite_values(report) -> dict[tuple[int, str], float]:
    """(image id, metric) -> value of a score report's finite values (NaN/inf are no score)."""
    import math

    return {
        (int(row.image_id), row.metric): float(row.value)
        for row in report.rows
        if row.image_id is not None and row.value is not None and math.isfinite(row.value)
    }
