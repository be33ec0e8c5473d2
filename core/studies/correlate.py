"""How well a metric agrees with human ratings or with another metric (seed 003, Table 8).

Kendall's tau-b, Spearman's rank correlation (SRCC) and Pearson's linear
correlation (PLCC), each with its two-sided p-value, computed by scipy
(``kendalltau`` with its default tau-b, ``spearmanr``, ``pearsonr``) on two
paired vectors. The pairs are made at one of three levels:

- ``image``: one pair per image, the metric's score against the mean of its
  human ratings (or the second metric's score);
- ``method``: one pair per method, the means over that method's paired images;
- ``rating``: one pair per (image, rater) rating, the image's score repeated
  for each of its raters (``--human`` only).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import IrisError
from core.jobs import ProgressFn, no_progress

LEVELS = ("image", "method", "rating")
COEFFICIENTS = (("kendall_tau_b", "Kendall's tau-b"), ("srcc", "SRCC"), ("plcc", "PLCC"))
MIN_PAIRS = 3


@dataclass(frozen=True)
class Coefficient:
    name: str  # kendall_tau_b, srcc or plcc
    title: str
    value: float | None  # None when one vector is constant (undefined)
    p_value: float | None


@dataclass
class Correlation:
    """The three coefficients of ``x`` (the metric) against ``y`` (humans or a second metric)."""

    metric: str
    against: str  # "human" or the second metric's name
    by: str
    labels: list[str] = field(default_factory=list)
    x: list[float] = field(default_factory=list)
    y: list[float] = field(default_factory=list)
    coefficients: list[Coefficient] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.x)

    def as_dict(self) -> dict[str, Any]:
        return {
            "metric": self.metric,
            "against": self.against,
            "by": self.by,
            "n": self.n,
            "coefficients": {
                c.name: {"value": c.value, "p_value": c.p_value} for c in self.coefficients
            },
            "pairs": [
                {"label": label, "x": x, "y": y}
                for label, x, y in zip(self.labels, self.x, self.y, strict=True)
            ],
        }


def _finite(value: float) -> float | None:
    return float(value) if value is not None and math.isfinite(value) else None


def coefficients(x: Sequence[float], y: Sequence[float]) -> list[Coefficient]:
    """Kendall tau-b, SRCC and PLCC of two equal-length vectors of finite numbers."""
    import warnings

    import numpy as np
    from scipy import stats

    a, b = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    if a.shape != b.shape or a.ndim != 1:
        raise IrisError("the two vectors must be paired (same length)")
    if len(a) < MIN_PAIRS:
        raise IrisError(f"a correlation needs at least {MIN_PAIRS} pairs, got {len(a)}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise IrisError("the vectors hold a value that is not a finite number")
    constant = np.ptp(a) == 0 or np.ptp(b) == 0
    out = []
    functions = (stats.kendalltau, stats.spearmanr, stats.pearsonr)
    for (name, title), function in zip(COEFFICIENTS, functions, strict=True):
        if constant:  # undefined: scipy warns and answers NaN
            out.append(Coefficient(name, title, None, None))
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = function(a, b)
        out.append(Coefficient(name, title, _finite(result[0]), _finite(result[1])))
    return out


def _pairs(per_image: dict[int, float], other: dict[int, list[float]], methods, by: str):
    """(labels, x, y) at level ``by`` from image -> x and image -> the y values."""
    ids = sorted(set(per_image) & set(other))
    if by == "rating":
        rows = [(str(i), per_image[i], y) for i in ids for y in other[i]]
    elif by == "image":
        rows = [(str(i), per_image[i], sum(other[i]) / len(other[i])) for i in ids]
    else:
        grouped: dict[str, tuple[list[float], list[float]]] = {}
        for i in ids:
            xs, ys = grouped.setdefault(methods.get(i) or "(none)", ([], []))
            xs.append(per_image[i])
            ys.extend(other[i])
        rows = [
            (name, sum(xs) / len(xs), sum(ys) / len(ys))
            for name, (xs, ys) in sorted(grouped.items())
        ]
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def correlate(
    project: str | Path,
    metric: str,
    ref: str | None = None,
    *,
    human: bool = False,
    metric2: str | None = None,
    by: str = "image",
    device: str = "auto",
    compute: bool = True,
    align_policy: str = "resize",
    align_filter: str = "bicubic",
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> Correlation:
    """``metric`` against human ratings (``human``) or ``metric2``, paired at level ``by``.

    With ``human`` the images are the rated ones; with ``metric2`` every image a method
    made (restore, edit and imported outputs). Scores are computed once and cached.
    """
    from core.metrics.scoring import score_project
    from core.project import Project
    from core.studies.stability import finite_values

    if by not in LEVELS:
        raise IrisError(f"pair by one of {', '.join(LEVELS)}, not {by!r}")
    if human == (metric2 is not None):
        raise IrisError("correlate with either the human ratings or a second metric")
    if by == "rating" and not human:
        raise IrisError("--by rating pairs each human rating; use image or method with --metric2")
    with Project.open(project) as opened:
        methods = opened.image_methods()
        if human:
            ratings: dict[int, list[float]] = {}
            for row in opened.ratings():
                ratings.setdefault(int(row["image_id"]), []).append(float(row["score"]))
            ids = sorted(ratings)
            if not ids:
                raise IrisError(f"{project}: no human ratings (iris ratings import, or Annotate)")
        else:
            ids = sorted(i for i, m in methods.items() if m)
            if not ids:
                raise IrisError(f"{project}: no image made by a method to correlate over")
    names = [metric] if human else list(dict.fromkeys([metric, metric2]))
    report = score_project(
        project, names, image_ids=ids, reference=ref, device=device, compute=compute,
        align_policy=align_policy, align_filter=align_filter, progress=progress, cancel=cancel,
    )  # fmt: skip
    values = finite_values(report)
    per_image = {i: values[(i, metric)] for i in ids if (i, metric) in values}
    second = {i: [values[(i, metric2)]] for i in ids if (i, metric2) in values}
    other = ratings if human else second
    labels, x, y = _pairs(per_image, other, methods, by)
    result = Correlation(metric, "human" if human else str(metric2), by, labels, x, y)
    result.coefficients = coefficients(x, y)
    return result
