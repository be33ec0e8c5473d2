"""The database schema as an ordered list of migrations.

``PRAGMA user_version`` holds the schema version. A project is upgraded in
place, one migration per transaction, when a newer IRIS opens it; a project
from a newer IRIS is refused rather than damaged. Never edit a shipped
migration: append a new one.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections.abc import Callable

from core.clock import now

V1_TABLES = """
CREATE TABLE project_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE methods (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    params TEXT NOT NULL DEFAULT '{}',
    meta TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    method_id INTEGER REFERENCES methods(id),
    group_name TEXT,
    params TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'pending',
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE images (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    file TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bit_depth INTEGER NOT NULL,
    format TEXT NOT NULL,
    has_alpha INTEGER NOT NULL DEFAULT 0,
    has_icc INTEGER NOT NULL DEFAULT 0,
    has_exif INTEGER NOT NULL DEFAULT 0,
    source_path TEXT,
    parent_id INTEGER REFERENCES images(id),
    method_id INTEGER REFERENCES methods(id),
    run_id INTEGER REFERENCES runs(id),
    step_index INTEGER,
    meta TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL
);
CREATE INDEX images_sha256 ON images(sha256);
CREATE INDEX images_run_step ON images(run_id, step_index);
CREATE TABLE results (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    step_index INTEGER,
    input_image_id INTEGER REFERENCES images(id),
    output_image_id INTEGER REFERENCES images(id),
    status TEXT NOT NULL,
    error TEXT,
    seconds REAL,
    started_at TEXT,
    finished_at TEXT,
    meta TEXT NOT NULL DEFAULT '{}'
);
CREATE UNIQUE INDEX results_run_step ON results(run_id, step_index);
CREATE TABLE scores (
    id INTEGER PRIMARY KEY,
    image_sha256 TEXT NOT NULL,
    metric TEXT NOT NULL,
    metric_version TEXT NOT NULL,
    reference_sha256 TEXT NOT NULL DEFAULT '',
    value REAL,
    error TEXT,
    seconds REAL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX scores_key ON scores(image_sha256, metric, metric_version, reference_sha256);
"""

V2_VIEW_STATE = """
CREATE TABLE view_state (
    view TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""

V3_ANNOTATIONS = """
CREATE TABLE annotations (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    image_id INTEGER REFERENCES images(id),
    image_sha256 TEXT NOT NULL,
    label TEXT NOT NULL,
    severity INTEGER NOT NULL DEFAULT 1 CHECK (severity BETWEEN 1 AND 3),
    note TEXT NOT NULL DEFAULT '',
    annotator TEXT NOT NULL,
    region_kind TEXT NOT NULL,
    region TEXT NOT NULL DEFAULT '{}',
    compared_with TEXT NOT NULL DEFAULT '{}',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX annotations_image ON annotations(image_id);
CREATE INDEX annotations_sha256 ON annotations(image_sha256);
CREATE TABLE annotation_events (
    id INTEGER PRIMARY KEY,
    annotator TEXT NOT NULL,
    annotation_uuid TEXT NOT NULL,
    action TEXT NOT NULL,
    target_event_id INTEGER REFERENCES annotation_events(id),
    before TEXT,
    after TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX annotation_events_annotator ON annotation_events(annotator, id);
CREATE TABLE review_marks (
    image_id INTEGER NOT NULL REFERENCES images(id),
    annotator TEXT NOT NULL,
    reviewed_at TEXT NOT NULL,
    PRIMARY KEY (image_id, annotator)
);
"""

V5_TAGS_AND_RATINGS = """
CREATE TABLE image_tags (
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (image_id, key)
);
CREATE INDEX image_tags_key_value ON image_tags(key, value);
CREATE TABLE ratings (
    image_id INTEGER NOT NULL REFERENCES images(id) ON DELETE CASCADE,
    rater TEXT NOT NULL,
    score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 5),
    created_at TEXT NOT NULL,
    PRIMARY KEY (image_id, rater)
);
"""

V6_JUDGEMENTS = """
CREATE TABLE judgements (
    id INTEGER PRIMARY KEY,
    image_sha256 TEXT NOT NULL,
    metric TEXT NOT NULL,
    metric_version TEXT NOT NULL,
    judge TEXT NOT NULL,
    model TEXT NOT NULL DEFAULT '',
    prompt_id TEXT NOT NULL DEFAULT '',
    task TEXT NOT NULL DEFAULT '',
    answer TEXT NOT NULL DEFAULT '',
    value REAL,
    error TEXT,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX judgements_key ON judgements(image_sha256, metric, metric_version);
CREATE INDEX judgements_metric ON judgements(metric, created_at)
"""

# judgement:<metric>:<sha256>:<version>, the metric itself holding colons (judge:severity)
_OLD_JUDGEMENT_KEY = re.compile(r"judgement:(.+?):([0-9a-f]{64}):(.+)", re.DOTALL)


def _judgement_row(key: str, text: str) -> list | None:
    """An old ``project_meta`` judgement record as a ``judgements`` row (None: unreadable)."""
    match = _OLD_JUDGEMENT_KEY.fullmatch(key)
    try:
        record = json.loads(text)
    except ValueError:
        return None
    if not match or not isinstance(record, dict):
        return None
    value = record.get("rating")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        value = None
    error = record.get("error")
    return [
        match.group(2), match.group(1), match.group(3), str(record.get("judge") or ""),
        str(record.get("model") or ""), str(record.get("prompt_id") or ""),
        str(record.get("task") or ""), str(record.get("answer") or ""), value,
        None if error is None else str(error),
    ]  # fmt: skip


def _judgements_table(conn: sqlite3.Connection) -> None:
    """The judgements table, and the records kept in ``project_meta`` until now moved into it
    (dated by their score row where there is one); unreadable records stay where they were."""
    _script(V6_JUDGEMENTS)(conn)
    old = conn.execute("SELECT key, value FROM project_meta WHERE key LIKE 'judgement:%'")
    for key, text in old.fetchall():
        row = _judgement_row(key, text)
        if row is None:
            continue
        conn.execute(
            "INSERT OR IGNORE INTO judgements(image_sha256, metric, metric_version, judge, model, "
            "prompt_id, task, answer, value, error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
            "?, ?, COALESCE((SELECT MAX(created_at) FROM scores WHERE image_sha256 = ? AND "
            "metric = ? AND metric_version = ?), ?))",
            [*row, row[0], row[1], row[2], now()],
        )
        conn.execute("DELETE FROM project_meta WHERE key = ?", [key])


def _script(sql: str) -> Callable[[sqlite3.Connection], None]:
    def apply(conn: sqlite3.Connection) -> None:
        for statement in filter(None, (part.strip() for part in sql.split(";"))):
            conn.execute(statement)

    return apply


def _unique_imported_images(conn: sqlite3.Connection) -> None:
    """One row per imported file content: merge duplicate rows, then let the schema enforce it.

    Two processes importing the same file at once could both pass a check-then-insert;
    every reference to a duplicate moves to the oldest row before the duplicate goes.
    """
    duplicates = conn.execute(
        "SELECT d.id, (SELECT MIN(k.id) FROM images k WHERE k.kind = 'imported' "
        "AND k.sha256 = d.sha256) AS keep FROM images d WHERE d.kind = 'imported' "
        "AND d.id > (SELECT MIN(k.id) FROM images k WHERE k.kind = 'imported' "
        "AND k.sha256 = d.sha256)"
    ).fetchall()
    for duplicate, keep in duplicates:
        for table, column in (
            ("images", "parent_id"),
            ("results", "input_image_id"),
            ("results", "output_image_id"),
            ("annotations", "image_id"),
        ):
            conn.execute(f"UPDATE {table} SET {column} = ? WHERE {column} = ?", [keep, duplicate])
        conn.execute(
            "INSERT OR IGNORE INTO review_marks(image_id, annotator, reviewed_at) "
            "SELECT ?, annotator, reviewed_at FROM review_marks WHERE image_id = ?",
            [keep, duplicate],
        )
        conn.execute("DELETE FROM review_marks WHERE image_id = ?", [duplicate])
        conn.execute("DELETE FROM images WHERE id = ?", [duplicate])
    conn.execute(
        "CREATE UNIQUE INDEX images_imported_sha256 ON images(sha256) WHERE kind = 'imported'"
    )


# (version reached, what it does, how). Index i holds the step from version i to i + 1.
MIGRATIONS: list[tuple[int, str, Callable[[sqlite3.Connection], None]]] = [
    (1, "images, methods, runs, results, scores", _script(V1_TABLES)),
    (2, "per-project view state (compare layout, crops)", _script(V2_VIEW_STATE)),
    (3, "annotations, their undo/redo event log, review marks", _script(V3_ANNOTATIONS)),
    (4, "one row per imported image content, enforced", _unique_imported_images),
    (
        5,
        "study tags (key=value per image) and human ratings (0-5 per rater)",
        _script(V5_TAGS_AND_RATINGS),
    ),
    (
        6,
        "judge answers (model, prompt, task, answer text), moved out of project_meta",
        _judgements_table,
    ),
]

SCHEMA_VERSION = MIGRATIONS[-1][0]


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> list[int]:
    """Bring the database up to ``target``; returns the versions applied."""
    applied = []
    for version, _summary, apply in MIGRATIONS:
        if version <= schema_version(conn) or version > target:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) < version:  # another process may have migrated meanwhile
                apply(conn)
                conn.execute(f"PRAGMA user_version = {version}")
                applied.append(version)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return applied
