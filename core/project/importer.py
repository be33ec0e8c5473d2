"""Import image files and folders into a project, validating every file first.

Files may carry study tags on the way in: from a folder layout pattern
(:func:`import_tagged`) or a CSV manifest (:func:`import_manifest`); the
pattern and the manifest are read by :mod:`core.studies.tagging`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ImageLoadError
from core.hashing import sha256_of
from core.imageio import load_image
from core.jobs import ProgressFn, check_cancelled, no_progress
from core.project.records import ImageRecord
from core.project.store import Project
from core.project.tags import TagError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}


@dataclass
class ImportReport:
    """What an import did: new image ids, files already present, files refused and why.

    ``tagged`` holds the ids of the images given tags (new ones, and images already
    in the project whose file was imported again with tags).
    """

    imported: list[int] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    tagged: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "errors": [{"path": path, "error": error} for path, error in self.errors],
            "tagged": self.tagged,
        }


@dataclass(frozen=True)
class ImportEntry:
    """One file to import, the tags it gets and the stored name it asks for (else its stem)."""

    path: Path
    tags: Mapping[str, str] = field(default_factory=dict)
    name: str | None = None


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and image files found (recursively, sorted) in the folders given."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            found.extend(
                sorted(
                    p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES
                )
            )
        else:
            found.append(path)
    return found


def import_paths(
    project_dir: str | Path,
    paths: Iterable[str | Path],
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
    max_pixels: int | None = None,
) -> ImportReport:
    """Import files and folders; one transaction per image, so a cancel or crash keeps the rest.

    Each file is fully decoded before it is stored so that a truncated or fake
    image is reported with its reason instead of entering the project.
    """
    entries = [ImportEntry(path) for path in expand_paths(paths)]
    return import_entries(
        project_dir, entries, progress=progress, cancel=cancel, max_pixels=max_pixels
    )


def import_tagged(
    project_dir: str | Path,
    folders: Iterable[str | Path],
    pattern: str,
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
    max_pixels: int | None = None,
) -> ImportReport:
    """Import the image files of ``folders``, each tagged by ``pattern`` over its path.

    The pattern (``{scene}/{degradation}/{name}``) is matched against the path relative
    to its folder; a file that does not match is refused with that reason, never
    imported untagged. A bad pattern or a path that is not a folder raises TagError.
    """
    from core.studies.tagging import compile_pattern

    compiled = compile_pattern(pattern)
    entries: list[ImportEntry] = []
    refused: list[tuple[str, str]] = []
    for raw in folders:
        folder = Path(raw).expanduser()
        if not folder.is_dir():
            raise TagError(f"{folder}: --tags-from-path reads folders; this is not one")
        for path in expand_paths([folder]):
            relative = path.relative_to(folder).as_posix()
            try:
                tags = compiled.match(relative)
            except TagError as exc:
                refused.append((str(path), f"{path}: {exc}"))
                continue
            if tags is None:
                reason = f"{relative} does not match the tag pattern {pattern!r}"
                refused.append((str(path), f"{path}: {reason}"))
            else:
                entries.append(ImportEntry(path, tags))
    report = import_entries(
        project_dir, entries, progress=progress, cancel=cancel, max_pixels=max_pixels
    )
    report.errors[:0] = refused
    return report


def import_manifest(
    project_dir: str | Path,
    manifest: str | Path,
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
    max_pixels: int | None = None,
) -> ImportReport:
    """Import the files a CSV manifest lists, with its tag columns; see :func:`read_manifest`.

    The whole manifest is checked before any file is imported (TagError names the row).
    """
    from core.studies.tagging import read_manifest

    entries = [ImportEntry(row.path, row.tags, row.name) for row in read_manifest(manifest)]
    return import_entries(
        project_dir, entries, progress=progress, cancel=cancel, max_pixels=max_pixels
    )


def import_entries(
    project_dir: str | Path,
    entries: list[ImportEntry],
    *,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
    max_pixels: int | None = None,
) -> ImportReport:
    """Import each entry's file and give its image the entry's tags (one transaction each)."""
    report = ImportReport()
    with Project.open(project_dir) as project:
        for done, entry in enumerate(entries):
            progress(done, len(entries))
            check_cancelled(cancel)
            path = entry.path
            try:
                loaded = load_image(path, max_pixels=max_pixels, name=str(path))
            except ImageLoadError as exc:
                report.errors.append((str(path), str(exc)))
                continue
            with project.transaction():  # the image and its tags, or neither
                record = _store(project, report, entry, loaded)
                if entry.tags:
                    project.set_tags([record.id], entry.tags)
                    report.tagged.append(record.id)
        progress(len(entries), len(entries))
    return report


def _store(project: Project, report: ImportReport, entry: ImportEntry, loaded) -> ImageRecord:
    """The entry's image record: the one already imported with this content, or a new one."""
    path = entry.path
    found = project.find_images(sha256_of(loaded.data), kind="imported")
    if found:
        report.duplicates.append(str(path))
        return found[0]
    record, created = project.import_image_bytes(
        loaded.data,
        name=entry.name or path.stem,
        kind="imported",
        info=loaded.info,
        source_path=str(path.resolve()),
    )
    if created:
        report.imported.append(record.id)
    else:  # another process imported the same content meanwhile
        report.duplicates.append(str(path))
    return record
