"""The project store at its edges: refused and damaged folders, NaN in JSON columns, unknown
image formats, missing rows named in the error, run params, step counts, methods per image."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import ProjectError
from core.imageio import encode_png, read_info
from core.paths import DB_NAME
from core.project import Project
from tests.core import rawdb


def pixels(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).random((4, 5, 3)).astype(np.float32)


def test_a_file_where_the_folder_should_be_is_refused_naming_it(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    for create in (False, True):
        with pytest.raises(ProjectError, match=r"notes\.txt: is a file, not a project folder$"):
            Project.open(path, create=create)
    assert path.read_text() == "hello"


def test_a_database_file_that_is_not_sqlite_is_refused_naming_it(tmp_path):
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / DB_NAME).write_bytes(b"not a database " * 300)
    with pytest.raises(ProjectError, match=r"iris\.db: cannot open the project database \("):
        Project.open(folder)


def test_a_database_with_a_damaged_table_page_is_refused_naming_it(tmp_path):
    """The header and schema read fine, the project_meta page is garbage."""
    folder = tmp_path / "p"
    Project.create(folder, name="kept").close()
    rawdb.checkpoint(folder)
    root = rawdb.scalar(folder, "SELECT rootpage FROM sqlite_master WHERE name = 'project_meta'")
    size = rawdb.scalar(folder, "PRAGMA page_size")
    for side in folder.glob(f"{DB_NAME}-*"):
        side.unlink()
    data = bytearray((folder / DB_NAME).read_bytes())
    data[(root - 1) * size : root * size] = b"\xff" * size
    (folder / DB_NAME).write_bytes(bytes(data))
    with pytest.raises(ProjectError, match=r"iris\.db: damaged project database \(.*malformed"):
        Project.open(folder)


def test_create_on_an_existing_project_reopens_it_keeping_its_identity(tmp_path):
    with Project.create(tmp_path / "p", name="first") as project:
        identity = project.meta()["id"]
    with Project.create(tmp_path / "p") as project:
        assert project.meta()["id"] == identity and project.name == "first"
        project.set_meta("name", "")
        assert project.name == "p"  # an empty name falls back to the folder's


def test_nan_and_infinity_in_json_columns_are_stored_as_null(project):
    meta = {
        "nan": float("nan"),
        "ok": 1.5,
        "nested": {"values": [1.0, float("inf"), (2.0, float("-inf"))], "text": "t"},
    }
    image = project.add_image_array(pixels(1), name="a", kind="imported", meta=meta)
    assert project.image(image.id).meta == {
        "nan": None,
        "ok": 1.5,
        "nested": {"values": [1.0, None, [2.0, None]], "text": "t"},
    }
    method = project.ensure_method("m", "classical", params={"h": float("nan"), "k": 3})
    assert project.methods()[0]["id"] == method
    assert project.methods()[0]["params"] == {"h": None, "k": 3}
    assert project.methods()[0]["meta"] == {}


def test_an_image_of_a_format_without_a_registered_name_keeps_its_own_extension(project):
    data = encode_png(pixels(2))
    info = read_info(data, name="a.png")
    odd = type(info)(**{**info.__dict__, "format": "XYZ"})
    record = project.add_image_bytes(data, name="odd", kind="imported", info=odd)
    assert record.file.endswith(".xyz") and record.format == "XYZ"
    assert project.image_path(record).read_bytes() == data


def test_missing_images_and_runs_are_errors_naming_the_project_and_the_key(project):
    with pytest.raises(ProjectError, match=r"project: no image with id 9999$"):
        project.image(9999)
    with pytest.raises(ProjectError, match=r"project: no run 'absent'$"):
        project.run("absent")
    with pytest.raises(ProjectError, match=r"project: no run 42$"):
        project.run(42)


def test_runs_params_and_results_round_trip(project):
    first = project.create_run("one", "restore", params={"steps": 2})
    second = project.create_run("two", "iterate", status="running")
    assert [(r.name, r.kind, r.status) for r in project.runs()] == [
        ("one", "restore", "pending"),
        ("two", "iterate", "running"),
    ]
    assert project.run(first.id).name == "one"
    project.set_run_params(first.id, {"steps": 5, "nan": float("nan")})
    assert project.run("one").params == {"steps": 5, "nan": None}
    assert project.run("two").params == {}
    kept = project.add_result(second.id, status="ok", step_index=0)
    dropped = project.add_result(second.id, status="failed", step_index=1, error="x")
    project.delete_result(dropped.id)
    assert [r.id for r in project.results(second.id)] == [kept.id]
    project.add_result(second.id, status="ok", step_index=1)  # the step can be stored again
    assert [r.step_index for r in project.results(second.id)] == [0, 1]


def test_step_counts_count_the_steps_after_the_input(project):
    chain = project.create_run("chain", "iterate")
    failed = project.create_run("failed", "iterate")
    only_input = project.create_run("input only", "iterate")
    project.add_result(chain.id, status="ok", step_index=0)
    project.add_result(chain.id, status="ok", step_index=1)
    project.add_result(chain.id, status="ok", step_index=2)
    project.add_result(chain.id, status="failed", step_index=3, error="blocked")
    project.add_result(failed.id, status="failed", step_index=1, error="quota")
    project.add_result(only_input.id, status="ok", step_index=0)
    assert project.step_counts() == {chain.id: (2, 3), failed.id: (0, 1)}


def test_each_image_takes_its_own_method_else_its_runs(project):
    own = project.ensure_method("own", "classical")
    made = project.ensure_method("made", "model")
    run = project.create_run("r", "restore", method_id=made)
    bare = project.create_run("bare", "restore")
    a = project.add_image_array(pixels(1), name="a", kind="imported")
    b = project.add_image_array(pixels(2), name="b", kind="restored", run_id=run.id)
    c = project.add_image_array(pixels(3), name="c", kind="restored", run_id=run.id, method_id=own)
    d = project.add_image_array(pixels(4), name="d", kind="restored", run_id=bare.id)
    assert project.image_methods() == {a.id: None, b.id: "made", c.id: "own", d.id: None}


def test_images_filter_by_kind_and_run_and_runs_are_found_by_their_outputs(project):
    run = project.create_run("r", "iterate")
    other = project.create_run("o", "iterate")
    a = project.add_image_array(pixels(1), name="a", kind="imported")
    s1 = project.add_image_array(pixels(2), name="s1", kind="step", run_id=run.id, step_index=1)
    s2 = project.add_image_array(pixels(3), name="s2", kind="step", run_id=other.id, step_index=1)
    r = project.add_image_array(pixels(4), name="r", kind="restored", run_id=run.id)
    assert [i.id for i in project.images(run_id=run.id)] == [s1.id, r.id]
    assert [i.id for i in project.images(kind="step", run_id=run.id)] == [s1.id]
    assert [i.id for i in project.images(kind="step")] == [s1.id, s2.id]
    assert [i.id for i in project.images()] == [a.id, s1.id, s2.id, r.id]
    project.add_result(other.id, status="ok", step_index=0, output_image_id=a.id)
    project.add_result(run.id, status="ok", step_index=0, output_image_id=a.id)
    project.add_result(run.id, status="ok", output_image_id=a.id)
    assert project.runs_with_output(a.id) == [run.id, other.id]
    assert project.runs_with_output(r.id) == []


def test_a_run_done_in_running_is_marked_done(project):
    run = project.create_run("r", "restore")
    with project.running(run.id):
        assert project.run(run.id).status == "running"
    assert (project.run(run.id).status, project.run(run.id).error) == ("done", None)
