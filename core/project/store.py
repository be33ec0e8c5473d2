"""A project: ``iris.db`` (SQLite in WAL mode, core/project/database.py) beside its images.

Several IRIS processes and threads may open the same project at once: SQLite's
WAL mode serialises writers, every write that matters is one ``BEGIN
IMMEDIATE`` transaction, and image files are written atomically before the rows
that name them. Each thread opens its own :class:`Project` (SQLite
connections are not shared between threads).
"""

from __future__ import annotations

import contextlib
import json
import math
import sqlite3
import uuid
from collections.abc import Callable, Hashable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from core.clock import now
from core.errors import ProjectError
from core.paths import DB_NAME
from core.project.blobs import BlobStore
from core.project.database import Database
from core.project.facts import FactStore
from core.project.judgements import JudgementStore
from core.project.kinds import ImageKind, MethodKind, ResultStatus, RunKind, RunStatus, checked
from core.project.lifecycle import RunEnd, running
from core.project.ratings import RatingStore
from core.project.records import ImageRecord, ResultRecord, RunRecord
from core.project.schema import SCHEMA_VERSION, migrate, schema_version
from core.project.scores import ScoreStore
from core.project.summary import ProjectSummary
from core.project.tags import TagStore
from core.version import __version__

if TYPE_CHECKING:  # numpy and the decoders load when pixels are first read or written
    import numpy as np

    from core.imageio import ImageInfo, LoadedImage

BUSY_TIMEOUT_MS = 30_000
T = TypeVar("T")


def _finite_or_none(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite_or_none(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite_or_none(item) for item in value]
    return value


def _dumps(value: dict[str, Any] | None) -> str:
    """JSON for a column. Numbers are validated where they enter; a NaN or infinity that
    still arrives (a method's measurement) is stored as null, which SQLite's JSON reads."""
    try:
        return json.dumps(value or {}, sort_keys=True, allow_nan=False)
    except ValueError:
        return json.dumps(_finite_or_none(value or {}), sort_keys=True, allow_nan=False)


class Project(ScoreStore, TagStore, RatingStore, JudgementStore, FactStore, ProjectSummary):
    """An open project. Use :meth:`open` or :meth:`create`; close it (or use ``with``)."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self._db = Database(conn)
        self.blobs = BlobStore(path)
        self._cache: dict[Hashable, tuple[tuple[int, int], Any]] = {}

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False) -> Project:
        """Open the project at ``path``, upgrading its schema; ``create`` makes a new one."""
        root = Path(path).expanduser().resolve()
        if root.exists() and not root.is_dir():
            raise ProjectError(f"{root}: is a file, not a project folder")
        db_file = root / DB_NAME
        if not db_file.is_file():
            if not create:
                reason = "no such folder" if not root.exists() else f"no {DB_NAME} in it"
                raise ProjectError(f"{root}: not an IRIS project ({reason})")
            if root.exists() and not root.is_dir():
                raise ProjectError(f"{root}: not a folder")
            root.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(str(db_file), timeout=BUSY_TIMEOUT_MS / 1000)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise ProjectError(f"{db_file}: cannot open the project database ({exc})") from exc
        if str(mode).lower() != "wal":
            conn.close()
            raise ProjectError(f"{db_file}: the database cannot use WAL journaling here ({mode})")
        try:
            found = schema_version(conn)
            if found > SCHEMA_VERSION:
                raise ProjectError(
                    f"{root}: written by a newer IRIS (schema {found}, this IRIS knows up to "
                    f"{SCHEMA_VERSION}); update IRIS to open it"
                )
            migrate(conn)
            project = cls(root, conn)
            project._ensure_meta()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise ProjectError(f"{db_file}: damaged project database ({exc})") from exc
        except BaseException:
            conn.close()
            raise
        return project

    @classmethod
    def create(cls, path: str | Path, name: str | None = None) -> Project:
        """Create (or open, if it exists) a project folder."""
        project = cls.open(path, create=True)
        if name:
            project.set_meta("name", name)
        return project

    def _ensure_meta(self) -> None:
        """Give a new project its identity; existing values are kept."""
        if "id" in self.meta():
            return
        with self.transaction():
            for key, value in (
                ("id", uuid.uuid4().hex),
                ("created_at", now()),
                ("created_by", f"IRIS {__version__}"),
            ):
                self._db.execute(
                    "INSERT OR IGNORE INTO project_meta(key, value) VALUES (?, ?)", [key, value]
                )

    def close(self) -> None:
        self._db.conn.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and metadata -------------------------------------------------

    def change_mark(self) -> tuple[int, int]:
        """Equal marks mean the database is unchanged between them: the rows this
        connection changed, and SQLite's ``data_version`` (it moves when another
        connection, in this process or another, commits)."""
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        return self._db.conn.total_changes, int(version)

    def cached(self, key: Hashable, build: Callable[[], T]) -> T:
        """``build()``'s result, read once and kept until the database changes.

        For whole-project reads several readers need at once (display names and
        provenance: the browser's listing and the Images view's facts on opening).
        """
        mark = self.change_mark()
        hit = self._cache.get(key)
        if hit is not None and hit[0] == mark:
            return hit[1]
        value = build()
        self._cache[key] = (mark, value)
        return value

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write; nested calls become savepoints of the outer one."""
        conn = self._db.conn
        if conn.in_transaction:
            with self._db.atomic():
                yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def meta(self) -> dict[str, str]:
        return {
            row["key"]: row["value"]
            for row in self._db.query("SELECT key, value FROM project_meta")
        }

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO project_meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )

    @property
    def name(self) -> str:
        return self.meta().get("name") or self.path.name

    # -- images --------------------------------------------------------------------

    def add_image_bytes(self, data: bytes, **provenance: Any) -> ImageRecord:
        """Store an encoded image file and its row; returns the new record.

        The keywords are :meth:`import_image_bytes`'s (name, kind, info, source_path,
        parent_id, method_id, run_id, step_index, meta). An ``imported`` image whose content
        is already imported returns the existing row (the schema allows one per content).
        """
        return self.import_image_bytes(data, **provenance)[0]

    def import_image_bytes(
        self,
        data: bytes,
        *,
        name: str,
        kind: str,
        info: ImageInfo | None = None,
        source_path: str | None = None,
        parent_id: int | None = None,
        method_id: int | None = None,
        run_id: int | None = None,
        step_index: int | None = None,
        meta: dict[str, Any] | None = None,
    ) -> tuple[ImageRecord, bool]:
        """Like :meth:`add_image_bytes`, also saying whether a row was created.

        The insert is race-free: two processes importing one file create one row, the
        second gets the first's record and ``False``.
        """
        from core.imageio import format_named, read_info

        kind = checked(ImageKind, kind, "image kind")
        info = info or read_info(data, name=name)
        try:
            ext = format_named(info.format).extension
        except KeyError:
            ext = info.format.lower()
        sha, relative = self.blobs.put(data, ext)
        row = {
            "sha256": sha,
            "file": relative,
            "name": name,
            "kind": kind.value,
            "width": info.width,
            "height": info.height,
            "bit_depth": info.bit_depth,
            "format": info.format,
            "has_alpha": int(info.has_alpha),
            "has_icc": int(info.has_icc),
            "has_exif": int(info.has_exif),
            "source_path": source_path,
            "parent_id": parent_id,
            "method_id": method_id,
            "run_id": run_id,
            "step_index": step_index,
            "meta": _dumps(meta),
            "created_at": now(),
        }
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self.transaction():
            cursor = self._db.execute(
                f"INSERT INTO images({columns}) VALUES ({marks}) ON CONFLICT DO NOTHING",
                list(row.values()),
            )
            if cursor.rowcount == 1:
                return ImageRecord.from_row({"id": cursor.lastrowid, **row}), True
            existing = self.find_images(sha, kind=kind)
        if not existing:
            raise ProjectError(f"{self.path}: could not store image {name!r}")
        return existing[0], False

    def add_image_array(
        self, pixels: np.ndarray, *, name: str, kind: str, bit_depth: int = 8, **provenance: Any
    ) -> ImageRecord:
        """Encode canonical float pixels as PNG and store them like :meth:`add_image_bytes`."""
        from core.imageio import encode_png

        data = encode_png(pixels, bit_depth)
        return self.add_image_bytes(data, name=name, kind=kind, **provenance)

    def image(self, image_id: int) -> ImageRecord:
        rows = list(self._db.query("SELECT * FROM images WHERE id = ?", [image_id]))
        if not rows:
            raise ProjectError(f"{self.path}: no image with id {image_id}")
        return ImageRecord.from_row(rows[0])

    def images(self, kind: str | None = None, run_id: int | None = None) -> list[ImageRecord]:
        clauses, params = [], []
        if kind is not None:
            clauses.append("kind = ?")
            params.append(kind)
        if run_id is not None:
            clauses.append("run_id = ?")
            params.append(run_id)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"SELECT * FROM images {where} ORDER BY id"
        return [ImageRecord.from_row(row) for row in self._db.query(sql, params)]

    def find_images(self, sha256: str, kind: str | None = None) -> list[ImageRecord]:
        sql = "SELECT * FROM images WHERE sha256 = ?" + (" AND kind = ?" if kind else "")
        params = [sha256, kind] if kind else [sha256]
        return [ImageRecord.from_row(row) for row in self._db.query(sql + " ORDER BY id", params)]

    def image_path(self, image: ImageRecord | int) -> Path:
        record = image if isinstance(image, ImageRecord) else self.image(image)
        return self.path / record.file

    def load_pixels(self, image: ImageRecord | int) -> LoadedImage:
        from core.imageio import load_image

        record = image if isinstance(image, ImageRecord) else self.image(image)
        return load_image(self.image_path(record), name=f"{record.name} ({record.file})")

    # -- methods and runs ------------------------------------------------------------

    def ensure_method(
        self,
        name: str,
        kind: str,
        params: dict[str, Any] | None = None,
        meta: dict[str, Any] | None = None,
    ) -> int:
        """The id of method ``name``, creating it on first use (``kind`` a MethodKind)."""
        kind = checked(MethodKind, kind, "method kind")
        with self.transaction():
            found = list(self._db.query("SELECT id FROM methods WHERE name = ?", [name]))
            if found:
                return int(found[0]["id"])
            row = {
                "name": name,
                "kind": kind.value,
                "params": _dumps(params),
                "meta": _dumps(meta),
                "created_at": now(),
            }
            return int(self._db["methods"].insert(row).last_pk)

    def methods(self) -> list[dict[str, Any]]:
        return [
            {**row, "params": json.loads(row["params"]), "meta": json.loads(row["meta"])}
            for row in self._db.query("SELECT * FROM methods ORDER BY id")
        ]

    def create_run(
        self,
        name: str,
        kind: str,
        *,
        method_id: int | None = None,
        params: dict[str, Any] | None = None,
        group_name: str | None = None,
        status: str = RunStatus.PENDING,
    ) -> RunRecord:
        """A new run row (``kind`` a RunKind); a name already taken raises ProjectError."""
        kind = checked(RunKind, kind, "run kind")
        status = checked(RunStatus, status, "run status")
        stamp = now()
        row = {
            "name": name,
            "kind": kind.value,
            "method_id": method_id,
            "group_name": group_name,
            "params": _dumps(params),
            "status": status.value,
            "error": None,
            "created_at": stamp,
            "updated_at": stamp,
        }
        try:
            with self.transaction():
                run_id = self._db["runs"].insert(row).last_pk
        except sqlite3.IntegrityError as exc:
            raise ProjectError(f"{self.path}: a run called {name!r} already exists") from exc
        return RunRecord.from_row({"id": run_id, **row})

    def set_run_status(self, run_id: int, status: str, error: str | None = None) -> None:
        """Write a run's status; a run doing work moves through :meth:`running` instead."""
        status = checked(RunStatus, status, "run status")
        with self.transaction():
            self._db.execute(
                "UPDATE runs SET status = ?, error = ?, updated_at = ? WHERE id = ?",
                [status.value, error, now(), run_id],
            )

    def running(self, run_id: int) -> contextlib.AbstractContextManager[RunEnd]:
        """The run lifecycle: ``running`` now, then done / cancelled / failed / blocked.

        See :func:`core.project.lifecycle.running`.
        """
        return running(self, run_id)

    def set_run_params(self, run_id: int, params: dict[str, Any]) -> None:
        """Replace a run's ``params`` (a resume asking for more steps raises its target)."""
        with self.transaction():
            self._db.execute(
                "UPDATE runs SET params = ?, updated_at = ? WHERE id = ?",
                [_dumps(params), now(), run_id],
            )

    def run(self, name_or_id: str | int) -> RunRecord:
        column = "id" if isinstance(name_or_id, int) else "name"
        rows = list(self._db.query(f"SELECT * FROM runs WHERE {column} = ?", [name_or_id]))
        if not rows:
            raise ProjectError(f"{self.path}: no run {name_or_id!r}")
        return RunRecord.from_row(rows[0])

    def runs(self) -> list[RunRecord]:
        return [RunRecord.from_row(row) for row in self._db.query("SELECT * FROM runs ORDER BY id")]

    def add_result(
        self,
        run_id: int,
        *,
        status: str,
        step_index: int | None = None,
        input_image_id: int | None = None,
        output_image_id: int | None = None,
        error: str | None = None,
        seconds: float | None = None,
        started_at: str | None = None,
        meta: dict[str, Any] | None = None,
    ) -> ResultRecord:
        """Record one result of a run, committed at once."""
        status = checked(ResultStatus, status, "result status")
        row = {
            "run_id": run_id,
            "step_index": step_index,
            "input_image_id": input_image_id,
            "output_image_id": output_image_id,
            "status": status.value,
            "error": error,
            "seconds": seconds,
            "started_at": started_at,
            "finished_at": now(),
            "meta": _dumps(meta),
        }
        try:
            with self.transaction():
                result_id = self._db["results"].insert(row).last_pk
        except sqlite3.IntegrityError as exc:
            raise ProjectError(f"{self.path}: run {run_id} already has step {step_index}") from exc
        return ResultRecord.from_row({"id": result_id, **row})

    def results(self, run_id: int) -> list[ResultRecord]:
        sql = "SELECT * FROM results WHERE run_id = ? ORDER BY step_index, id"
        return [ResultRecord.from_row(row) for row in self._db.query(sql, [run_id])]

    def delete_result(self, result_id: int) -> None:
        """Drop one result (a resumed run tries its failed last step again)."""
        with self.transaction():
            self._db.execute("DELETE FROM results WHERE id = ?", [result_id])

    def step_counts(self) -> dict[int, tuple[int, int]]:
        """run id -> (steps ok, steps stored), counting the steps after step 0 (the input)."""
        sql = (
            "SELECT run_id, sum(status = 'ok') AS ok, count(*) AS n FROM results "
            "WHERE step_index > 0 GROUP BY run_id"
        )
        return {row["run_id"]: (int(row["ok"] or 0), row["n"]) for row in self._db.query(sql)}

    def runs_with_output(self, image_id: int) -> list[int]:
        """Ids of the runs with a result whose output is image ``image_id``, in order."""
        sql = "SELECT DISTINCT run_id FROM results WHERE output_image_id = ? ORDER BY run_id"
        return [int(row["run_id"]) for row in self._db.query(sql, [image_id])]

    def image_methods(self) -> dict[int, str | None]:
        """image id -> the name of the method that made it (its own, else its run's), or None."""
        sql = (
            "SELECT images.id AS id, coalesce(m1.name, m2.name) AS method FROM images "
            "LEFT JOIN methods m1 ON m1.id = images.method_id "
            "LEFT JOIN runs ON runs.id = images.run_id "
            "LEFT JOIN methods m2 ON m2.id = runs.method_id"
        )
        return {row["id"]: row["method"] for row in self._db.query(sql)}

    # -- view state ------------------------------------------------------------------

    def view_state(self, view: str) -> dict[str, Any] | None:
        rows = list(self._db.query("SELECT state FROM view_state WHERE view = ?", [view]))
        return json.loads(rows[0]["state"]) if rows else None

    def set_view_state(self, view: str, state: dict[str, Any]) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO view_state(view, state, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(view) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at",
                [view, _dumps(state), now()],
            )
