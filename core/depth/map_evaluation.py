"""One decoded map scored against its ground truth, with a per-pixel error map to look at.

The Depth view's evaluation panel calls these on the compute worker. The numbers
are :mod:`core.depth.evaluate`'s and :mod:`core.depth.normal_metrics`'s, computed
exactly as ``iris evaluate depth|normals`` does (the prediction resized to the
ground truth's size with a stated filter); what is added is the error of every
pixel: the absolute relative error ``|aligned - gt| / gt`` of depth, the angle
in degrees of normals, as an array and as a false-colour image, both at the
ground truth's size and at the prediction's (so the 3D cloud can be coloured by
it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.depth.defaults import DEFAULT_ALIGN, DEFAULT_GT_SCALE, DEFAULT_RESIZE_FILTER
from core.jobs import check_cancelled, no_progress

ERROR_COLORMAP = "inferno"
UNSCORED_RGB = (64, 64, 64)  # pixels with no valid truth or no valid prediction
ERROR_UNITS = {"depth": "abs rel", "normals": "deg"}


@dataclass
class MapEvaluation:
    """Metrics, counts and the fitted alignment of one map, and its per-pixel error."""

    kind: str  # "depth" or "normals"
    gt_path: str
    metrics: dict[str, float] | None
    counts: dict[str, int]
    alignment: dict | None
    error: np.ndarray  # (H, W) float32 at the ground truth's size, NaN where not scored
    error_image: np.ndarray  # (H, W, 3) uint8 false colour of ``error``
    error_range: tuple[float, float]  # the values at the colour map's two ends
    error_at_pred: np.ndarray  # (h, w, 3) uint8: error_image at the prediction's size

    @property
    def units(self) -> str:
        return ERROR_UNITS[self.kind]


def error_colours(error: np.ndarray, hi: float | None = None) -> tuple[np.ndarray, float]:
    """(H, W, 3) uint8 colours of a non-negative error map from 0 to ``hi`` (its 98th percentile)."""
    from core.depth.codecs import colormap_tables
    from core.pixels import to_uint8

    finite = np.isfinite(error)
    if hi is None:
        values = error[finite]
        hi = float(np.percentile(values, 98)) if values.size else 1.0
    hi = hi if np.isfinite(hi) and hi > 0 else 1.0
    table = to_uint8(colormap_tables()[ERROR_COLORMAP])
    with np.errstate(invalid="ignore"):
        index = np.clip(np.nan_to_num(error / hi * 255.0, nan=0.0), 0, 255).astype(np.int32)
    image = table[index]
    image[~finite] = UNSCORED_RGB
    return image, hi


def _at_size(image: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    if image.shape[:2] == tuple(shape):
        return image
    import cv2

    return cv2.resize(image, (int(shape[1]), int(shape[0])), interpolation=cv2.INTER_NEAREST)


def _finish(kind, gt_path, scores, error, alignment, pred_shape) -> MapEvaluation:
    image, hi = error_colours(error)
    return MapEvaluation(
        kind,
        str(gt_path),
        scores.metrics,
        dict(scores.counts),
        alignment,
        error.astype(np.float32),
        image,
        (0.0, hi),
        _at_size(image, pred_shape),
    )


def evaluate_depth_map(
    pred: np.ndarray,
    gt_path: str | Path,
    *,
    align: str = DEFAULT_ALIGN,
    space: str = "depth",
    gt_scale: float = DEFAULT_GT_SCALE,
    resize: str = DEFAULT_RESIZE_FILTER,
    progress=no_progress,
    cancel=None,
) -> MapEvaluation:
    """Score decoded depth ``pred`` (metres) against the depth file ``gt_path``."""
    from core.depth.evaluate import evaluate_depth
    from core.depth.ground_truth import load_depth_gt, resize_to_shape

    progress(0, 3)
    gt = load_depth_gt(gt_path, scale=gt_scale)
    check_cancelled(cancel)
    progress(1, 3)
    resized = resize_to_shape(pred, gt.shape, resize)
    scores = evaluate_depth(resized, gt, align=align, space=space)
    check_cancelled(cancel)
    progress(2, 3)
    error = np.full(gt.shape, np.nan, np.float32)
    if scores.alignment is not None:
        with np.errstate(invalid="ignore", divide="ignore"):
            scored = np.isfinite(gt) & (gt > 0) & np.isfinite(resized) & (resized > 0)
        g = gt[scored].astype(np.float64)
        aligned = scores.alignment.apply(resized[scored].astype(np.float64))
        error[scored] = np.abs(aligned - g) / g
    fit = scores.alignment
    progress(3, 3)
    return _finish("depth", gt_path, scores, error, None if fit is None else vars(fit), pred.shape)


def evaluate_normal_map(
    pred: np.ndarray,
    gt_path: str | Path,
    *,
    resize: str = DEFAULT_RESIZE_FILTER,
    progress=no_progress,
    cancel=None,
) -> MapEvaluation:
    """Score decoded normals ``pred`` (H, W, 3) against the normal file ``gt_path``."""
    from core.depth.ground_truth import load_normals_gt, resize_to_shape
    from core.depth.normal_metrics import angular_errors, evaluate_normals

    progress(0, 2)
    gt = load_normals_gt(gt_path)
    check_cancelled(cancel)
    resized = resize_to_shape(pred, gt.shape[:2], resize)
    scores = evaluate_normals(resized, gt)
    errors, both = angular_errors(resized, gt)
    progress(2, 2)
    return _finish("normals", gt_path, scores, np.where(both, errors, np.nan), None, pred.shape[:2])
