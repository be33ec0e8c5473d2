"""Import image files and folders into a project, validating every file first."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ImageLoadError
from core.hashing import sha256_of
from core.imageio import load_image
from core.jobs import ProgressFn, check_cancelled, no_progress
from core.project.store import Project

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff"}


@dataclass
class ImportReport:
    """What an import did: new image ids, files already present, files refused and why."""

    imported: list[int] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "imported": self.imported,
            "duplicates": self.duplicates,
            "errors": [{"path": path, "error": error} for path, error in self.errors],
        }


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
    files = expand_paths(paths)
    report = ImportReport()
    with Project.open(project_dir) as project:
        for done, path in enumerate(files):
            progress(done, len(files))
            check_cancelled(cancel)
            try:
                loaded = load_image(path, max_pixels=max_pixels, name=str(path))
            except ImageLoadError as exc:
                report.errors.append((str(path), str(exc)))
                continue
            data = loaded.data
            if project.find_images(sha256_of(data), kind="imported"):
                report.duplicates.append(str(path))
                continue
            record, created = project.import_image_bytes(
                data,
                name=path.stem,
                kind="imported",
                info=loaded.info,
                source_path=str(path.resolve()),
            )
            if created:
                report.imported.append(record.id)
            else:  # another process imported the same content meanwhile
                report.duplicates.append(str(path))
        progress(len(files), len(files))
    return report
