"""Every score a project holds, beside the image it belongs to.

This is how results computed elsewhere (``iris results import`` of a dataset
job, another machine's cache) become visible: nothing is recomputed, the rows
are read as stored, one per image content, metric, version and reference.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from core.jobs import ProgressFn, check_cancelled, no_progress

STORED_COLUMNS = [
    "image",
    "image_id",
    "kind",
    "metric",
    "value",
    "normalized",
    "reference",
    "error",
]


def _normalized(value: float | None, metric: str) -> float | None:
    from core.errors import IrisError
    from core.metrics.normalize import normalize

    if value is None:
        return None
    try:
        return normalize(value, metric)
    except IrisError:  # judges and other non-pyiqa names have no typical range
        return None


def stored_scores(
    project_dir: str | Path,
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[dict[str, Any]]:
    """One row per stored score: image name and id (or its hash when the image is not in the
    project), metric, value, normalized value, reference name (or hash), error."""
    from core.project import Project

    with Project.open(project_dir) as project:
        found = project.scores_with_images()
    rows = []
    for index, row in enumerate(found):
        if index % 1000 == 0:
            check_cancelled(cancel)
            progress(index, len(found))
        reference = row["reference"] or (row["reference_sha256"] or "")[:12]
        rows.append(
            {
                "image": row["image"] or row["image_sha256"][:12],
                "image_id": row["image_id"],
                "kind": row["kind"] or "",
                "metric": row["metric"],
                "value": row["value"],
                "normalized": _normalized(row["value"], row["metric"]),
                "reference": reference,
                "error": row["error"] or "",
            }
        )
    progress(len(found), len(found))
    return rows
