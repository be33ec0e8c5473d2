"""Segmentation IoU as Vision Banana reports it: per-class IoU, mIoU, cIoU and gIoU.

Seed 004's Table 2 scores semantic segmentation on Cityscapes by mIoU (2a),
referring segmentation on RefCOCOg by cIoU (2c) and reasoning segmentation on
ReasonSeg by gIoU (2d), with each benchmark's own definition (the paper names
the metrics and cites the benchmarks; it does not restate them):

- per-class IoU = TP / (TP + FP + FN), the pixel counts of a class accumulated
  over the whole set (the Cityscapes protocol, Cordts et al. 2016); a class
  with no pixel in truth or prediction has no IoU (NaN), left out of the mean;
- mIoU = the mean of the per-class IoUs;
- cIoU, cumulative IoU = sum over the set of intersections / sum of unions (the
  RefCOCO protocol, Kazemzadeh et al. 2014; as LISA computes it);
- gIoU, generalised IoU = the mean of the per-image IoUs (ReasonSeg, Lai et al.
  2024, LISA), an image whose truth and prediction are both empty scoring 1.

cIoU and gIoU are over the foreground: every class not named "background"
(any case), as a referring prompt names its target beside a background. Pixels
the ground truth leaves unlabelled (:data:`IGNORE`) count nowhere; a pixel the
decoding left unassigned counts as missed by the truth's class (FN).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from core.errors import IrisError

IGNORE = -1  # a ground-truth pixel with no label; in a prediction: unassigned
BACKGROUND = "background"


def _foreground(names: Sequence[str]) -> np.ndarray:
    return np.array([name.strip().lower() != BACKGROUND for name in names], bool)


def confusion(pred: np.ndarray, gt: np.ndarray, num_classes: int) -> np.ndarray:
    """(K, K + 1) pixel counts: row = truth's class, column = predicted (last: unassigned).

    Pixels whose truth is :data:`IGNORE` are left out. Labels must be in
    ``-1..K-1`` and whole numbers (NaN, inf or 1.5 are refused); anything else raises
    IrisError.
    """
    pred, gt = np.asarray(pred), np.asarray(gt)
    if pred.shape != gt.shape:
        raise IrisError(f"prediction {pred.shape} and ground truth {gt.shape} differ in size")
    k = int(num_classes)
    for what, labels in (("prediction", pred), ("ground truth", gt)):
        fractional = labels.dtype.kind not in "iub" and labels.size
        if fractional and not np.all(np.isfinite(labels) & (labels == np.round(labels))):
            raise IrisError(f"{what} holds labels that are not whole numbers")
        if labels.size and (labels.min() < IGNORE or labels.max() >= k):
            raise IrisError(f"{what} holds labels outside -1..{k - 1}")
    valid = gt.ravel() >= 0
    rows = gt.ravel()[valid].astype(np.int64)
    cols = pred.ravel()[valid].astype(np.int64)
    cols = np.where(cols < 0, k, cols)
    counts = np.bincount(rows * (k + 1) + cols, minlength=k * (k + 1))
    return counts.reshape(k, k + 1)


def _iou(intersection: np.ndarray, union: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(union > 0, intersection / np.maximum(union, 1), np.nan)


@dataclass
class SegScores:
    """One image: per-class intersection and union, their IoUs, and the foreground IoU."""

    names: list[str]
    intersection: np.ndarray
    union: np.ndarray
    ignored: int
    evaluated: int

    @property
    def class_iou(self) -> np.ndarray:
        """IoU of each class in this image (NaN where the class is in neither map)."""
        return _iou(self.intersection, self.union)

    @property
    def miou(self) -> float | None:
        """Mean of this image's class IoUs (classes present in truth or prediction)."""
        iou = self.class_iou
        return float(np.nanmean(iou)) if np.isfinite(iou).any() else None

    @property
    def foreground_iou(self) -> float | None:
        """IoU of the foreground classes together; 1.0 when both are empty (LISA); None if none."""
        fg = _foreground(self.names)
        if not fg.any():
            return None
        union = int(self.union[fg].sum())
        return 1.0 if union == 0 else float(self.intersection[fg].sum() / union)

    def as_dict(self) -> dict:
        """JSON-ready: per-class IoU (null where absent), mIoU, foreground IoU and counts."""
        return {
            "class_iou": _named(self.names, self.class_iou),
            "miou": self.miou,
            "iou": self.foreground_iou,
            "counts": {"evaluated": self.evaluated, "gt_ignored": self.ignored},
        }


def _named(names: Sequence[str], values: np.ndarray) -> dict[str, float | None]:
    return {n: (float(v) if np.isfinite(v) else None) for n, v in zip(names, values, strict=True)}


def evaluate_segmentation(pred: np.ndarray, gt: np.ndarray, names: Sequence[str]) -> SegScores:
    """Score predicted labels against ground-truth labels of the same (H, W) and class list."""
    names = list(names)
    matrix = confusion(pred, gt, len(names))
    k = len(names)
    tp = np.diag(matrix[:, :k]).astype(np.int64)
    gt_pixels = matrix.sum(axis=1)
    pred_pixels = matrix[:, :k].sum(axis=0)
    union = gt_pixels + pred_pixels - tp
    evaluated = int(gt_pixels.sum())
    return SegScores(names, tp, union, int(np.asarray(gt).size - evaluated), evaluated)


@dataclass
class SegSetScores:
    """A set: class IoUs and mIoU of the summed counts, cIoU, gIoU, and the images."""

    images: list[SegScores]
    class_iou: dict[str, float | None]
    miou: float | None
    ciou: float | None
    giou: float | None

    def as_dict(self) -> dict:
        """JSON-ready summary (the per-image scores are the caller's to list)."""
        return {
            "class_iou": self.class_iou,
            "miou": self.miou,
            "ciou": self.ciou,
            "giou": self.giou,
        }


def summarise_segmentation(scores: Iterable[SegScores]) -> SegSetScores:
    """The set's metrics as the benchmarks define them (see the module docstring)."""
    images = list(scores)
    if not images:
        raise IrisError("no segmentation to summarise")
    names = images[0].names
    if any(s.names != names for s in images):
        raise IrisError("the images were scored with different class lists")
    intersection = np.sum([s.intersection for s in images], axis=0)
    union = np.sum([s.union for s in images], axis=0)
    iou = _iou(intersection, union)
    miou = float(np.nanmean(iou)) if np.isfinite(iou).any() else None
    fg = _foreground(names)
    ciou = giou = None
    if fg.any():
        total_union = int(union[fg].sum())
        ciou = float(intersection[fg].sum() / total_union) if total_union else 1.0
        giou = float(np.mean([s.foreground_iou for s in images]))
    return SegSetScores(images, _named(names, iou), miou, ciou, giou)
