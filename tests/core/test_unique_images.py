"""One row per imported image content: race-free inserts and a migration that merges old duplicates."""

from __future__ import annotations

import multiprocessing
import sqlite3

import numpy as np
import pytest
from PIL import Image

from core.imageio import encode_png
from core.project import Project
from core.project.importer import import_paths
from core.project.schema import migrate
from tests.core import rawdb


def _files(folder, count: int) -> list:
    folder.mkdir()
    paths = []
    for i in range(count):
        path = folder / f"img{i:02d}.png"
        Image.fromarray(np.full((4, 5, 3), i * 9, np.uint8)).save(path)
        paths.append(path)
    return paths


def test_the_check_then_insert_window_cannot_duplicate(project, tmp_path, monkeypatch):
    data = encode_png(np.full((4, 4, 3), 0.5, np.float32))
    first, created = project.import_image_bytes(data, name="a", kind="imported")
    assert created
    # A second process that checked before the first committed goes straight to the insert.
    second, created_again = project.import_image_bytes(data, name="a-again", kind="imported")
    assert not created_again and second.id == first.id
    assert len(project.find_images(first.sha256)) == 1
    # Other kinds keep one row per provenance: the same pixels restored twice are two results.
    project.add_image_bytes(data, name="out1", kind="restored", parent_id=first.id)
    project.add_image_bytes(data, name="out2", kind="restored", parent_id=first.id)
    assert len(project.find_images(first.sha256, kind="restored")) == 2


def _import_worker(project_dir, paths, barrier) -> None:
    barrier.wait()
    import_paths(project_dir, paths)


def test_two_processes_importing_the_same_files_make_one_row_each(tmp_path):
    paths = _files(tmp_path / "in", 12)
    project_dir = tmp_path / "p"
    Project.create(project_dir).close()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    workers = [
        context.Process(target=_import_worker, args=(project_dir, paths, barrier)) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with Project.open(project_dir) as project:
        rows = project.images(kind="imported")
        assert len(rows) == len(paths)
        assert len({r.sha256 for r in rows}) == len(paths)


def test_migration_merges_duplicates_and_enforces_uniqueness(tmp_path):
    root = tmp_path / "old"
    Project.create(root).close()
    conn = sqlite3.connect(root / "iris.db")
    conn.execute("PRAGMA user_version = 3")
    conn.execute("DROP INDEX images_imported_sha256")
    conn.execute("DROP TABLE image_tags")  # migration 5 runs again too
    conn.execute("DROP TABLE ratings")
    conn.execute("DROP TABLE judgements")  # and migration 6
    row = (
        "INSERT INTO images(sha256, file, name, kind, width, height, bit_depth, format, "
        "created_at, parent_id) VALUES (?, 'f.png', ?, ?, 4, 4, 8, 'PNG', 'now', ?)"
    )
    conn.execute(row, ["aa", "first", "imported", None])
    conn.execute(row, ["aa", "second", "imported", None])
    conn.execute(row, ["bb", "other", "imported", None])
    conn.execute(row, ["cc", "child", "degraded", 2])
    conn.execute(
        "INSERT INTO annotations(uuid, image_id, image_sha256, label, annotator, region_kind, "
        "created_at, updated_at) VALUES ('u1', 2, 'aa', 'x', 'me', 'rect', 'now', 'now')"
    )
    conn.execute("INSERT INTO review_marks VALUES (1, 'me', 'then')")
    conn.execute("INSERT INTO review_marks VALUES (2, 'me', 'now')")
    conn.execute("INSERT INTO review_marks VALUES (2, 'you', 'now')")
    conn.commit()
    conn.close()

    with Project.open(root) as project:
        names = sorted(r.name for r in project.images())
        assert names == ["child", "first", "other"]
        child = next(r for r in project.images() if r.name == "child")
        assert child.parent_id == 1
        marks = rawdb.rows(project, "SELECT image_id, annotator FROM review_marks ORDER BY 2")
        assert [(m["image_id"], m["annotator"]) for m in marks] == [(1, "me"), (1, "you")]
        ann = rawdb.rows(project, "SELECT image_id FROM annotations")
        assert ann == [{"image_id": 1}]
    conn = sqlite3.connect(root / "iris.db")  # an old IRIS's insert: the schema refuses it
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute(row, ["aa", "third", "imported", None])
    conn.close()


def test_a_new_project_is_at_the_latest_schema(tmp_path):
    with Project.create(tmp_path / "new") as project:
        indexes = {r["name"] for r in rawdb.rows(project, "SELECT name FROM sqlite_master")}
        assert "images_imported_sha256" in indexes
    conn = sqlite3.connect(tmp_path / "new" / "iris.db")
    assert migrate(conn) == []
    conn.close()
