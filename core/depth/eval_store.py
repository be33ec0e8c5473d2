"""Evaluations of decoded maps into a project's score table, so the Studies tables group them.

Each metric is stored for the prediction's content against the ground truth's
content (``reference_sha256``) with a ``metric_version`` naming what changes
the number (alignment, resize filter, colour threshold, class list). The
prediction is imported when the project holds no image of its content; a
ground-truth image is imported as kind ``ground_truth`` with its source path
and what it is the truth of; a ground truth that is no image (``.npy``,
``.exr``, COCO ``.json``) is identified by the sha256 of its bytes.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import Path

from core.errors import IrisError
from core.hashing import sha256_of

# metric names in the store, by the evaluation's own names
DEPTH_METRICS = {
    "abs_rel": "depth_absrel",
    "sq_rel": "depth_sqrel",
    "rmse": "depth_rmse",
    "rmse_log": "depth_rmse_log",
    "log10": "depth_log10",
    "delta1": "depth_delta1",
    "delta2": "depth_delta2",
    "delta3": "depth_delta3",
}
NORMAL_METRICS = {
    "mean_deg": "normal_mean_angle",
    "median_deg": "normal_median_angle",
    "rmse_deg": "normal_rmse_angle",
    "within_11.25": "normal_within_11.25",
    "within_22.5": "normal_within_22.5",
    "within_30": "normal_within_30",
}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}


def classes_digest(classes: Mapping[str, tuple[int, int, int]]) -> str:
    """8 hex digits naming a class list (names, colours, order): part of a segmentation version."""
    text = json.dumps([[name, list(rgb)] for name, rgb in classes.items()])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def version_text(**settings: object) -> str:
    """``key=value;...`` in the order given: a readable, stable metric_version."""
    return ";".join(f"{key}={value}" for key, value in settings.items())


def _image_record(project, path: Path, kind: str, meta: dict | None):
    """The project's image of this file's content (of ``kind``), imported if absent."""
    from core.imageio import load_image

    loaded = load_image(path, name=str(path))
    sha = sha256_of(loaded.data)
    found = project.find_images(sha, kind=kind) or (
        project.find_images(sha) if kind == "imported" else []
    )
    if found:
        return found[0]
    record, _ = project.import_image_bytes(
        loaded.data,
        name=path.stem,
        kind=kind,
        info=loaded.info,
        source_path=str(path.resolve()),
        meta=meta,
    )
    return record


def _reference_sha(project, gt_path: Path, truth_of: str, pred_name: str) -> str:
    if gt_path.suffix.lower() in IMAGE_SUFFIXES:
        meta = {"ground_truth": truth_of, "for": pred_name}
        return _image_record(project, gt_path, "ground_truth", meta).sha256
    from core.files import MAX_DATA_FILE_BYTES, read_bounded

    return sha256_of(read_bounded(gt_path, MAX_DATA_FILE_BYTES, str(gt_path)))


def store_evaluation(
    project,
    *,
    pred_path: str | Path,
    gt_path: str | Path,
    truth_of: str,
    metrics: Mapping[str, float | None] | None,
    names: Mapping[str, str] | None,
    version: str,
) -> dict:
    """Store one image's metrics; returns what was keyed: image and reference sha256, metrics.

    ``names`` maps the evaluation's metric names to the store's (None: use them
    as given). ``metrics`` None means nothing could be scored: each metric is
    stored without a value, with that error, so the table shows the gap.
    """
    pred_path, gt_path = Path(pred_path), Path(gt_path)
    with project.transaction():
        image = _image_record(project, pred_path, "imported", None)
        reference = _reference_sha(project, gt_path, truth_of, image.name)
        stored = []
        keys = list(names) if metrics is None and names else list(metrics or {})
        for key in keys:
            value = None if metrics is None else metrics[key]
            if value is not None and not math.isfinite(value):
                value = None
            name = names.get(key, key) if names else key
            error = None if value is not None else "no pixel could be scored"
            project.put_score(
                image.sha256, name, version, value, reference_sha256=reference, error=error
            )
            stored.append(name)
    if not stored:
        raise IrisError(f"{pred_path}: no metric to store")
    return {"image_sha256": image.sha256, "reference_sha256": reference, "metrics": stored}
