"""The results table of a dataset job: one row per image and metric, in Parquet or CSV.

Rows are committed in part files beside the output (``RESULTS.parquet.parts/``),
each written atomically, so a killed job loses no committed row; finishing
merges the parts into the output file (also atomically) and removes them.
Reading an output gives the output file plus any parts left by a killed job,
which is how a job resumes: rows whose (sha256, metric, metric_version,
reference_sha256) are present are not computed again.
"""

from __future__ import annotations

import csv
import io
import os
import time
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from core.errors import IrisError
from core.files import write_atomic

# Column name -> type, in file order. ``value`` is empty when ``error`` says why; ``node`` is
# the Ray node that computed the row (empty for the local engine and for older files).
COLUMNS: dict[str, type] = {
    "path": str,
    "relpath": str,
    "sha256": str,
    "reference_path": str,
    "reference_sha256": str,
    "metric": str,
    "metric_version": str,
    "value": float,
    "error": str,
    "worker": str,
    "node": str,
    "seconds": float,
}
FORMATS = (".parquet", ".csv")
Row = dict[str, Any]
Key = tuple[str, str, str, str]


def row_key(row: Row) -> Key:
    """What makes a row done: image content, metric, metric version, reference content.

    A file that could not be read has no content hash; its key uses its path.
    """
    image = row.get("sha256") or f"path:{row.get('path', '')}"
    return (image, row["metric"], row["metric_version"], row.get("reference_sha256") or "")


def _attempt(row: Row) -> tuple[str, str, str]:
    return (row["path"], row["metric"], row["metric_version"])


def results_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise IrisError(f"{path}: results must be a .parquet or .csv file")
    return suffix


def normalise(row: Row) -> Row:
    """A row with every column, in order, with empty strings for missing text."""
    out: Row = {}
    for name, kind in COLUMNS.items():
        value = row.get(name)
        if kind is float:
            out[name] = None if value is None or value == "" else float(value)
        elif name == "error":
            out[name] = value or None
        else:
            out[name] = "" if value is None else str(value)
    return out


def arrow_schema():
    import pyarrow as pa

    types = {str: pa.string(), float: pa.float64()}
    return pa.schema([(name, types[kind]) for name, kind in COLUMNS.items()])


def rows_to_arrow(rows: Iterable[Row]):
    """Rows as a pyarrow Table with the results schema (also for an empty batch)."""
    import pyarrow as pa

    return pa.Table.from_pylist([normalise(r) for r in rows], schema=arrow_schema())


def _pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise IrisError(
            "Parquet results need pyarrow: pip install pyarrow (or write a .csv file)"
        ) from None
    return pyarrow


def encode_rows(rows: list[Row], fmt: str) -> bytes:
    """The bytes of a results file holding ``rows``."""
    if fmt == ".csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in normalise(row).items()})
        return buffer.getvalue().encode("utf-8")
    pa = _pyarrow()
    sink = io.BytesIO()
    pa.parquet.write_table(rows_to_arrow(rows), sink)
    return sink.getvalue()


def read_rows(path: str | Path) -> list[Row]:
    """Every row of one results file (Parquet or CSV), checked and normalised.

    The file is untrusted (see :mod:`core.dataset.rows`): any malformed row
    raises :class:`~core.dataset.rows.ResultsError` naming the file and the row,
    and no row is returned.
    """
    from core.dataset.rows import read_results

    return read_results(path, results_format(path))


class ResultsStore:
    """An output file and its part files: append committed batches, read back, finish."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path).expanduser().resolve()
        self.fmt = results_format(self.path)
        if self.fmt == ".parquet":
            _pyarrow()
        self.parts_dir = self.path.with_name(self.path.name + ".parts")

    def part_files(self) -> list[Path]:
        if not self.parts_dir.is_dir():
            return []
        return sorted(self.parts_dir.glob(f"part-*{self.fmt}"))

    def read(self) -> list[Row]:
        """The output's rows plus those of parts a killed job left, without repeats.

        A repeat can only come from a kill between writing the merged output and
        removing the parts it merged; the same row then appears twice. An error
        row is dropped once a later row for the same path, metric and version
        succeeded (a retried error, see ``done_keys(retry_errors=True)``).
        """
        rows: list[Row] = []
        seen: set[tuple[str, Key, bool]] = set()
        sources = ([self.path] if self.path.is_file() else []) + self.part_files()
        for source in sources:
            for row in read_rows(source):
                identity = (row["path"], row_key(row), bool(row["error"]))
                if identity not in seen:
                    seen.add(identity)
                    rows.append(row)
        succeeded = {_attempt(row) for row in rows if not row["error"]}
        return [row for row in rows if not row["error"] or _attempt(row) not in succeeded]

    def done_keys(self, *, retry_errors: bool = False) -> set[Key]:
        """Keys a job skips; with ``retry_errors`` the rows that failed are computed again."""
        return {row_key(row) for row in self.read() if not (retry_errors and row["error"])}

    def append(self, rows: list[Row]) -> Path | None:
        """Commit ``rows`` as one new part file (atomic: all rows or none)."""
        if not rows:
            return None
        self.parts_dir.mkdir(parents=True, exist_ok=True)
        name = f"part-{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}{self.fmt}"
        target = self.parts_dir / name
        write_atomic(target, encode_rows(rows, self.fmt))
        return target

    def finish(self) -> int:
        """Merge the parts into the output file; returns the number of rows in it."""
        rows = self.read()
        if not rows and not self.path.is_file():
            write_atomic(self.path, encode_rows([], self.fmt))
            return 0
        parts = self.part_files()
        if parts or not self.path.is_file():
            write_atomic(self.path, encode_rows(rows, self.fmt))
        for part in parts:
            part.unlink(missing_ok=True)
        if self.parts_dir.is_dir() and not any(self.parts_dir.iterdir()):
            self.parts_dir.rmdir()
        return len(rows)
