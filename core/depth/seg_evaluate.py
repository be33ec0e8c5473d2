"""One segmentation map decoded and scored against its ground truth, as the CLI and views do it.

The map is decoded at its own size (:func:`~core.depth.segmentation.decode_semantic`),
its labels brought to the ground truth's size by nearest neighbour (labels
never blend), then scored (:mod:`core.depth.seg_metrics`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.depth.seg_classes import RGB
from core.depth.seg_defaults import DEFAULT_IGNORE_INDEX, DEFAULT_SEMANTIC_THRESHOLD
from core.depth.seg_metrics import SegScores, evaluate_segmentation
from core.depth.segmentation import SegmentationResult, decode_semantic


def nearest_labels(labels: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """``labels`` resized to ``shape`` by nearest neighbour (pixel centres), exactly."""
    if labels.shape == tuple(shape):
        return labels
    height, width = labels.shape
    rows = np.minimum(
        ((np.arange(shape[0]) + 0.5) * height / shape[0]).astype(np.int64), height - 1
    )
    cols = np.minimum(((np.arange(shape[1]) + 0.5) * width / shape[1]).astype(np.int64), width - 1)
    return labels[rows[:, None], cols[None, :]]


@dataclass
class SegEvaluation:
    """The decoding (at the map's size) and its scores (at the ground truth's)."""

    decoded: SegmentationResult
    scores: SegScores


def evaluate_segmentation_file(
    pred_path: str | Path,
    gt_path: str | Path,
    classes: dict[str, RGB],
    *,
    threshold: float | None = DEFAULT_SEMANTIC_THRESHOLD,
    ignore_index: int = DEFAULT_IGNORE_INDEX,
) -> SegEvaluation:
    """Decode ``pred_path`` with ``classes`` and score it against ``gt_path``."""
    from core.depth.seg_ground_truth import load_label_gt
    from core.imageio import load_image

    pred_path = Path(pred_path)
    decoded = decode_semantic(load_image(pred_path).pixels, classes, threshold=threshold)
    gt = load_label_gt(
        gt_path,
        classes,
        ignore_index=ignore_index,
        image_name=pred_path.name,
        shape=decoded.labels.shape,
    )
    pred = nearest_labels(decoded.labels, gt.shape)
    return SegEvaluation(decoded, evaluate_segmentation(pred, gt, list(classes)))
