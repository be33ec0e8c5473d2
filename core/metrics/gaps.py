"""Banana100 score gaps: Delta_i = norm(step i) - norm(step 1), and the failure flag.

Step 1, not step 0, is the baseline: the editor crops to its own aspect ratio
at step 1, and comparing with the uncropped input would mix that in. A metric
*fails* on a chain when any Delta_i > 0: it scores the more degraded image as
better. Each chain is one run (one input image edited step after step).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean

from core.metrics.normalize import normalize

GAP_STEPS = (5, 10, 20)


@dataclass
class ChainGaps:
    """The gaps of one metric on one chain (run)."""

    metric: str
    run: str
    image: str
    deltas: dict[int, float | None]

    @property
    def fails(self) -> bool:
        return any(d is not None and d > 0 for d in self.deltas.values())


@dataclass
class MetricGaps:
    """One metric over all chains: mean Delta per step and how many chains it fails on."""

    metric: str
    chains: list[ChainGaps] = field(default_factory=list)

    def mean_delta(self, step: int) -> float | None:
        values = [c.deltas[step] for c in self.chains if c.deltas.get(step) is not None]
        return fmean(values) if values else None

    @property
    def fails(self) -> int:
        return sum(chain.fails for chain in self.chains)

    def as_dict(self, steps: Sequence[int] = GAP_STEPS) -> dict:
        out: dict = {f"delta{s}": self.mean_delta(s) for s in steps}
        out["fails"] = self.fails
        return out


def chain_gaps(
    metric: str,
    values: Mapping[int, float],
    *,
    run: str = "",
    image: str = "",
    steps: Sequence[int] = GAP_STEPS,
) -> ChainGaps:
    """Gaps of one chain from its raw scores by step; missing steps give None."""
    if 1 not in values:
        return ChainGaps(metric, run, image, {s: None for s in steps})
    base = normalize(values[1], metric)
    deltas = {s: (normalize(values[s], metric) - base) if s in values else None for s in steps}
    return ChainGaps(metric, run, image, deltas)


def failure_matrix(
    gaps: Mapping[str, MetricGaps], step: int | None = None
) -> tuple[list[str], list[str], list[list[float | None]]]:
    """Metric x image matrix for the heatmap: Delta at ``step`` (or the largest Delta),
    averaged over the chains of each image."""
    metrics = list(gaps)
    images = list(dict.fromkeys(c.image for g in gaps.values() for c in g.chains))
    rows: list[list[float | None]] = []
    for metric in metrics:
        row: list[float | None] = []
        for image in images:
            picked = []
            for chain in gaps[metric].chains:
                if chain.image != image:
                    continue
                known = [d for d in chain.deltas.values() if d is not None]
                value = (
                    chain.deltas.get(step) if step is not None else (max(known) if known else None)
                )
                if value is not None:
                    picked.append(value)
            row.append(fmean(picked) if picked else None)
        rows.append(row)
    return metrics, images, rows


FAILURE_COUNTS = ("steps", "runs")  # what one failure is in a metric x image cell


def failure_counts(
    gaps: Mapping[str, MetricGaps],
    steps: Sequence[int] = GAP_STEPS,
    *,
    count: str = "steps",
) -> tuple[list[str], list[str], list[list[int | None]]]:
    """Metric x image failure counts, the matrix of Banana100's Fig. 6.

    ``count="steps"`` is the paper's: Fig. 6 "overlays the 3 heatmaps from Figure 5" (the
    gap at steps 5, 10 and 20, each averaged over the image's runs) and "the brightness ...
    correspond[s] to the total number of failures": a cell counts the steps whose mean gap
    is > 0, from 0 to ``len(steps)``. ``count="runs"`` counts instead the runs of the image on
    which the metric fails (any gap > 0), from 0 to the number of runs. A cell without any
    gap is None.
    """
    if count not in FAILURE_COUNTS:
        raise ValueError(f"count must be one of {', '.join(FAILURE_COUNTS)}, got {count!r}")
    metrics = list(gaps)
    images = list(dict.fromkeys(c.image for g in gaps.values() for c in g.chains))
    rows: list[list[int | None]] = []
    for metric in metrics:
        row: list[int | None] = []
        for image in images:
            chains = [c for c in gaps[metric].chains if c.image == image]
            if count == "runs":
                known = [c for c in chains if any(d is not None for d in c.deltas.values())]
                row.append(sum(c.fails for c in known) if known else None)
                continue
            means = []
            for step in steps:
                values = [c.deltas[step] for c in chains if c.deltas.get(step) is not None]
                if values:
                    means.append(fmean(values))
            row.append(sum(m > 0 for m in means) if means else None)
        rows.append(row)
    return metrics, images, rows


def failed_images(gaps: Mapping[str, MetricGaps], steps: Sequence[int] = GAP_STEPS) -> dict:
    """Per metric, on how many input images it fails (a Fig. 6 cell above 0) of those scored:
    the paper counts failures per (metric, image), not per run."""
    metrics, _images, rows = failure_counts(gaps, steps)
    return {
        metric: (sum(1 for v in row if v), sum(1 for v in row if v is not None))
        for metric, row in zip(metrics, rows, strict=True)
    }
