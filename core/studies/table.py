"""The pivot of facts: rows by any keys, columns by metric (or a key), a statistic per cell.

A cell holds the images of its row (and column value) that the ``where`` filter keeps,
the values stored for them, and the images that have no value, by reason (missing,
no reference...): nothing is dropped silently. The unit is the image (each repeat
is its own image). Subtotal rows ("Avg") pool the images of each value of a row key,
as Table 2 of seed 000 averages each prompt group; a total row pools every row.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from core.studies.bootstrap import DEFAULT_RESAMPLES, DEFAULT_SEED, MAX_RESAMPLES, bootstrap_ci
from core.studies.facts import MISSING, OTHER_VERSION, FactSet, StudyError

METRIC = "metric"
NONE_LABEL = "(none)"
SUBTOTAL_LABEL = "Avg"
TOTAL_LABEL = "All"


@dataclass(frozen=True)
class Stat:
    """A statistic of a cell's values: its name, its help and how to compute it."""

    name: str
    help: str
    compute: Callable[[np.ndarray, TableSpec], Any]


def _mean(values: np.ndarray, spec: TableSpec) -> float | None:
    return float(values.mean()) if values.size else None


def _sd(values: np.ndarray, spec: TableSpec) -> float | None:
    return float(values.std(ddof=1)) if values.size >= 2 else None


def _median(values: np.ndarray, spec: TableSpec) -> float | None:
    return float(np.median(values)) if values.size else None


def _ci95(values: np.ndarray, spec: TableSpec) -> tuple[float, float] | None:
    return bootstrap_ci(values, resamples=spec.resamples, seed=spec.seed)


STATS: dict[str, Stat] = {
    s.name: s
    for s in (
        Stat("mean", "mean over images", _mean),
        Stat("sd", "sample standard deviation (n - 1)", _sd),
        Stat("n", "images with a value", lambda v, s: int(v.size)),
        Stat("ci95", "95% percentile bootstrap interval of the mean, over images", _ci95),
        Stat("median", "median over images", _median),
        Stat("min", "smallest value", lambda v, s: float(v.min()) if v.size else None),
        Stat("max", "largest value", lambda v, s: float(v.max()) if v.size else None),
    )
}


@dataclass
class TableSpec:
    """What table to build: the contract of ``iris table`` and the Tables view."""

    rows: list[str]
    metrics: list[str]
    cols: str = METRIC
    stats: list[str] = field(default_factory=lambda: ["mean"])
    where: dict[str, list[str]] = field(default_factory=dict)
    subtotals: str | None = None
    total: bool = False
    seed: int = DEFAULT_SEED
    resamples: int = DEFAULT_RESAMPLES

    def checked(self, known: Sequence[str]) -> TableSpec:
        """This spec with its names checked against the keys the facts have."""
        known_set = set(known)
        rows = list(dict.fromkeys(self.rows))
        if self.subtotals and self.subtotals not in rows:
            rows.insert(0, self.subtotals)
        for key in [*rows, *self.where, *([self.cols] if self.cols != METRIC else [])]:
            if key not in known_set:
                raise StudyError(f"key {key!r}: not one of {', '.join(known)}")
        if self.cols in rows:
            raise StudyError(f"--cols {self.cols}: it is already a row key")
        unknown = [s for s in self.stats if s not in STATS]
        if unknown or not self.stats:
            raise StudyError(
                f"--stat {','.join(unknown) or '(none)'}: choose from {', '.join(STATS)}"
            )
        if not 1 <= self.resamples <= MAX_RESAMPLES:
            raise StudyError(f"resamples {self.resamples}: give 1 to {MAX_RESAMPLES}")
        return TableSpec(
            rows, list(self.metrics), self.cols, list(dict.fromkeys(self.stats)),
            {k: list(v) for k, v in self.where.items()}, self.subtotals, self.total,
            int(self.seed), int(self.resamples),
        )  # fmt: skip


@dataclass(frozen=True)
class Column:
    """One column: a metric and, when columns are a key, that key's value."""

    metric: str
    value: str | None = None
    lower_better: bool | None = None  # None: direction unknown (not a pyiqa metric)

    @property
    def label(self) -> str:
        return self.metric if self.value is None else f"{self.metric} {self.value}"


@dataclass
class Cell:
    """A cell's values and the images behind it, valued or not (by reason)."""

    image_ids: list[int]
    values: np.ndarray
    without: dict[str, list[int]]
    stats: dict[str, Any]

    @property
    def missing(self) -> list[int]:
        """Images a computation could give a value (no stored score of this version)."""
        return [*self.without.get(MISSING, []), *self.without.get(OTHER_VERSION, [])]


@dataclass
class Row:
    label: tuple[str, ...]
    kind: str  # "row", "subtotal" or "total"
    image_ids: list[int]


@dataclass
class Table:
    """A built table: its rows, columns and cells (``cells[row][column]``)."""

    spec: TableSpec
    reference: str | None
    rows: list[Row]
    columns: list[Column]
    cells: list[list[Cell]]
    versions: dict[str, list[str]]

    def best(self, stat: str = "mean") -> dict[int, int]:
        """column index -> the index of the plain row with the best ``stat`` (by direction)."""
        found: dict[int, int] = {}
        for c, column in enumerate(self.columns):
            if column.lower_better is None:
                continue
            scored = [
                (value, r)
                for r, row in enumerate(self.rows)
                if row.kind == "row"
                and isinstance(value := self.cells[r][c].stats.get(stat), float)
                and math.isfinite(value)
            ]
            if len(scored) >= 2:
                pick = min if column.lower_better else max
                found[c] = pick(scored)[1]
        return found

    def missing_count(self, column: int) -> int:
        """Images of the plain rows without a stored value a computation could give."""
        return sum(
            len(self.cells[r][column].missing)
            for r, row in enumerate(self.rows)
            if row.kind == "row"
        )

    def missing_total(self) -> int:
        return sum(self.missing_count(c) for c in range(len(self.columns)))

    def notes(self) -> list[str]:
        """What a reader needs beside the numbers: the seed, the reference, what is missing."""
        notes = [f"unit: image; rows: {', '.join(self.spec.rows)}"]
        if self.reference:
            notes.append(f"full-reference scores against: {self.reference}")
        if "ci95" in self.spec.stats:
            notes.append(
                f"ci95: percentile bootstrap of the mean over images, "
                f"{self.spec.resamples} resamples, seed {self.spec.seed}"
            )
        for c, column in enumerate(self.columns):
            counts: dict[str, int] = {}
            for r, row in enumerate(self.rows):
                if row.kind != "row":
                    continue
                for reason, ids in self.cells[r][c].without.items():
                    counts[reason] = counts.get(reason, 0) + len(ids)
            if counts:
                text = ", ".join(f"{n} {reason}" for reason, n in sorted(counts.items()))
                notes.append(f"{column.label}: images without a value: {text}")
        return notes


def natural_key(value: Any) -> tuple:
    """Sort S2 before S10 and (none) last."""
    if value is None:
        return (1, ())
    parts = re.split(r"(\d+)", str(value))
    return (0, tuple((0, int(p), "") if p.isdigit() else (1, 0, p.lower()) for p in parts))


def _label(value: Any) -> str:
    return NONE_LABEL if value is None else str(value)


def _matches(keys: Mapping[str, Any], where: Mapping[str, list[str]]) -> bool:
    """Every key of ``where`` has one of its values (one key given twice: either value)."""
    return all(_label(keys.get(key)) in values for key, values in where.items())


def _direction(metric: str) -> bool | None:
    from core.errors import IrisError
    from core.metrics.catalogue import metric_info

    try:
        return metric_info(metric).lower_better
    except IrisError:
        return None


def build_table(facts: FactSet, spec: TableSpec) -> Table:
    """The table ``spec`` asks for over ``facts`` (see the module)."""
    spec = spec.checked(facts.known_keys())
    images = [i for i, keys in facts.keys.items() if _matches(keys, spec.where)]
    groups: dict[tuple, list[int]] = {}
    for image_id in images:
        keys = facts.keys[image_id]
        groups.setdefault(tuple(keys.get(k) for k in spec.rows), []).append(image_id)
    order = sorted(groups, key=lambda label: tuple(natural_key(v) for v in label))
    rows = _with_subtotals(spec, order, groups)
    columns = _columns(facts, spec, images)
    position = {image_id: index for index, image_id in enumerate(facts.keys)}
    ids = np.fromiter(facts.keys, dtype=np.int64, count=len(facts.keys))
    arrays = {m: _value_array(facts, m, position) for m in {c.metric for c in columns}}
    cells = []
    for row in rows:
        at = np.fromiter((position[i] for i in row.image_ids), np.int64, len(row.image_ids))
        line = []
        for column in columns:
            picked = at
            if column.value is not None:
                keep = [_label(facts.keys[i].get(spec.cols)) == column.value for i in ids[at]]
                picked = at[np.asarray(keep, dtype=bool)] if len(at) else at
            line.append(
                _cell(facts, spec, column.metric, ids[picked], arrays[column.metric][picked])
            )
        cells.append(line)
    versions = {m: list(v) for m, v in facts.versions.items()}
    return Table(spec, facts.reference, rows, columns, cells, versions)


def _value_array(facts: FactSet, metric: str, position: dict[int, int]) -> np.ndarray:
    """Every image's value of ``metric`` by position, NaN where it has none."""
    out = np.full(len(position), np.nan)
    found = facts.values.get(metric, {})
    if found:
        out[np.fromiter((position[i] for i in found), np.int64, len(found))] = np.fromiter(
            found.values(), np.float64, len(found)
        )
    return out


def _with_subtotals(spec: TableSpec, order: list[tuple], groups: dict) -> list[Row]:
    rows: list[Row] = []
    if spec.subtotals:
        at = spec.rows.index(spec.subtotals)
        block: list[int] = []
        for index, label in enumerate(order):
            rows.append(Row(tuple(_label(v) for v in label), "row", groups[label]))
            block += groups[label]
            following = order[index + 1] if index + 1 < len(order) else None
            if following is None or following[: at + 1] != label[: at + 1]:
                rows.append(Row(_subtotal_label(label, at), "subtotal", block))
                block = []
    else:
        rows = [Row(tuple(_label(v) for v in label), "row", groups[label]) for label in order]
    if spec.total:
        every = [i for label in order for i in groups[label]]
        rows.append(Row((TOTAL_LABEL,) + ("",) * (len(spec.rows) - 1), "total", every))
    return rows


def _subtotal_label(label: tuple, at: int) -> tuple[str, ...]:
    """``(L, Avg)`` under the rows of group L; ``(L Avg,)`` when the key is the last one."""
    head = tuple(_label(v) for v in label[: at + 1])
    if at + 1 < len(label):
        return head + (SUBTOTAL_LABEL,) + ("",) * (len(label) - at - 2)
    return head[:-1] + (f"{head[-1]} {SUBTOTAL_LABEL}",)


def _columns(facts: FactSet, spec: TableSpec, images: list[int]) -> list[Column]:
    if spec.cols == METRIC:
        return [Column(m, None, _direction(m)) for m in facts.metrics if m in spec.metrics]
    values = sorted({_label(facts.keys[i].get(spec.cols)) for i in images}, key=natural_key)
    return [Column(m, v, _direction(m)) for m in facts.metrics if m in spec.metrics for v in values]


def _cell(
    facts: FactSet, spec: TableSpec, metric: str, ids: np.ndarray, values: np.ndarray
) -> Cell:
    valued = ~np.isnan(values)
    without: dict[str, list[int]] = {}
    if not valued.all():
        status = facts.status.get(metric, {})
        for image_id in ids[~valued].tolist():
            without.setdefault(status.get(image_id, MISSING), []).append(image_id)
    array = values[valued]
    stats = {name: STATS[name].compute(array, spec) for name in spec.stats}
    return Cell(ids[valued].tolist(), array, without, stats)


def missing_scores(facts: FactSet, spec: TableSpec) -> dict[str, list[int]]:
    """metric -> the images of the table (``where`` applied) a computation could score."""
    wanted = [i for i, keys in facts.keys.items() if _matches(keys, spec.where)]
    out: dict[str, list[int]] = {}
    for metric in facts.metrics:
        if _direction(metric) is None:  # a judge: scored by its own command, not here
            continue
        status = facts.status.get(metric, {})
        ids = [i for i in wanted if status.get(i) in (MISSING, OTHER_VERSION)]
        if ids:
            out[metric] = ids
    return out


def project_table(
    project_dir,
    spec: TableSpec,
    *,
    reference: str | None = None,
    compute: bool = False,
    device: str = "auto",
    config=None,
    align_policy: str | None = None,
    align_filter: str | None = None,
    progress=None,
    cancel=None,
) -> Table:
    """Read the facts, score what is missing when ``compute`` (``iris score --project``'s
    path, so the cache keys agree), and build the table ``spec`` asks for."""
    from core.jobs import no_progress
    from core.metrics.alignment import DEFAULT_FILTER, DEFAULT_POLICY
    from core.studies.facts import read_facts

    progress = progress or no_progress
    align = {
        "align_policy": align_policy or DEFAULT_POLICY,
        "align_filter": align_filter or DEFAULT_FILTER,
    }
    facts = read_facts(project_dir, spec.metrics, reference=reference, cancel=cancel, **align)
    spec.checked(facts.known_keys())  # a wrong key fails before anything is scored
    todo = missing_scores(facts, spec) if compute else {}
    if todo:
        from core.metrics.scoring import score_project

        total = sum(len(ids) for ids in todo.values())
        done = 0
        for metric, ids in todo.items():

            def step(count: int, _total: int, base: int = done) -> None:
                progress(base + count, total)

            score_project(
                project_dir, [metric], image_ids=ids, reference=reference, device=device,
                config=config, progress=step, cancel=cancel, **align,
            )  # fmt: skip
            done += len(ids)
        facts = read_facts(project_dir, spec.metrics, reference=reference, cancel=cancel, **align)
    return build_table(facts, spec)
