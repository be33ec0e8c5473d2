"""Images out of a project as files: the stored bytes, named by a pattern, with a manifest.

``iris export`` and the browser's *Export Images...* both call :func:`export_images`.
Every file is the project's stored file byte for byte (its SHA-256 checked on the
way out); ``manifest.csv`` beside them says where each came from (image, run,
method, step, repeat, input, tags). Names come from a pattern such as
``{input}_{method}_{repeat}.png``: each field's value is made safe for a file
system, the extension is always the stored format's, and names are made unique,
so an export never overwrites another exported file nor writes outside its folder.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from core.errors import IrisError
from core.files import read_bounded, write_atomic
from core.jobs import ProgressFn, check_cancelled, no_progress
from core.studies.csv_safety import spreadsheet_safe

DEFAULT_NAME = "{input}_{method}_{repeat}.png"
MANIFEST_NAME = "manifest.csv"
FIELDS = ("id", "name", "kind", "input", "method", "run", "step", "repeat", "sha")
MAX_IMAGE_FILE_BYTES = 4 * 1024**3
MAX_PART = 120  # characters of one file or folder name (a file system allows 255 bytes)
IMAGE_EXTENSIONS = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".tif", ".tiff", ".gif"}
MANIFEST_COLUMNS = (
    "file", "image_id", "name", "kind", "sha256", "width", "height", "format",
    "run", "method", "step", "repeat", "input_id", "input",
)  # fmt: skip
MISSING = "none"  # a field an image has no value for (an imported image has no method)

_FIELD = re.compile(r"\{([^{}]*)\}")
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = re.compile(r"(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?", re.IGNORECASE)


class ExportError(IrisError):
    """An export that cannot start (a bad name pattern, no images, an unusable folder)."""


@dataclass
class ExportReport:
    """What an export wrote: one manifest row per file, and the images it could not write."""

    out_dir: Path
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def manifest(self) -> Path:
        return self.out_dir / MANIFEST_NAME

    def as_dict(self) -> dict:
        return {
            "out": str(self.out_dir),
            "manifest": str(self.manifest),
            "exported": len(self.rows),
            "files": [row["file"] for row in self.rows],
            "errors": [{"image_id": i, "error": e} for i, e in self.errors],
        }


def select_images(
    project,
    *,
    run: str | None = None,
    kind: str | None = None,
    tags: Mapping[str, str] | None = None,
) -> list[int]:
    """Ids of the images of run ``run`` and of kind ``kind`` with every tag of ``tags``.

    At least one of the three must be given; an unknown run raises ProjectError.
    """
    if run is None and kind is None and not tags:
        raise ExportError("choose the images: --run NAME, --kind KIND or --tag key=value")
    run_id = None
    if run is not None:
        run_id = _find_run(project, run).id
    ids = [image.id for image in project.images(kind=kind, run_id=run_id)]
    if tags:
        tagged = set(project.images_tagged(tags))
        ids = [image_id for image_id in ids if image_id in tagged]
    return ids


def _find_run(project, run: str):
    from core.errors import ProjectError

    try:
        return project.run(run)
    except ProjectError:
        if run.isdigit():
            return project.run(int(run))
        raise


@dataclass(frozen=True)
class NamePattern:
    """A checked ``--name`` pattern: literal text (``/`` makes folders) and fields."""

    text: str
    fields: tuple[str, ...]

    def render(self, values: Mapping[str, str], extension: str) -> PurePosixPath:
        """The relative path for these field values (each made safe), ending in ``extension``."""
        text = _FIELD.sub(lambda m: _safe_value(values.get(m.group(1).strip(), "")), self.text)
        parts = [_safe_part(part) for part in text.split("/") if part.strip()]
        if not parts:
            parts = ["image"]
        stem = parts[-1]
        suffix = Path(stem).suffix
        if suffix.lower() in IMAGE_EXTENSIONS:
            stem = stem[: -len(suffix)] or "image"
        parts[-1] = f"{stem[:MAX_PART]}{extension}"
        return PurePosixPath(*parts)


def compile_name(text: str, tag_keys: Iterable[str] = ()) -> NamePattern:
    """Check a name pattern; an unknown field is one ExportError listing the known ones.

    The fields are :data:`FIELDS` and the project's tag keys (``{scene}``).
    """
    if not text or not text.strip():
        raise ExportError("export name: empty pattern")
    known = list(FIELDS) + [key for key in sorted(set(tag_keys)) if key not in FIELDS]
    fields = []
    for found in _FIELD.finditer(text):
        name = found.group(1).strip()
        if name not in known:
            raise ExportError(
                f"export name {text!r}: unknown field {{{name}}}; known: {', '.join(known)}"
            )
        fields.append(name)
    if "{" in _FIELD.sub("", text) or "}" in _FIELD.sub("", text):
        raise ExportError(f"export name {text!r}: unbalanced brace")
    if text.startswith("/") or "\\" in text:
        raise ExportError(f"export name {text!r}: write it relative to the folder, with '/'")
    if any(part.strip() == ".." for part in text.split("/")):
        raise ExportError(f"export name {text!r}: '..' would leave the export folder")
    return NamePattern(text, tuple(fields))


def _safe_value(value: object) -> str:
    """A field's value as part of a name: no separators, no control characters."""
    text = _UNSAFE.sub("_", str(value)).strip()
    return text or MISSING


def _safe_part(part: str) -> str:
    """One file or folder name any common file system accepts (never ``.`` or ``..``)."""
    text = _UNSAFE.sub("_", part).strip().strip(".").strip() or "_"
    if _RESERVED.fullmatch(text):
        text = f"_{text}"
    return text[:MAX_PART]


@dataclass(frozen=True)
class _Facts:
    """The provenance of the project's images, read once for the whole export."""

    images: dict
    runs: dict
    methods: dict[int, str | None]
    tags: dict[int, dict[str, str]]

    @classmethod
    def read(cls, project, ids: list[int]) -> _Facts:
        return cls(
            {image.id: image for image in project.images()},
            {run.id: run for run in project.runs()},
            project.image_methods(),
            project.tags_for(ids),
        )

    def input_of(self, image):
        """The image a method or an edit chain started from (an imported image is its own)."""
        current, seen = image, set()
        while current.parent_id is not None and current.id not in seen:
            seen.add(current.id)
            parent = self.images.get(current.parent_id)
            if parent is None:
                break
            if current.kind in ("restored", "method_output", "degraded"):
                return parent
            if current.kind == "step" and parent.kind != "step":
                return parent
            current = parent  # a step's earlier step, a draft's image
        return current
        return current

    def row(self, image) -> dict[str, str]:
        meta = image.meta if isinstance(image.meta, dict) else {}
        source = self.input_of(image)
        run = self.runs.get(image.run_id) if image.run_id is not None else None
        repeat = meta.get("repeat")
        step = image.step_index
        return {
            "image_id": str(image.id),
            "name": image.name,
            "kind": image.kind,
            "sha256": image.sha256,
            "width": str(image.width),
            "height": str(image.height),
            "format": image.format,
            "run": run.name if run is not None else "",
            "method": self.methods.get(image.id) or "",
            "step": "" if step is None else str(step),
            "repeat": str(repeat) if isinstance(repeat, int) else "",
            "input_id": str(source.id),
            "input": source.name,
        }


def _field_values(row: Mapping[str, str], image, tags: Mapping[str, str]) -> dict[str, str]:
    values = {key: value or MISSING for key, value in tags.items()}
    values.update(
        {
            "id": row["image_id"],
            "name": Path(image.name).stem if "." in image.name else image.name,
            "kind": row["kind"],
            "input": row["input"],
            "method": row["method"] or row["kind"],
            "run": row["run"] or MISSING,
            "step": row["step"] or "0",
            "repeat": row["repeat"] or "0",
            "sha": image.sha256[:12],
        }
    )
    return values


def export_images(
    project_dir: str | Path,
    image_ids: Iterable[int],
    out_dir: str | Path,
    *,
    name: str = DEFAULT_NAME,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> ExportReport:
    """Write each image's stored file into ``out_dir`` and ``manifest.csv`` describing them.

    A file already there with the same bytes is kept (exporting again changes nothing);
    any other existing file is never overwritten: the new one gets a ``-2`` suffix.
    An image whose stored file is missing or damaged is listed in ``errors``.
    """
    from core.project import Project

    ids = list(dict.fromkeys(int(i) for i in image_ids))
    if not ids:
        raise ExportError("no images to export")
    out = Path(out_dir).expanduser()
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    root = out.resolve()
    report = ExportReport(root)
    earlier, earlier_columns = _earlier_rows(root / MANIFEST_NAME)  # refused before any write
    with Project.open(project_dir) as project:
        tag_keys = project.tag_keys()
        pattern = compile_name(name, tag_keys)
        facts = _Facts.read(project, ids)
        taken: set[PurePosixPath] = set()
        for done, image_id in enumerate(ids):
            progress(done, len(ids))
            check_cancelled(cancel)
            image = facts.images.get(image_id) or project.image(image_id)
            tags = facts.tags.get(image.id, {})
            row = facts.row(image)
            extension = Path(image.file).suffix.lower() or ".img"
            wanted = pattern.render(_field_values(row, image, tags), extension)
            try:
                data = read_bounded(
                    project.image_path(image), MAX_IMAGE_FILE_BYTES, f"image {image.id}"
                )
                if hashlib.sha256(data).hexdigest() != image.sha256:
                    raise ExportError(f"image {image.id}: its stored file is damaged (SHA-256)")
                written = _write_unique(root, wanted, data, taken)
            except (IrisError, OSError) as exc:
                report.errors.append((image.id, str(exc)))
                continue
            row = {"file": written.as_posix(), **row}
            for key in tag_keys:
                row[_tag_column(key)] = tags.get(key, "")
            report.rows.append(row)
        progress(len(ids), len(ids))
    written = {row["file"] for row in report.rows}
    rows = [row for row in earlier if row.get("file") not in written] + report.rows
    columns = [_tag_column(key) for key in tag_keys]
    extra = [c for c in earlier_columns if c not in MANIFEST_COLUMNS and c not in columns]
    write_atomic(root / MANIFEST_NAME, manifest_text(rows, [*columns, *extra]).encode("utf-8"))
    return report


def _earlier_rows(path: Path) -> tuple[list[dict[str, str]], list[str]]:
    """The rows and columns of an earlier export's manifest in the folder (kept, so that an
    export into the same folder adds to it); a ``manifest.csv`` that is not one is refused."""
    if not path.exists() and not path.is_symlink():
        return [], []
    from core.files import MAX_DATA_FILE_BYTES, decode_text

    try:
        text = decode_text(read_bounded(path, MAX_DATA_FILE_BYTES, str(path)), str(path))
        reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
        columns = list(reader.fieldnames or [])
        rows = [dict(row) for row in reader]
    except (IrisError, csv.Error, ValueError) as exc:
        raise ExportError(f"{path}: exists and is not an IRIS export manifest ({exc})") from None
    if columns[: len(MANIFEST_COLUMNS)] != list(MANIFEST_COLUMNS):
        raise ExportError(f"{path}: exists and is not an IRIS export manifest (its columns)")
    return rows, columns


def _tag_column(key: str) -> str:
    """A tag's manifest column: its key, or ``tag:key`` where a fixed column has that name."""
    return f"tag:{key}" if key in MANIFEST_COLUMNS else key


def manifest_text(rows: list[dict[str, str]], tag_columns: Iterable[str]) -> str:
    """The manifest CSV: the fixed columns, then one column per tag key."""
    columns = [*MANIFEST_COLUMNS, *tag_columns]
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(
        buffer, fieldnames=columns, lineterminator="\n", restval="", extrasaction="ignore"
    )
    writer.writeheader()
    writer.writerows({key: _safe_cell(value) for key, value in row.items()} for row in rows)
    return buffer.getvalue()


def _safe_cell(value):
    return spreadsheet_safe(value) if isinstance(value, str) else value


def _write_unique(
    root: Path, wanted: PurePosixPath, data: bytes, taken: set[PurePosixPath]
) -> PurePosixPath:
    """Write ``data`` at ``wanted`` under ``root``, or at ``name-2``, ``-3``... if that is used.

    Used means: written by this export, or an existing file with other bytes (an
    existing file with the same bytes is this file, exported before, and is kept).
    """
    stem, suffix = wanted.stem, wanted.suffix
    for number in range(1, 100_000):
        candidate = wanted if number == 1 else wanted.with_name(f"{stem}-{number}{suffix}")
        if candidate in taken:
            continue
        target = root.joinpath(*candidate.parts)
        if not target.resolve().is_relative_to(root):  # a folder there links outside
            raise ExportError(f"{candidate}: would be written outside {root}")
        if target.is_symlink() or target.exists() and not target.is_file():
            continue
        if target.exists():
            try:
                same = read_bounded(target, len(data), str(target)) == data
            except IrisError:
                same = False
            if not same:
                continue
        else:
            write_atomic(target, data)
        taken.add(candidate)
        return candidate
    raise ExportError(f"{wanted}: no free name left")
