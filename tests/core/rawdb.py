"""Read a project's raw rows in tests, through a read-only connection of the test's own.

Code never does this (it calls :class:`core.project.Project`); a test does where it
must see what is stored byte for byte: a whole table, a JSON column, a PRAGMA.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.paths import DB_NAME
from core.project import Project


def _as_dict(cursor: sqlite3.Cursor, row: tuple) -> dict[str, Any]:
    return {column[0]: value for column, value in zip(cursor.description, row, strict=True)}


@contextlib.contextmanager
def read_only(project: Project | Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the project's database (rows as dicts), closed after."""
    root = project.path if isinstance(project, Project) else Path(project)
    conn = sqlite3.connect(f"{(root / DB_NAME).as_uri()}?mode=ro", uri=True, timeout=30)
    conn.row_factory = _as_dict
    try:
        yield conn
    finally:
        conn.close()


def rows(project: Project | Path, sql: str, params: list[Any] | None = None) -> list[dict]:
    """Every row ``sql`` selects, as dicts."""
    with read_only(project) as conn:
        return conn.execute(sql, params or []).fetchall()


def table(project: Project | Path, name: str) -> tuple[tuple, ...]:
    """A whole table as tuples in rowid order: what a snapshot before and after compares."""
    return tuple(tuple(row.values()) for row in rows(project, f"SELECT * FROM {name}"))


def scalar(project: Project | Path, sql: str, params: list[Any] | None = None) -> Any:
    """The first column of the first row ``sql`` returns (a count, a PRAGMA's answer)."""
    found = rows(project, sql, params)
    return next(iter(found[0].values())) if found else None


def checkpoint(project: Project | Path) -> None:
    """Move the WAL's committed pages into ``iris.db`` (changes no row; needs a writer)."""
    root = project.path if isinstance(project, Project) else Path(project)
    conn = sqlite3.connect(root / DB_NAME, timeout=30)
    try:
        conn.execute("PRAGMA wal_checkpoint(FULL)")
    finally:
        conn.close()
