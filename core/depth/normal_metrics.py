"""Surface-normal metrics as the field reports them: angular error in degrees, per pixel.

Mean, median and RMSE of the angle between predicted and ground-truth unit
normals, and the percentage of pixels within 11.25, 22.5 and 30 degrees (the
columns of Vision Banana's Table 4 are the mean and median). Both maps are in
the camera frame of :mod:`core.depth.normals` (+x right, +y up, +z toward the
camera); no alignment is fitted. Pixels where either map is invalid (NaN, or a
zero vector) are excluded and counted. Over a set, the pixels of every image
are pooled (the practice of DSINE and its successors), so large images weigh more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from core.errors import IrisError

THRESHOLDS_DEG = (11.25, 22.5, 30.0)
METRICS = ("mean_deg", "median_deg", "rmse_deg", "within_11.25", "within_22.5", "within_30")


def _unit(normals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    values = np.asarray(normals, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        length = np.sqrt((values * values).sum(axis=-1))
        valid = np.isfinite(length) & (length > 1e-6)
        unit = values / np.where(valid, length, 1.0)[..., None]
    return unit, valid


def angular_errors(pred: np.ndarray, gt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-pixel angle in degrees between (H, W, 3) normal maps, and where both are valid."""
    pred, gt = np.asarray(pred), np.asarray(gt)
    if pred.shape != gt.shape or pred.ndim != 3 or pred.shape[2] != 3:
        raise IrisError(
            f"normal maps must both be (H, W, 3) of one size: prediction {pred.shape}, "
            f"ground truth {gt.shape}"
        )
    p, p_valid = _unit(pred)
    g, g_valid = _unit(gt)
    cosine = np.clip((p * g).sum(axis=-1), -1.0, 1.0)
    errors = np.degrees(np.arccos(cosine))
    both = p_valid & g_valid
    return np.where(both, errors, np.nan), both


def error_metrics(errors: np.ndarray) -> dict[str, float] | None:
    """The :data:`METRICS` of a flat array of angular errors (degrees); None when empty."""
    errors = np.asarray(errors, dtype=np.float64).ravel()
    if not errors.size:
        return None
    metrics = {
        "mean_deg": float(errors.mean()),
        "median_deg": float(np.median(errors)),
        "rmse_deg": float(np.sqrt(np.mean(errors * errors))),
    }
    for threshold in THRESHOLDS_DEG:
        metrics[f"within_{threshold:g}"] = float(100.0 * np.mean(errors < threshold))
    return metrics


@dataclass
class NormalScores:
    """Metrics of one image (None when no pixel could be scored), counts and the errors."""

    metrics: dict[str, float] | None
    counts: dict[str, int]
    errors: np.ndarray  # flat degrees of the scored pixels, for pooling over a set

    def as_dict(self) -> dict:
        """JSON-ready: metrics and counts (the per-pixel errors stay out)."""
        return {"metrics": self.metrics, "counts": dict(self.counts)}


def evaluate_normals(pred: np.ndarray, gt: np.ndarray) -> NormalScores:
    """Score a decoded normal map against ground truth of the same (H, W, 3)."""
    errors, both = angular_errors(pred, gt)
    _, gt_valid = _unit(gt)
    counts = {
        "pixels": int(both.size),
        "gt_invalid": int(both.size - gt_valid.sum()),
        "pred_invalid": int((gt_valid & ~both).sum()),
        "evaluated": int(both.sum()),
    }
    scored = errors[both]
    return NormalScores(error_metrics(scored), counts, scored)


def pooled(scores: Iterable[NormalScores]) -> tuple[dict[str, float] | None, dict[str, int]]:
    """Metrics over every scored pixel of a set, and the summed counts."""
    scores = list(scores)
    counts: dict[str, int] = {}
    for score in scores:
        for key, value in score.counts.items():
            counts[key] = counts.get(key, 0) + value
    errors = np.concatenate([s.errors for s in scores]) if scores else np.zeros(0)
    return error_metrics(errors), counts
