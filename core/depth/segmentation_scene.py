"""A generated segmentation map decoded for the Depth view: labels, and their overlay on the photo.

The labels are :func:`core.depth.segmentation.decode_semantic`'s; the overlay
blends each assigned pixel's class colour into the photo (resized to the map)
so one sees what was segmented where; unassigned pixels show the photo dimmed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.depth.seg_defaults import DEFAULT_SEMANTIC_THRESHOLD
from core.depth.segmentation import SegmentationResult, decode_semantic
from core.jobs import check_cancelled, no_progress

OVERLAY_ALPHA = 0.55  # share of the class colour in an assigned pixel
UNASSIGNED_DIM = 0.45  # brightness left to the photo where no class claimed the pixel


@dataclass
class SegmentationScene:
    """Decoded labels, the map as painted, the overlay and the photo (all at the map's size)."""

    result: SegmentationResult
    map_image: np.ndarray
    overlay: np.ndarray
    photo: np.ndarray | None


def overlay_labels(base: np.ndarray, result: SegmentationResult) -> np.ndarray:
    """(H, W, 3) uint8: ``base`` with each class colour blended in, unassigned pixels dimmed."""
    labels = result.labels
    palette = np.array(result.colours + [(0, 0, 0)], dtype=np.float32)  # -1 -> the last row
    colours = palette[labels]
    assigned = (labels >= 0)[..., None]
    base = base.astype(np.float32)
    blended = np.where(
        assigned, (1 - OVERLAY_ALPHA) * base + OVERLAY_ALPHA * colours, UNASSIGNED_DIM * base
    )
    return np.clip(np.round(blended), 0, 255).astype(np.uint8)


def build_segmentation_scene(
    map_path: str | Path,
    photo_path: str | Path | None,
    classes: dict[str, tuple[int, int, int]],
    *,
    threshold: float | None = DEFAULT_SEMANTIC_THRESHOLD,
    progress=no_progress,
    cancel=None,
) -> SegmentationScene:
    """Decode ``map_path`` with ``classes`` (name -> colour, in label order) and overlay it."""
    from core.depth.codecs import to_uint8_rgb
    from core.depth.unproject import resize_to
    from core.imageio import load_image

    progress(0, 2)
    painted = to_uint8_rgb(load_image(map_path).pixels)
    result = decode_semantic(painted, classes, threshold=threshold)
    check_cancelled(cancel)
    height, width = result.labels.shape
    photo = None
    if photo_path is not None:
        photo = resize_to(to_uint8_rgb(load_image(photo_path).pixels), width, height)
    grey = np.full_like(painted, 160)
    progress(2, 2)
    return SegmentationScene(
        result, painted, overlay_labels(photo if photo is not None else grey, result), photo
    )
