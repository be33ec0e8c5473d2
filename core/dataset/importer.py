"""Bring a dataset results file into a project, so its score table and plots show it.

Every row is written into the project's ``scores`` table with
:meth:`Project.put_score`, keyed by image content (sha256), metric, metric
version and reference content, the key the project's score cache already uses,
so nothing in the schema changes. The image itself is found by its sha256, or
added from its path when the file is still there with the same content and
decodes fully (like ``iris import``: a truncated or fake image is refused with
its reason); when it is gone or refused the score row is kept all the same,
keyed by the hash.

The whole file is read and checked first (:func:`read_rows`), so a malformed
row writes nothing; then the images are added (each its own transaction,
cancellable between images), then every score in one transaction.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from core.dataset.results import Row, read_rows
from core.errors import ImageLoadError
from core.files import FileReadError, read_bounded
from core.hashing import sha256_of
from core.imageio import load_image
from core.jobs import ProgressFn, check_cancelled, no_progress
from core.limits import max_pixels_from_env

MAX_REFUSALS_LISTED = 20


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
    images_refused: int = 0
    refused: list[str] = field(default_factory=list)  # the first reasons, "path: reason"

    def as_dict(self) -> dict:
        return asdict(self)

    def refuse(self, reason: str) -> None:
        self.images_refused += 1
        if len(self.refused) < MAX_REFUSALS_LISTED:
            self.refused.append(reason)


def _image_byte_limit() -> int:
    """The largest image file read: 8 bytes a pixel at the pixel limit, plus metadata."""
    return max_pixels_from_env() * 8 + 16 * 1024 * 1024


def _ingest(
    project,
    sha: str,
    path: str,
    name: str,
    report: ResultsImportReport,
    parent_id: int | None = None,
    meta: dict | None = None,
):
    """The project's image with content ``sha``, added from ``path`` if needed; None if gone.

    The file is read with a byte limit and fully decoded before it is stored;
    a file that is not a complete image is refused (its reason in the report).
    """
    found = project.find_images(sha)
    if found:
        return found[0], False
    if not path:
        return None, False
    try:
        data = read_bounded(path, _image_byte_limit(), path)
    except FileReadError as exc:
        if exc.reason != "missing":
            report.refuse(str(exc))
        return None, False
    if sha256_of(data) != sha:  # the file changed since it was scored
        return None, False
    try:
        loaded = load_image(data, name=path)
        record = project.add_image_bytes(
            data,
            name=name,
            kind="imported",
            info=loaded.info,
            source_path=path,
            parent_id=parent_id,
            meta=meta,
        )
    except ImageLoadError as exc:  # not a whole image: the score row still counts
        report.refuse(str(exc))
        return None, False
    except OSError as exc:
        report.refuse(f"{path}: cannot be stored ({exc.strerror or exc})")
        return None, False
    return record, True


def _name(row: Row) -> str:
    rel = row.get("relpath") or Path(row["path"]).name
    try:
        name = str(Path(rel).with_suffix(""))
    except ValueError:  # "/" or "..": no name to drop a suffix from
        name = ""
    return name if name not in ("", ".") else (Path(row["path"]).stem or row["sha256"][:12])


def import_results(
    project_dir: str | Path,
    results: str | Path,
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> ResultsImportReport:
    """Write every row of ``results`` into the project at ``project_dir``; returns the counts."""
    from core.project import Project

    rows = read_rows(results)  # every row checked before anything is written
    report = ResultsImportReport(rows=len(rows))
    seen: dict[str, bool] = {}  # sha256 -> the project has the image
    with Project.open(project_dir) as project:
        for done, row in enumerate(rows):
            if done % 100 == 0:
                progress(done, len(rows))
                check_cancelled(cancel)
            if row["sha256"]:
                _bring_images(project, row, seen, report)
        with project.transaction():
            for row in rows:
                _put_score(project, row, report)
        progress(len(rows), len(rows))
    return report


def _bring_images(project, row: Row, seen: dict[str, bool], report: ResultsImportReport) -> None:
    """Find or add the row's reference and image (once per content hash)."""
    sha = row["sha256"]
    ref_sha = row.get("reference_sha256") or ""
    parent_id = None
    if ref_sha and ref_sha not in seen:
        ref_name = f"{_name(row)} (reference)"
        ref_path = row.get("reference_path") or ""
        ref, added = _ingest(project, ref_sha, ref_path, ref_name, report)
        seen[ref_sha] = ref is not None
        report.images_added += int(added)
    if ref_sha and seen.get(ref_sha):
        parent_id = project.find_images(ref_sha)[0].id
    if sha not in seen:
        meta = {"dataset_relpath": row.get("relpath") or ""}  # grouping for plots (steps, sets)
        record, added = _ingest(project, sha, row["path"], _name(row), report, parent_id, meta)
        seen[sha] = record is not None
        report.images_added += int(added)
        if record is None:  # gone, changed, or refused as an image (then also in ``refused``)
            report.images_missing += 1
        elif not added:
            report.images_found += 1


def _put_score(project, row: Row, report: ResultsImportReport) -> None:
    sha = row["sha256"]
    if not sha:
        report.rows_without_hash += 1  # the file could not be read: no content to key it by
        return
    project.put_score(
        sha,
        row["metric"],
        row["metric_version"],
        row["value"],
        reference_sha256=row.get("reference_sha256") or "",
        error=row.get("error"),
        seconds=row.get("seconds"),
    )
    report.scores_written += 1
    report.errors += int(bool(row.get("error")))
