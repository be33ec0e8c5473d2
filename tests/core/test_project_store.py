"""The project store: provenance, transactions, schema migrations, several processes at once."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from core.errors import ProjectError
from core.project import Project, is_project
from core.project.schema import MIGRATIONS, SCHEMA_VERSION, migrate
from tests.core import rawdb

DATA = Path(__file__).parent / "data"


def pixels(seed: int, shape=(6, 7, 3)) -> np.ndarray:
    return np.random.default_rng(seed).random(shape).astype(np.float32)


def test_new_project_is_wal_with_identity(tmp_path):
    with Project.create(tmp_path / "p", name="Study") as project:
        assert rawdb.scalar(project, "PRAGMA journal_mode") == "wal"
        info = project.info()
    assert is_project(tmp_path / "p")
    assert info["name"] == "Study" and info["schema_version"] == SCHEMA_VERSION
    assert len(info["id"]) == 32 and info["created_by"].startswith("IRIS ")
    assert info["counts"] == {"images": 0, "methods": 0, "runs": 0, "results": 0, "scores": 0}


def test_opening_a_missing_project_names_the_folder(tmp_path):
    with pytest.raises(ProjectError, match="not an IRIS project"):
        Project.open(tmp_path / "absent")
    (tmp_path / "plain").mkdir()
    with pytest.raises(ProjectError, match="no iris.db"):
        Project.open(tmp_path / "plain")


def test_images_are_content_addressed_with_provenance(project):
    clean = project.add_image_array(pixels(1), name="clean", kind="imported")
    degraded = project.add_image_array(
        pixels(2),
        name="noisy",
        kind="degraded",
        parent_id=clean.id,
        meta={"recipe": {"op": "noise"}},
    )
    again = project.add_image_array(pixels(1), name="clean again", kind="imported")
    assert again.sha256 == clean.sha256 and again.file == clean.file  # one file for equal content
    assert project.image_path(clean).is_file()
    assert project.image(degraded.id).parent_id == clean.id
    assert project.image(degraded.id).meta == {"recipe": {"op": "noise"}}
    # One row per imported content (issue 14): the second import is the first image.
    assert again.id == clean.id
    assert [i.name for i in project.images(kind="imported")] == ["clean"]
    np.testing.assert_allclose(
        project.load_pixels(degraded).pixels, np.round(pixels(2) * 255) / 255, atol=1e-6
    )
    with pytest.raises(ValueError, match="unknown image kind"):
        project.add_image_array(pixels(3), name="x", kind="mystery")


def test_runs_results_and_scores(project):
    method = project.ensure_method("nlmeans", "classical", params={"h": 10})
    assert project.ensure_method("nlmeans", "classical") == method
    run = project.create_run("denoise-1", "restore", method_id=method, params={"h": 10})
    with pytest.raises(ProjectError, match="already exists"):
        project.create_run("denoise-1", "restore")
    source = project.add_image_array(pixels(4), name="in", kind="imported")
    output = project.add_image_array(
        pixels(5), name="out", kind="restored", run_id=run.id, parent_id=source.id
    )
    project.add_result(
        run.id,
        step_index=0,
        input_image_id=source.id,
        output_image_id=output.id,
        status="ok",
        seconds=0.5,
    )
    with pytest.raises(ProjectError, match="already has step 0"):
        project.add_result(run.id, step_index=0, status="ok")
    project.add_result(run.id, step_index=1, status="failed", error="blocked: IMAGE_SAFETY")
    project.set_run_status(run.id, "done")
    assert project.run("denoise-1").status == "done"
    assert [(r.step_index, r.status, r.error) for r in project.results(run.id)] == [
        (0, "ok", None),
        (1, "failed", "blocked: IMAGE_SAFETY"),
    ]
    project.put_score(output.sha256, "psnr", "1", 31.5, reference_sha256=source.sha256)
    project.put_score(output.sha256, "psnr", "1", 32.0, reference_sha256=source.sha256)
    assert project.score(output.sha256, "psnr", "1", source.sha256)["value"] == 32.0
    assert project.counts()["scores"] == 1


def test_a_failed_transaction_leaves_nothing(project):
    with pytest.raises(RuntimeError), project.transaction():
        project.ensure_method("a", "classical")
        project.create_run("r", "restore")
        raise RuntimeError("crash in the middle")
    assert project.counts()["methods"] == 0 and project.counts()["runs"] == 0


def test_view_state_round_trip(project):
    assert project.view_state("compare") is None
    project.set_view_state("compare", {"mode": "swipe", "crop": [1, 2, 3, 4]})
    assert project.view_state("compare") == {"mode": "swipe", "crop": [1, 2, 3, 4]}


def test_old_schema_is_migrated_keeping_rows(tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    conn = sqlite3.connect(folder / "iris.db")
    migrate(conn, target=1)
    conn.execute(
        "INSERT INTO methods(name, kind, created_at) VALUES ('bilateral', 'classical', 'then')"
    )
    conn.commit()
    conn.close()
    with Project.open(folder) as project:
        assert project.info()["schema_version"] == SCHEMA_VERSION
        assert [m["name"] for m in project.methods()] == ["bilateral"]
        project.set_view_state("compare", {"ok": True})  # the v2 table exists


def test_projects_written_by_earlier_versions_open(tmp_path):
    """Golden projects written by earlier IRIS versions must keep opening, rows intact."""
    goldens = sorted(DATA.glob("project_v*"))
    assert goldens, "tests/core/data must hold at least one golden project"
    for golden in goldens:
        copy = tmp_path / golden.name
        shutil.copytree(golden, copy)
        with Project.open(copy) as project:
            names = [image.name for image in project.images()]
            assert names == ["clean", "noisy"]
            assert project.load_pixels(project.images()[1]).pixels.shape == (6, 7, 3)
            assert project.results(project.run("golden-run").id)[0].status == "ok"
            if int(golden.name.removeprefix("project_v")) >= 3:  # annotations came with v3
                from core.annotations import annotations

                (flag,) = annotations(project)
                assert (flag.label, flag.region_kind, flag.severity) == ("colour_shift", "rect", 2)
                assert flag.image_id == project.images()[1].id


def test_a_project_from_a_newer_iris_is_refused_not_damaged(tmp_path):
    Project.create(tmp_path / "p").close()
    conn = sqlite3.connect(tmp_path / "p" / "iris.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="newer IRIS"):
        Project.open(tmp_path / "p")


def test_migrations_are_numbered_in_order():
    assert [version for version, _s, _f in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


WRITER = """
import sys
from core.project import Project
project = Project.open(sys.argv[1])
for i in range(int(sys.argv[3])):
    project.ensure_method(f"{sys.argv[2]}-{i}", "classical")
project.close()
"""


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    Project.create(tmp_path / "p").close()
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path / "p"), name, "60"])
        for name in ("a", "b")
    ]
    with Project.open(tmp_path / "p") as project:  # a third connection reading meanwhile
        for _ in range(20):
            project.counts()
    assert [w.wait(60) for w in writers] == [0, 0]
    with Project.open(tmp_path / "p") as project:
        names = {m["name"] for m in project.methods()}
    assert names == {f"{p}-{i}" for p in "ab" for i in range(60)}
