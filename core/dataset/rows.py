"""Reading a results file that may be hostile: bounded, strictly decoded, every row checked.

A results file (``iris score --dataset`` output, or anything claiming to be)
is read whole with a byte limit; a CSV is strict UTF-8, a Parquet file's
metadata is checked (rows, uncompressed size) before its data is decoded.
Each row must have text where text belongs, 64-hex-digit hashes, a metric
name, and a number for ``value``; the first bad row raises :class:`ResultsError`
(``scores.csv: line 7: value 'abc' is not a number``) and no row is returned.

Error rows: ``value`` is empty when ``error`` says why. A row without an error
whose value is NaN or infinite becomes such an error row ("non-finite value
nan"), the same as a metric failing on that image, so it is counted as an
error, never stored as a score; a row with neither a value nor an error is refused.
"""

from __future__ import annotations

import csv
import io
import math
import re
from pathlib import Path
from typing import Any

from core.dataset.results import COLUMNS, Row, _pyarrow
from core.errors import IrisError
from core.files import (
    MAX_DATA_FILE_BYTES,
    FileReadError,
    allow_large_csv_fields,
    decode_text,
    read_bounded,
)

REQUIRED_COLUMNS = ("path", "sha256", "metric", "metric_version", "value")
HASH_COLUMNS = ("sha256", "reference_sha256")
MAX_ROWS = 2_000_000
MAX_UNCOMPRESSED_BYTES = 4 * MAX_DATA_FILE_BYTES
TEXT_CHARS = {"path": 4096, "relpath": 4096, "reference_path": 4096, "error": 10_000}
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_HASH = re.compile("[0-9a-f]{64}")


class ResultsError(IrisError):
    """A results file cannot be read; the message names the file and, when there is one, the row."""


class _Bad(ValueError):
    """One value of a row is wrong (the caller adds the file and the row)."""


def _text(value: Any, name: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _Bad(f"{name} must be text, got {type(value).__name__}")
    limit = TEXT_CHARS.get(name, 200)
    if len(value) > limit:
        raise _Bad(f"{name} is longer than {limit} characters")
    bad = _BAD_CHARS.search(value)
    if bad:
        raise _Bad(f"{name} contains the character {bad.group()!r}")
    return value


def _number(value: Any, name: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _Bad(f"{name} must be a number, got a boolean")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise _Bad(f"{name} {value!r:.40} is not a number") from None
    raise _Bad(f"{name} must be a number, got {type(value).__name__}")


def checked_row(raw: dict[str, Any]) -> Row:
    """One untrusted row as a normalised :data:`Row`, else ``_Bad`` naming the column."""
    row: Row = {}
    for name, kind in COLUMNS.items():
        value = raw.get(name)
        row[name] = _number(value, name) if kind is float else _text(value, name)
    for name in HASH_COLUMNS:
        row[name] = row[name].lower()
        if row[name] and not _HASH.fullmatch(row[name]):
            raise _Bad(f"{name} {row[name]!r:.80} is not a SHA-256 (64 hex digits)")
    if not row["metric"].strip():
        raise _Bad("metric is empty")
    seconds = row["seconds"]
    if seconds is not None and not (math.isfinite(seconds) and seconds >= 0):
        raise _Bad(f"seconds must be a finite number of at least 0, got {seconds}")
    row["error"] = row["error"] or None
    if row["error"]:
        row["value"] = None  # an error row carries no score
    elif row["value"] is None:
        raise _Bad("value is empty but the row has no error")
    elif not math.isfinite(row["value"]):
        row["error"] = f"non-finite value {row['value']} in the results file"
        row["value"] = None
    return row


def _missing(label: str, names: list[str]) -> None:
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise ResultsError(f"{label}: the results lack the columns {', '.join(missing)}")


def _csv_rows(data: bytes, label: str) -> list[tuple[str, dict[str, Any]]]:
    text = decode_text(data, label)
    allow_large_csv_fields()
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    try:
        _missing(label, list(reader.fieldnames or []))
        for raw in reader:
            where = f"line {reader.line_num}"
            if None in raw:
                raise ResultsError(f"{label}: {where}: more values than the header has columns")
            if None in raw.values():
                raise ResultsError(f"{label}: {where}: fewer values than the header has columns")
            rows.append((where, raw))
    except csv.Error as exc:
        raise ResultsError(f"{label}: line {reader.line_num}: not valid CSV ({exc})") from None
    return rows


def _parquet_rows(data: bytes, label: str) -> list[tuple[str, dict[str, Any]]]:
    pa = _pyarrow()
    try:
        parquet = pa.parquet.ParquetFile(io.BytesIO(data))
        meta = parquet.metadata
        if meta.num_rows > MAX_ROWS:
            raise ResultsError(f"{label}: {meta.num_rows} rows, more than the limit {MAX_ROWS}")
        size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        if size > MAX_UNCOMPRESSED_BYTES:
            raise ResultsError(
                f"{label}: {size} bytes uncompressed, more than the limit {MAX_UNCOMPRESSED_BYTES}"
            )
        _missing(label, list(parquet.schema_arrow.names))
        records = parquet.read().to_pylist()
    except ResultsError:
        raise
    except (pa.ArrowException, OSError, ValueError, TypeError, KeyError, IndexError) as exc:
        raise ResultsError(f"{label}: not a readable Parquet file ({exc})") from None
    return [(f"row {i}", raw) for i, raw in enumerate(records, start=1)]


def read_results(path: str | Path, fmt: str) -> list[Row]:
    """Every row of the results file ``path`` (``fmt`` ``.csv`` or ``.parquet``), all checked."""
    label = str(path)
    try:
        data = read_bounded(path, MAX_DATA_FILE_BYTES, label)
        raw_rows = _csv_rows(data, label) if fmt == ".csv" else _parquet_rows(data, label)
    except FileReadError as exc:
        raise ResultsError(str(exc)) from None
    except MemoryError:
        raise ResultsError(f"{label}: too large to read into memory") from None
    rows = []
    for where, raw in raw_rows:
        try:
            rows.append(checked_row(raw))
        except _Bad as exc:
            raise ResultsError(f"{label}: {where}: {exc}") from None
    return rows
