"""The sample project's scores: computed once when the sample is regenerated, stored on first use.

Scoring the sample's ~80 images with pyiqa takes minutes on a laptop CPU, too long
for a first launch that builds the sample on the spot. So
``python -m resources.sample.make_sample --scores`` scores a freshly built sample
through :func:`core.metrics.scoring.score_project` and ships the values in
``resources/sample/scores.json``; building the sample stores them in the project's
score cache, under the same key ``score_project`` reads.

A shipped score is stored only when it is still true for the built image: the
metric version (pyiqa's version and shipped parameter file) must be today's, and
the image must have the same content, either the same file (SHA-256) or, when a
different zlib or Pillow encoded the same pixels, the same decoded pixels. Any
image whose pixels changed keeps no shipped score; ``Score`` computes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from core.project import ImageRecord, Project

SCORES_FORMAT = 1
FILE_NAME = "scores.json"


def pixel_key(pixels: np.ndarray) -> str:
    """A hash of decoded pixels and their shape: equal for equal pixels however encoded."""
    array = np.ascontiguousarray(pixels, dtype=np.float32)
    digest = hashlib.sha256(repr(array.shape).encode())
    digest.update(array.tobytes())
    return digest.hexdigest()[:32]


def scored_images(project: Project, names: Sequence[str] = ()) -> list[ImageRecord]:
    """Every image of the sample except those named (the depth pair is not a photo to score)."""
    skip = set(names)
    return [image for image in project.images() if image.name not in skip]


def compute_scores(project_dir: Path, plan: dict[str, Any]) -> dict[str, Any]:
    """Score a built sample as ``plan`` says (the manifest's ``scores``); the JSON to ship."""
    from core.metrics.engine import metric_version
    from core.metrics.scoring import score_project

    with Project.open(project_dir) as project:
        images = scored_images(project, plan.get("skip", []))
        ids = [image.id for image in images]
        keys = {image.sha256: pixel_key(project.load_pixels(image).pixels) for image in images}
    rows: list[list[Any]] = []
    metrics: list[str] = []
    for group in plan["groups"]:
        metrics += group["metrics"]
        report = score_project(
            project_dir, group["metrics"], image_ids=ids, reference=group.get("reference")
        )
        for row in report.rows:
            if row.value is not None:
                rows.append([row.sha256, row.metric, row.reference_sha256, round(row.value, 6)])
    return {
        "format": SCORES_FORMAT,
        "about": "made by python -m resources.sample.make_sample --scores; see core/sample_scores.py",
        "versions": {metric: metric_version(metric) for metric in dict.fromkeys(metrics)},
        "images": keys,
        "scores": sorted(rows),
    }


def _content_map(project: Project, shipped: dict[str, str]) -> dict[str, str]:
    """Shipped file SHA-256 -> the project's SHA-256 of the image with the same content."""
    mapping: dict[str, str] = {}
    by_pixels = {key: sha for sha, key in shipped.items()}
    for image in project.images():
        if image.sha256 in shipped:
            mapping[image.sha256] = image.sha256
    missing = set(shipped) - set(mapping)
    if not missing:
        return mapping
    for image in project.images():  # re-encoded elsewhere: compare the decoded pixels
        if image.sha256 in mapping.values():
            continue
        try:
            key = pixel_key(project.load_pixels(image).pixels)
        except Exception:  # an unreadable image keeps no shipped score
            continue
        if key in by_pixels and by_pixels[key] in missing:
            mapping[by_pixels[key]] = image.sha256
    return mapping


def store_shipped_scores(project: Project, path: Path) -> int:
    """Store the shipped scores that still hold for ``project``'s images; how many were stored."""
    from core.metrics.engine import metric_version

    if not path.is_file():
        return 0
    data = json.loads(path.read_text())
    if data.get("format") != SCORES_FORMAT:
        return 0
    current = {m: metric_version(m) for m, version in data["versions"].items()}
    valid = {m for m, version in data["versions"].items() if current[m] == version}
    mapping = _content_map(project, data["images"])
    stored: set[tuple[str, str, str]] = set()  # a key listed twice is one score (the last)
    with project.transaction():
        for sha, metric, reference, value in data["scores"]:
            image = mapping.get(sha)
            ref = mapping.get(reference) if reference else ""
            if metric not in valid or image is None or ref is None:
                continue
            project.put_score(image, metric, current[metric], value, reference_sha256=ref)
            stored.add((image, metric, ref))
    return len(stored)
