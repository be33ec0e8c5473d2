"""Study tags from where the files are: a folder layout pattern, or a CSV manifest.

``{scene}/{degradation}/{name}`` over a path relative to the imported folder gives
``scene`` and ``degradation`` tags; ``{name}`` is the file's name (it is not a tag).
A manifest is a CSV with a ``path`` column (relative to the manifest's folder), an
optional ``name`` column (the stored name) and any number of tag columns. Both are
checked strictly before anything is imported: a bad pattern, a bad header or a bad
row is one :class:`TagError` naming the file and the row.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from core.files import FileReadError, decode_text, read_bounded
from core.project.tags import TagError, check_tag

NAME_FIELD = "name"  # the file name: never a tag
SKIP_FIELD = "*"  # ``{*}`` matches a part of the path and keeps nothing
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_MANIFEST_ROWS = 1_000_000
MANIFEST_PATH = "path"
MANIFEST_NAME = "name"

_FIELD = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class PathPattern:
    """A compiled ``--tags-from-path`` pattern: its text, its tag fields and its regex."""

    text: str
    fields: tuple[str, ...]
    regex: re.Pattern[str]

    def match(self, relative: str | PurePosixPath) -> dict[str, str] | None:
        """The tags ``relative`` (a ``/``-separated path) gives, or None when it does not match.

        A value that is not a valid tag value (a control character...) raises TagError.
        """
        found = self.regex.fullmatch(str(PurePosixPath(relative)))
        if found is None:
            return None
        tags: dict[str, str] = {}
        for key in self.fields:
            tag_key, value = check_tag(key, found.group(key))
            tags[tag_key] = value
        return tags


def compile_pattern(text: str) -> PathPattern:
    """Check and compile a path pattern; TagError says what is wrong with it.

    Fields are ``{key}`` (a tag), ``{name}`` (the file name) or ``{*}`` (anything, kept
    nowhere); each matches within one folder level, never across a ``/``.
    """
    if not text or not text.strip():
        raise TagError("tag pattern: empty (write e.g. '{scene}/{degradation}/{name}')")
    if text.startswith("/") or "\\" in text:
        raise TagError(f"tag pattern {text!r}: write it relative to the folder, with '/'")
    parts: list[str] = []
    fields: list[str] = []
    has_name = False
    at = 0
    for found in _FIELD.finditer(text):
        literal = text[at : found.start()]
        if "{" in literal or "}" in literal:
            raise TagError(f"tag pattern {text!r}: unbalanced brace in {literal!r}")
        parts.append(re.escape(literal))
        key = found.group(1).strip()
        if key == SKIP_FIELD:
            parts.append(r"[^/]+?")
        elif key == NAME_FIELD:
            if has_name:
                raise TagError(f"tag pattern {text!r}: {{name}} appears twice")
            has_name = True
            parts.append(r"[^/]+?")
        else:
            check_tag(key, "x")  # the key's own rules, with the same message
            if key in fields:
                raise TagError(f"tag pattern {text!r}: field {{{key}}} appears twice")
            if not key.isidentifier():
                raise TagError(
                    f"tag pattern {text!r}: field {{{key}}}: pattern fields use letters, "
                    "digits and '_' only"
                )
            fields.append(key)
            parts.append(rf"(?P<{key}>[^/]+?)")
        at = found.end()
    rest = text[at:]
    if "{" in rest or "}" in rest:
        raise TagError(f"tag pattern {text!r}: unbalanced brace in {rest!r}")
    parts.append(re.escape(rest))
    if not fields:
        raise TagError(f"tag pattern {text!r}: no tag field (write e.g. '{{scene}}/{{name}}')")
    return PathPattern(text, tuple(fields), re.compile("".join(parts)))


@dataclass
class ManifestRow:
    """One manifest entry: the file, the stored name it asks for (or None) and its tags."""

    row: int
    path: Path
    name: str | None
    tags: dict[str, str] = field(default_factory=dict)


def read_manifest(path: str | Path) -> list[ManifestRow]:
    """The rows of a tag manifest, every one checked; TagError names the file and the row.

    Row numbers count the header as row 1, as a spreadsheet shows them. An empty
    tag cell leaves that tag unset for the row; a path given twice is refused.
    """
    file = Path(path)
    label = str(file)
    try:
        text = decode_text(read_bounded(file, MAX_MANIFEST_BYTES, label), label)
    except FileReadError as exc:
        raise TagError(str(exc)) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise TagError(f"{label}: row 1: not CSV ({exc})") from None
    if not header or not any(cell.strip() for cell in header):
        raise TagError(f"{label}: empty manifest (the first row names the columns)")
    columns = [cell.strip() for cell in header]
    if MANIFEST_PATH not in columns:
        raise TagError(f"{label}: row 1: no '{MANIFEST_PATH}' column (columns: {columns})")
    for number, column in enumerate(columns, 1):
        if not column:
            raise TagError(f"{label}: row 1: column {number} has no name")
        if columns.count(column) > 1:
            raise TagError(f"{label}: row 1: column {column!r} appears twice")
        if column not in (MANIFEST_PATH, MANIFEST_NAME):
            try:
                check_tag(column, "x")
            except TagError as exc:
                raise TagError(f"{label}: row 1: column {column!r}: {exc}") from None
    base = file.parent
    rows: list[ManifestRow] = []
    seen: dict[Path, int] = {}
    number = 1
    try:
        for cells in reader:
            number += 1
            if number - 1 > MAX_MANIFEST_ROWS:
                raise TagError(f"{label}: more than {MAX_MANIFEST_ROWS} rows")
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            rows.append(_manifest_row(label, base, number, columns, cells, seen))
    except csv.Error as exc:
        raise TagError(f"{label}: row {number}: not CSV ({exc})") from None
    if not rows:
        raise TagError(f"{label}: no rows after the header")
    return rows


def _manifest_row(
    label: str, base: Path, number: int, columns: list[str], cells: list[str], seen: dict
) -> ManifestRow:
    where = f"{label}: row {number}"
    if len(cells) != len(columns):
        raise TagError(f"{where}: {len(cells)} fields, the header has {len(columns)}")
    values = dict(zip(columns, (cell.strip() for cell in cells), strict=True))
    raw = values.pop(MANIFEST_PATH)
    if not raw:
        raise TagError(f"{where}: empty '{MANIFEST_PATH}'")
    if any(ord(ch) < 32 for ch in raw):
        raise TagError(f"{where}: '{MANIFEST_PATH}' contains a control character")
    target = Path(raw).expanduser()
    target = target if target.is_absolute() else base / target
    key = Path(*target.parts)
    if key in seen:
        raise TagError(f"{where}: {raw!r} is already on row {seen[key]}")
    seen[key] = number
    name = values.pop(MANIFEST_NAME, "") or None
    if name is not None and (len(name) > 256 or any(ord(ch) < 32 for ch in name)):
        raise TagError(f"{where}: 'name' must be under 256 characters, no control characters")
    tags: dict[str, str] = {}
    for key_name, value in values.items():
        if not value:
            continue
        try:
            tag_key, tag_value = check_tag(key_name, value)
        except TagError as exc:
            raise TagError(f"{where}: {exc}") from None
        tags[tag_key] = tag_value
    return ManifestRow(number, target, name, tags)
