"""Depth metrics as the field computes them (Eigen et al. 2014), with the usual alignments.

AbsRel, SqRel, RMSE, RMSE log, log10 and delta < 1.25 / 1.25^2 / 1.25^3 over the
pixels whose ground truth is valid (finite, > 0, inside optional caps) and whose
prediction is a finite positive depth; sky (+inf) and masked (NaN) predictions
are excluded and counted, so a map that masks much is seen to cover little.

Alignment before scoring (:data:`ALIGNMENTS`): ``none`` (metric depth),
``median`` (scale by median(gt) / median(pred)), ``lstsq`` (least-squares
scale) and ``lstsq-shift`` (least-squares scale and shift, the affine-invariant
protocol), each fitted in depth or in inverse depth (``space``).

Vision Banana scores metric depth with no alignment: its Table 3 is "Monocular
metric depth estimation under the zero-shot transfer setting. Vision Banana
achieves superior results on public datasets without using camera intrinsics in
neither training of inference", after "we apply the inverse mapping to decode
the model's generated RGB images back into metric depth, enabling direction
evaluation on standard depth benchmarks" (seed 004). So ``none`` is the default.

Over a set, each metric is the mean of the per-image values (the Eigen-split
practice); counts are summed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from core.depth.defaults import ALIGN_NAMES, ALIGN_SPACES, DEFAULT_ALIGN
from core.errors import IrisError

METRICS = ("abs_rel", "sq_rel", "rmse", "rmse_log", "log10", "delta1", "delta2", "delta3")
SPACES = ALIGN_SPACES
MIN_DEPTH = 1e-3  # an aligned prediction is clipped here (a shift may push it to <= 0)
_MIN_INVERSE = 1e-6  # disparity floor before inverting (a million metres)


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """Sum of a * b of 1-D arrays, in numpy's own loop (BLAS's threads thrash on busy machines)."""
    return float(np.einsum("i,i->", a, b))


def _fit_none(pred: np.ndarray, gt: np.ndarray) -> tuple[float, float]:
    return 1.0, 0.0


def _fit_median(pred: np.ndarray, gt: np.ndarray) -> tuple[float, float]:
    return float(np.median(gt) / np.median(pred)), 0.0


def _fit_scale(pred: np.ndarray, gt: np.ndarray) -> tuple[float, float]:
    return _dot(pred, gt) / _dot(pred, pred), 0.0


def _fit_scale_shift(pred: np.ndarray, gt: np.ndarray) -> tuple[float, float]:
    n = pred.size
    sum_p, sum_g = pred.sum(), gt.sum()
    sum_pp, sum_pg = _dot(pred, pred), _dot(pred, gt)
    det = n * sum_pp - sum_p * sum_p
    if n < 2 or abs(det) <= 1e-12 * max(n * sum_pp, 1e-300):
        return _fit_scale(pred, gt)  # a constant prediction: no shift can be told from scale
    scale = (n * sum_pg - sum_p * sum_g) / det
    shift = (sum_g - scale * sum_p) / n
    return float(scale), float(shift)


# name -> fit of (scale, shift) so that scale * pred + shift approximates gt
ALIGNMENTS: dict[str, Callable[[np.ndarray, np.ndarray], tuple[float, float]]] = {
    "none": _fit_none,
    "median": _fit_median,
    "lstsq": _fit_scale,
    "lstsq-shift": _fit_scale_shift,
}
assert tuple(ALIGNMENTS) == ALIGN_NAMES  # the CLI lists the names without importing numpy


@dataclass(frozen=True)
class Alignment:
    """The fitted map from prediction to ground truth: ``scale * x + shift`` in ``space``."""

    method: str
    space: str
    scale: float
    shift: float

    def apply(self, pred: np.ndarray) -> np.ndarray:
        """Aligned depths, clipped to :data:`MIN_DEPTH` (a shift may cross zero)."""
        if self.space == "inverse":
            inverse = self.scale / pred + self.shift
            aligned = 1.0 / np.maximum(inverse, _MIN_INVERSE)
        else:
            aligned = self.scale * pred + self.shift
        return np.maximum(aligned, MIN_DEPTH)


def fit_alignment(
    pred: np.ndarray, gt: np.ndarray, method: str = DEFAULT_ALIGN, space: str = "depth"
) -> Alignment:
    """Fit ``method`` on paired valid depths ``pred`` and ``gt`` (1-D, finite, > 0)."""
    if method not in ALIGNMENTS:
        raise IrisError(f"unknown alignment {method!r}; known: {', '.join(ALIGNMENTS)}")
    if space not in SPACES:
        raise IrisError(f"unknown alignment space {space!r}; known: {', '.join(SPACES)}")
    if space == "inverse":
        pred, gt = 1.0 / pred, 1.0 / gt
    scale, shift = ALIGNMENTS[method](pred.astype(np.float64), gt.astype(np.float64))
    return Alignment(method, space, scale, shift)


_CHUNK = 1 << 16  # values a pass works on at once: the buffers stay in cache, reused
_DELTAS = (1.25, 1.25**2, 1.25**3)  # exact in binary: 1.25, 1.5625, 1.953125


def _metric_sums(pred: np.ndarray, gt: np.ndarray, fit: Alignment | None) -> np.ndarray:
    """Sums of |d|/g, d^2/g, d^2, (ln p/g)^2, |ln p/g| and the delta counts, chunk by chunk.

    The delta tests compare the ratio max(p/g, g/p) itself with 1.25^k, as the
    definition does: |ln(p/g)| against ln(1.25^k) rounds, and counted p = 4, g = 5
    (a ratio of exactly 1.25) inside delta < 1.25 while p = 5, g = 4 was outside.

    Every pass writes into one of four buffers allocated once (fresh temporaries
    of this size would each cost page faults).
    """
    sums = np.zeros(8, np.float64)
    size = min(_CHUNK, pred.size)
    p, g, rel, work = (np.empty(size, np.float64) for _ in range(4))
    for start in range(0, pred.size, _CHUNK):
        n = min(_CHUNK, pred.size - start)
        pc, gc, rc, wc = p[:n], g[:n], rel[:n], work[:n]
        pc[:] = pred[start : start + n]
        gc[:] = gt[start : start + n]
        if fit is not None:
            pc[:] = fit.apply(pc)
        np.subtract(pc, gc, out=wc)  # d = p - g
        np.divide(wc, gc, out=rc)  # d / g
        sums[1] += _dot(wc, rc)  # d^2 / g
        sums[2] += _dot(wc, wc)  # d^2
        np.abs(rc, out=rc)
        sums[0] += rc.sum()
        np.divide(pc, gc, out=wc)
        np.divide(gc, pc, out=rc)
        np.maximum(wc, rc, out=wc)  # the ratio max(p/g, g/p) >= 1
        for k, limit in enumerate(_DELTAS):
            sums[5 + k] += np.count_nonzero(wc < limit)
        np.log(wc, out=wc)  # ln max(p/g, g/p) = |ln(p/g)|
        sums[3] += _dot(wc, wc)
        sums[4] += wc.sum()
    return sums


def depth_metrics(pred: np.ndarray, gt: np.ndarray, fit: Alignment | None = None) -> dict:
    """The eight metrics of paired valid depths (1-D, finite, > 0), vectorised in chunks.

    ``fit``, when given, is applied to ``pred`` chunk by chunk (no aligned copy
    of the whole map is made). log10 is |ln(p/g)| / ln 10; the delta tests
    compare max(p/g, g/p) with 1.25^k.
    """
    n = pred.size
    sums = _metric_sums(pred, gt, fit) / n
    return {
        "abs_rel": float(sums[0]),
        "sq_rel": float(sums[1]),
        "rmse": float(np.sqrt(sums[2])),
        "rmse_log": float(np.sqrt(sums[3])),
        "log10": float(sums[4] / np.log(10.0)),
        "delta1": float(sums[5]),
        "delta2": float(sums[6]),
        "delta3": float(sums[7]),
    }


@dataclass
class DepthScores:
    """Metrics of one image (None when no pixel could be scored), pixel counts and the fit."""

    metrics: dict[str, float] | None
    counts: dict[str, int]
    alignment: Alignment | None

    def as_dict(self) -> dict:
        """JSON-ready: metrics, counts and the alignment (method, space, scale, shift)."""
        fit = self.alignment
        return {
            "metrics": self.metrics,
            "counts": dict(self.counts),
            "alignment": None if fit is None else fit.__dict__.copy(),
        }


def evaluate_depth(
    pred: np.ndarray,
    gt: np.ndarray,
    *,
    align: str = DEFAULT_ALIGN,
    space: str = "depth",
    min_depth: float | None = None,
    max_depth: float | None = None,
) -> DepthScores:
    """Score a decoded depth map against ground truth of the same (H, W).

    Ground truth is valid where finite, > 0 and inside ``[min_depth, max_depth]``
    when given; of those pixels, a predicted +inf counts as ``pred_sky`` and a
    NaN, -inf or <= 0 as ``pred_masked``; the rest are ``evaluated``.
    """
    pred, gt = np.asarray(pred), np.asarray(gt)
    if pred.shape != gt.shape:
        raise IrisError(f"prediction {pred.shape} and ground truth {gt.shape} differ in size")
    with np.errstate(invalid="ignore"):
        gt_valid = np.isfinite(gt) & (gt > 0)
        if min_depth is not None:
            gt_valid &= gt >= min_depth
        if max_depth is not None:
            gt_valid &= gt <= max_depth
        pred_sky = gt_valid & np.isposinf(pred)
        pred_ok = np.isfinite(pred) & (pred > 0)
    scored = gt_valid & pred_ok
    counts = {
        "pixels": int(gt.size),
        "gt_invalid": int(gt.size - gt_valid.sum()),
        "pred_sky": int(pred_sky.sum()),
        "pred_masked": int((gt_valid & ~pred_ok).sum() - pred_sky.sum()),
        "evaluated": int(scored.sum()),
    }
    if not counts["evaluated"]:
        return DepthScores(None, counts, None)
    p, g = pred[scored], gt[scored]
    fit = fit_alignment(p, g, align, space)
    return DepthScores(depth_metrics(p, g, fit), counts, fit)


@dataclass
class SetScores:
    """Per-image scores and their summary: the mean of each metric and the summed counts."""

    images: list[DepthScores]
    mean: dict[str, float] | None = field(default=None)
    counts: dict[str, int] = field(default_factory=dict)
    scored_images: int = 0


def summarise(scores: Iterable[DepthScores]) -> SetScores:
    """Mean of each metric over the images that had pixels to score; counts summed."""
    images = list(scores)
    scored = [s.metrics for s in images if s.metrics is not None]
    counts: dict[str, int] = {}
    for image in images:
        for key, value in image.counts.items():
            counts[key] = counts.get(key, 0) + value
    mean = {name: float(np.mean([m[name] for m in scored])) for name in METRICS} if scored else None
    return SetScores(images, mean, counts, len(scored))
