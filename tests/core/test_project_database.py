"""core/project/database.py against sqlite-utils itself: the same statements, the same outcome.

Each case runs on two fresh connections, one through ``sqlite_utils.Database`` and one
through IRIS's :class:`Database`, and compares what a caller can see: the rows or the
error, whether a transaction is left open, and what the table holds afterwards (read
on a second connection for what was committed, and on the first for what was not).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest
import sqlite_utils

from core.project.database import Database, first_keyword, unique_keys

SETUP = "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL)"


def _outcome(db, path, action: Callable) -> dict:
    conn = db.conn
    try:
        result = action(db)
        if result is not None and not isinstance(result, sqlite3.Cursor):
            result = list(result)
        elif isinstance(result, sqlite3.Cursor):
            result = result.fetchall()
    except Exception as exc:  # noqa: BLE001 - the error is what is compared
        result = (type(exc).__name__, str(exc))
    seen_here = conn.execute("SELECT id, name FROM t ORDER BY id").fetchall()
    in_transaction = conn.in_transaction
    other = sqlite3.connect(path)
    try:
        committed = other.execute("SELECT id, name FROM t ORDER BY id").fetchall()
        user_version = other.execute("PRAGMA user_version").fetchone()[0]
    finally:
        other.close()
    return {
        "result": result,
        "in_transaction": in_transaction,
        "seen_here": seen_here,
        "committed": committed,
        "user_version": user_version,
        "recursive_triggers": conn.execute("PRAGMA recursive_triggers").fetchone()[0],
    }


def _both(tmp_path, action: Callable, *, begin: bool = False) -> tuple[dict, dict]:
    outcomes = []
    for name, make in (("theirs", _theirs), ("ours", Database)):
        path = tmp_path / f"{name}.db"
        setup = sqlite3.connect(path)
        setup.execute(SETUP)
        setup.execute("INSERT INTO t (name) VALUES ('first')")
        setup.commit()
        setup.close()
        conn = sqlite3.connect(path)
        db = make(conn)
        if begin:
            conn.execute("BEGIN")
        outcomes.append(_outcome(db, path, action))
        conn.close()
    return outcomes[0], outcomes[1]


def _theirs(conn):
    return sqlite_utils.Database(conn, execute_plugins=False)


QUERIES = [
    ("SELECT id, name FROM t", None),
    ("select name from t where id = ?", [1]),
    ("SELECT name FROM t WHERE id = :id", {"id": 1}),
    ("SELECT 1 AS a, 2 AS a, 3 AS a_2, 4 AS a", None),
    ("  -- a comment\n/* and another */ ;SELECT name FROM t", None),
    ("\ufeffSELECT 7 AS seven", None),
    ("WITH x AS (SELECT 5 AS v) SELECT v FROM x", None),
    ("PRAGMA table_info(t)", None),
    ("PRAGMA user_version = 3", None),
    ("INSERT INTO t (name) VALUES ('second')", None),
    ("INSERT INTO t (name) VALUES ('second') RETURNING id, name", None),
    ("INSERT INTO t (name) VALUES ('first')", None),
    ("DELETE FROM t", None),
    ("BEGIN", None),
    ("  commit", None),
    ("VACUUM", None),
    ("SELEC nonsense", None),
    ("SELECT no_such_column FROM t", None),
    ("-- only a comment", None),
]


@pytest.mark.parametrize("begin", [False, True], ids=["no transaction", "in a transaction"])
@pytest.mark.parametrize(("sql", "params"), QUERIES, ids=[q[0][:40] for q in QUERIES])
def test_query_behaves_as_sqlite_utils(tmp_path, sql, params, begin):
    theirs, ours = _both(tmp_path, lambda db: db.query(sql, params), begin=begin)
    assert ours == theirs


EXECUTES = [
    ("INSERT INTO t (name) VALUES (?)", ["second"]),
    ("INSERT INTO t (name) VALUES (:n)", {"n": "second"}),
    ("INSERT INTO t (name) VALUES ('first')", None),
    ("UPDATE t SET name = 'renamed' WHERE id = 1", None),
    ("SELECT name FROM t", None),
    ("PRAGMA user_version = 5", None),
    ("PRAGMA data_version", None),
    ("BEGIN", None),
    ("SAVEPOINT s", None),
    ("INSERT INTO nowhere VALUES (1)", None),
    ("/* c */ INSERT INTO t (name) VALUES ('third')", None),
]


@pytest.mark.parametrize("begin", [False, True], ids=["no transaction", "in a transaction"])
@pytest.mark.parametrize(("sql", "params"), EXECUTES, ids=[e[0][:40] for e in EXECUTES])
def test_execute_behaves_as_sqlite_utils(tmp_path, sql, params, begin):
    theirs, ours = _both(tmp_path, lambda db: db.execute(sql, params), begin=begin)
    assert ours == theirs


class Boom(Exception):
    pass


def _atomic_commit(db):
    with db.atomic():
        db.execute("INSERT INTO t (name) VALUES ('a')")
        db.execute("INSERT INTO t (name) VALUES ('b')")


def _atomic_fails(db):
    with db.atomic():
        db.execute("INSERT INTO t (name) VALUES ('a')")
        raise Boom("stop")


def _nested_inner_fails(db):
    with db.atomic():
        db.execute("INSERT INTO t (name) VALUES ('outer')")
        try:
            with db.atomic():
                db.execute("INSERT INTO t (name) VALUES ('inner')")
                raise Boom("inner")
        except Boom:
            pass
        db.execute("INSERT INTO t (name) VALUES ('after')")


def _nested_constraint(db):
    with db.atomic(), db.atomic():
        db.execute("INSERT INTO t (name) VALUES ('first')")


def _commit_fails(db):
    db.conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    db.conn.execute(
        "CREATE TABLE child (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)"
    )
    db.conn.execute("PRAGMA foreign_keys = ON")
    with db.atomic():
        db.execute("INSERT INTO t (name) VALUES ('kept?')")
        db.execute("INSERT INTO child VALUES (42)")


@pytest.mark.parametrize("begin", [False, True], ids=["no transaction", "in a transaction"])
@pytest.mark.parametrize(
    "action",
    [_atomic_commit, _atomic_fails, _nested_inner_fails, _nested_constraint, _commit_fails],
)
def test_atomic_behaves_as_sqlite_utils(tmp_path, action, begin):
    theirs, ours = _both(tmp_path, action, begin=begin)
    assert ours == theirs


def test_rows_are_read_lazily_and_insert_returning_completes_unread(tmp_path):
    conn = sqlite3.connect(tmp_path / "p.db")
    conn.execute(SETUP)
    db = Database(conn)
    db.query("INSERT INTO t (name) VALUES ('x') RETURNING id")  # never iterated
    rows = db.query("SELECT name FROM t")
    assert next(rows) == {"name": "x"}
    assert not conn.in_transaction


def test_tables_are_sqlite_utils_tables_on_the_same_connection(tmp_path):
    conn = sqlite3.connect(tmp_path / "p.db")
    conn.execute(SETUP)
    db = Database(conn)
    table = db["t"]
    assert isinstance(table, sqlite_utils.db.Table)
    assert table.insert({"name": "via sqlite-utils"}).last_pk == 1
    assert list(db.query("SELECT name FROM t")) == [{"name": "via sqlite-utils"}]
    assert db["t"].db is table.db  # built once


@pytest.mark.parametrize(
    "sql",
    ["", "   ", ";;", "--x\nselect", "/* unterminated", "-- no newline", "_under_score x",
     "\ufeff pragma x", "with1 x", "  Begin;"],
)  # fmt: skip
def test_first_keyword_matches_sqlite_utils(sql):
    assert first_keyword(sql) == sqlite_utils.db._first_keyword(sql)


@pytest.mark.parametrize(
    "keys",
    [[], ["a"], ["a", "b"], ["a", "a"], ["a", "a", "a"], ["a", "a", "a_2"], ["a_2", "a", "a"],
     ["x", "y", "x", "y", "x_2"]],
)  # fmt: skip
def test_unique_keys_match_sqlite_utils(keys):
    assert unique_keys(keys) == sqlite_utils.utils.dedupe_keys(keys)
