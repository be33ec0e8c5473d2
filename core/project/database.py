"""The project's connection: reads and hand-written writes here, sqlite-utils for table inserts.

Importing sqlite-utils costs about 0.1 s (it brings dateutil, click and pluggy), most of
``import core.project`` and so of the time before a project is shown. Every read IRIS
does, and every write it spells in SQL, needs only three of its methods: ``query``,
``execute`` and ``atomic``. :class:`Database` has those three with sqlite-utils'
semantics, ported from sqlite-utils 4.2 (``Database.query``'s savepoint guard,
``execute``'s auto-commit of a write outside a transaction, ``atomic``'s savepoints);
``tests/core/project/test_database.py`` runs the same statements through both and
checks they agree. ``db[table]`` (``insert`` and the rest of the table API) is a real
``sqlite_utils.Database`` on the same connection, built the first time it is asked for.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

TRANSACTION_CONTROL = frozenset({"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"})
# Statements that never return rows and cannot run inside (or would break out of) query's guard.
QUERY_REJECTED = TRANSACTION_CONTROL | {"VACUUM", "ATTACH", "DETACH"}
QUERY_ONLY = (
    "query() can only be used with SQL that returns rows - use execute() for other statements"
)
GUARD = '"sqlite_utils_query"'

Params = Sequence[Any] | dict[str, Any] | None


def first_keyword(sql: str) -> str:
    """The statement's first keyword, upper case, after what the driver skips before it
    (white space, ``--`` and ``/* */`` comments, bare ``;``, a byte order mark); "" if none."""
    i, n = 0, len(sql)
    while i < n:
        if sql[i].isspace() or sql[i] in (";", "\ufeff"):
            i += 1
        elif sql.startswith("--", i):
            newline = sql.find("\n", i)
            if newline == -1:
                return ""
            i = newline + 1
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            if end == -1:
                return ""
            i = end + 2
        else:
            break
    j = i
    while j < n and (sql[j].isalpha() or sql[j] == "_"):
        j += 1
    return sql[i:j].upper()


def unique_keys(keys: Iterable[str]) -> list[str]:
    """Column names made unique as sqlite-utils makes them: a repeat gets ``_2``, ``_3``...
    (skipping a suffix another column already has)."""
    keys = list(keys)
    taken = set(keys)
    if len(taken) == len(keys):
        return keys
    seen: set[str] = set()
    out = []
    for key in keys:
        if key in seen:
            new_key, suffix = key, 2
            while new_key in seen or new_key in taken:
                new_key = f"{key}_{suffix}"
                suffix += 1
            key = new_key
        seen.add(key)
        out.append(key)
    return out


def _rows(cursor: Iterable[tuple], keys: list[str]) -> Iterator[dict[str, Any]]:
    return (dict(zip(keys, row, strict=False)) for row in cursor)


class Database:
    """A project's SQLite connection with sqlite-utils' ``query``/``execute``/``atomic``."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._tables: Any = None
        self.execute("PRAGMA recursive_triggers=on;")  # as sqlite_utils.Database(conn) does

    def __getitem__(self, table: str) -> Any:
        """sqlite-utils' table of that name (its ``insert``...), on this connection."""
        if self._tables is None:
            from core.project._sqlite_utils import sqlite_utils

            self._tables = sqlite_utils.Database(self.conn, execute_plugins=False)
        return self._tables[table]

    def query(self, sql: str, params: Params = None) -> Iterator[dict[str, Any]]:
        """Run ``sql`` now and yield its rows as dicts; a statement that returns no rows is
        a ValueError, and is rolled back (a row-less PRAGMA excepted: it runs unguarded)."""
        keyword = first_keyword(sql)
        if keyword in QUERY_REJECTED:
            raise ValueError(QUERY_ONLY)
        args: tuple = (params,) if params is not None else ()
        conn = self.conn
        if keyword == "PRAGMA":
            if conn.in_transaction:
                cursor = conn.execute(sql, *args)
            else:
                with self._autocommit():
                    cursor = conn.execute(sql, *args)
            if cursor.description is None:
                raise ValueError(QUERY_ONLY)
            return _rows(cursor, unique_keys(d[0] for d in cursor.description))
        conn.execute(f"SAVEPOINT {GUARD}")
        released = False
        try:
            cursor = conn.execute(sql, *args)
            if cursor.description is None:
                raise ValueError(QUERY_ONLY)
            keys = unique_keys(d[0] for d in cursor.description)
            try:
                conn.execute(f"RELEASE {GUARD}")
                released = True
            except sqlite3.OperationalError:
                # A write still running (INSERT ... RETURNING with rows unread): read them
                # so it completes, then release.
                fetched = cursor.fetchall()
                conn.execute(f"RELEASE {GUARD}")
                released = True
                return _rows(fetched, keys)
            return _rows(cursor, keys)
        finally:
            if not released and conn.in_transaction:
                conn.execute(f"ROLLBACK TO {GUARD}")
                conn.execute(f"RELEASE {GUARD}")

    def execute(self, sql: str, params: Params = None) -> sqlite3.Cursor:
        """Run one statement; a write outside a transaction is committed at once."""
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if params is None else conn.execute(sql, params)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.execute("ROLLBACK")  # the failed statement's implicit transaction
            raise
        if (
            not was_in_transaction
            and conn.in_transaction
            and cursor.description is None
            and first_keyword(sql) not in TRANSACTION_CONTROL
        ):
            conn.execute("COMMIT")
        return cursor

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction; inside another, a savepoint of it."""
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"sqlite_utils_{secrets.token_hex(16)}"
            conn.execute(f"SAVEPOINT {savepoint};")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:  # a RAISE(ROLLBACK) may have ended it already
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint};")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint};")
                raise
            conn.execute(f"RELEASE SAVEPOINT {savepoint};")
            return
        conn.execute("BEGIN")
        try:
            yield self
        except BaseException:
            self._rollback()
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def _autocommit(self) -> Iterator[None]:
        old = self.conn.isolation_level
        try:
            self.conn.isolation_level = None
            yield
        finally:
            self.conn.isolation_level = old
