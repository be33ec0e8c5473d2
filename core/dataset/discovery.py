"""Which images a dataset job scores, and which reference each one is compared with.

A dataset is a folder tree of images or an IRIS project. References are found
by relative path under ``ref_dir`` (any image suffix accepted for the same
stem), by a ``ref_pattern`` such as ``../clean/{stem}.png``, or, in a project,
as each image's parent (the clean original of a degraded or restored copy).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from core.errors import IrisError
from core.paths import DB_NAME

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff")
PATTERN_FIELDS = "{rel}, {rel_stem}, {parent}, {name}, {stem}, {suffix}"


@dataclass(frozen=True)
class DatasetItem:
    """One image to score: its absolute path, its path inside the dataset, its reference."""

    path: str
    relpath: str
    reference_path: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def is_project(path: str | Path) -> bool:
    return (Path(path) / DB_NAME).is_file()


def _image_files(root: Path, exclude: Path | None) -> list[Path]:
    files = []
    for path in root.rglob("*"):
        if not path.is_file() or path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        if exclude is not None and path.is_relative_to(exclude):
            continue
        files.append(path)
    return sorted(files)


def _ref_in_dir(ref_dir: Path, relpath: str) -> str:
    exact = ref_dir / relpath
    if exact.is_file():
        return str(exact)
    stem = PurePosixPath(relpath).with_suffix("")
    for suffix in IMAGE_SUFFIXES:
        for candidate in (ref_dir / f"{stem}{suffix}", ref_dir / f"{stem}{suffix.upper()}"):
            if candidate.is_file():
                return str(candidate)
    return ""


def _ref_from_pattern(root: Path, pattern: str, relpath: str) -> str:
    rel = PurePosixPath(relpath)
    try:
        target = pattern.format(
            rel=relpath,
            rel_stem=str(rel.with_suffix("")),
            parent=str(rel.parent),
            name=rel.name,
            stem=rel.stem,
            suffix=rel.suffix,
        )
    except (KeyError, IndexError, ValueError) as exc:
        raise IrisError(f"--ref-pattern {pattern!r}: {exc}; fields: {PATTERN_FIELDS}") from None
    path = Path(target)
    path = path if path.is_absolute() else root / path
    return str(path.resolve()) if path.is_file() else ""


def _folder_items(root: Path, ref_dir: Path | None, ref_pattern: str | None) -> list[DatasetItem]:
    exclude = ref_dir if ref_dir is not None and ref_dir.is_relative_to(root) else None
    items = []
    for path in _image_files(root, exclude):
        relpath = path.relative_to(root).as_posix()
        reference = ""
        if ref_dir is not None:
            reference = _ref_in_dir(ref_dir, relpath)
        elif ref_pattern:
            reference = _ref_from_pattern(root, ref_pattern, relpath)
        if reference and Path(reference).resolve() == path.resolve():
            reference = ""  # an image is never its own reference
        items.append(DatasetItem(str(path), relpath, reference))
    return items


def _project_items(root: Path, ref_dir: Path | None, ref_pattern: str | None) -> list[DatasetItem]:
    from core.project import Project

    with Project.open(root) as project:
        records = project.images()
    by_id = {record.id: record for record in records}
    items = []
    for record in records:
        relpath = f"{record.name}{Path(record.file).suffix}"
        reference = ""
        if ref_dir is not None:
            reference = _ref_in_dir(ref_dir, relpath)
        elif ref_pattern:
            reference = _ref_from_pattern(root, ref_pattern, relpath)
        elif record.parent_id in by_id:
            reference = str(root / by_id[record.parent_id].file)
        items.append(DatasetItem(str(root / record.file), relpath, reference))
    return items


def discover(
    dataset: str | Path, *, ref_dir: str | Path | None = None, ref_pattern: str | None = None
) -> list[DatasetItem]:
    """The images of ``dataset`` (a folder tree or a project), sorted, with their references."""
    if ref_dir is not None and ref_pattern:
        raise IrisError("give either --ref-dir or --ref-pattern, not both")
    root = Path(dataset).expanduser().resolve()
    if not root.exists():
        raise IrisError(f"{root}: no such dataset folder")
    if not root.is_dir():
        raise IrisError(f"{root}: the dataset must be a folder or an IRIS project")
    refs = Path(ref_dir).expanduser().resolve() if ref_dir is not None else None
    if refs is not None and not refs.is_dir():
        raise IrisError(f"--ref-dir {refs}: no such folder")
    if is_project(root):
        return _project_items(root, refs, ref_pattern)
    return _folder_items(root, refs, ref_pattern)
