"""Bring a dataset results file into a project, so its score table and plots show it.

Every row is written into the project's ``scores`` table with
:meth:`Project.put_score`, keyed by image content (sha256), metric, metric
version and reference content, the key the project's score cache already uses,
so nothing in the schema changes. The image itself is found by its sha256, or
added from its path when the file is still there with the same content; when it
is gone the score row is kept all the same, keyed by the hash.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from core.dataset.hashing import sha256_bytes
from core.dataset.results import Row, read_rows
from core.errors import ImageLoadError
from core.jobs import ProgressFn, check_cancelled, no_progress

CHUNK = 500


@dataclass
class ResultsImportReport:
    """What an import did, for the CLI's JSON and the GUI's status line."""

    rows: int = 0
    scores_written: int = 0
    errors: int = 0
    images_added: int = 0
    images_found: int = 0
    images_missing: int = 0
    rows_without_hash: int = 0

    def as_dict(self) -> dict:
        return asdict(self)


def _ingest(
    project, sha: str, path: str, name: str, parent_id: int | None = None, meta: dict | None = None
):
    """The project's image with content ``sha``, added from ``path`` if needed; None if gone."""
    found = project.find_images(sha)
    if found:
        return found[0], False
    if not path or not Path(path).is_file():
        return None, False
    data = Path(path).read_bytes()
    if sha256_bytes(data) != sha:  # the file changed since it was scored
        return None, False
    try:
        record = project.add_image_bytes(
            data, name=name, kind="imported", source_path=path, parent_id=parent_id, meta=meta
        )
    except (ImageLoadError, OSError):  # not an image: the score row (an error) still counts
        return None, False
    return record, True


def _name(row: Row) -> str:
    rel = row.get("relpath") or Path(row["path"]).name
    return str(Path(rel).with_suffix("")) or Path(row["path"]).stem


def import_results(
    project_dir: str | Path,
    results: str | Path,
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> ResultsImportReport:
    """Write every row of ``results`` into the project at ``project_dir``; returns the counts."""
    from core.project import Project

    rows = read_rows(results)
    report = ResultsImportReport(rows=len(rows))
    seen: dict[str, bool] = {}  # sha256 -> the project has the image
    with Project.open(project_dir) as project:
        for start in range(0, len(rows), CHUNK):
            progress(start, len(rows))
            check_cancelled(cancel)
            with project.transaction():
                for row in rows[start : start + CHUNK]:
                    _import_row(project, row, seen, report)
        progress(len(rows), len(rows))
    return report


def _import_row(project, row: Row, seen: dict[str, bool], report: ResultsImportReport) -> None:
    sha = row["sha256"]
    if not sha:
        report.rows_without_hash += 1  # the file could not be read: no content to key it by
        return
    ref_sha = row.get("reference_sha256") or ""
    parent_id = None
    if ref_sha and ref_sha not in seen:
        ref_name = f"{_name(row)} (reference)"
        ref, added = _ingest(project, ref_sha, row.get("reference_path") or "", ref_name)
        seen[ref_sha] = ref is not None
        report.images_added += int(added)
    if ref_sha and seen.get(ref_sha):
        parent_id = project.find_images(ref_sha)[0].id
    if sha not in seen:
        meta = {"dataset_relpath": row.get("relpath") or ""}  # grouping for plots (steps, sets)
        record, added = _ingest(project, sha, row["path"], _name(row), parent_id, meta)
        seen[sha] = record is not None
        report.images_added += int(added)
        if record is None:
            report.images_missing += 1
        elif not added:
            report.images_found += 1
    project.put_score(
        sha,
        row["metric"],
        row["metric_version"],
        row["value"],
        reference_sha256=ref_sha,
        error=row.get("error"),
        seconds=row.get("seconds"),
    )
    report.scores_written += 1
    report.errors += int(bool(row.get("error")))
