"""``iris annotations export|import|summary`` end to end, through the real CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from core.annotations import add, mark_reviewed
from core.project import Project
from tests.core.annotations.conftest import add_images


def iris(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.getcwd())
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.mark.parametrize("fmt", ["csv", "json", "coco"])
def test_export_import_summary(tmp_path, fmt):
    source, target = tmp_path / "a", tmp_path / "b"
    with Project.create(source) as project:
        images = add_images(project, 3)
        add(project, images[0], label="colour_shift", annotator="ann", region_kind="rect",
            region={"x": 1, "y": 1, "w": 4, "h": 4})  # fmt: skip
        add(project, images[2], label="object_insertion", annotator="ann", severity=2)
        mark_reviewed(project, images[1].id, "ann")
    with Project.create(target) as project:
        add_images(project, 3)
    out = tmp_path / f"ann.{fmt}"
    done = iris(
        "annotations", "export", "--project", str(source), "--format", fmt, "--out", str(out)
    )
    assert done.returncode == 0, done.stderr
    assert "exported 2 annotations" in done.stdout and out.is_file()
    done = iris("annotations", "import", "--project", str(target), str(out), "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 2
    done = iris("annotations", "summary", "--project", str(target), "--json")
    summary = json.loads(done.stdout)
    assert summary["annotations"] == 2
    assert summary["by_label"] == {"colour_shift": 1, "object_insertion": 1}
    assert summary["by_label_method"] == {
        "colour_shift": {"(none)": 1},
        "object_insertion": {"(none)": 1},
    }
    assert summary["annotators"] == ["ann"]


def test_errors_are_one_line(tmp_path):
    Project.create(tmp_path / "p").close()
    done = iris("annotations", "import", "--project", str(tmp_path / "p"), str(tmp_path / "no.csv"))
    assert done.returncode == 1 and done.stderr.strip().startswith("iris: error:")
    assert "no.csv: no such file" in done.stderr
    done = iris("annotations", "export", "--project", str(tmp_path / "p"), "--format", "xml",
                "--out", "x")  # fmt: skip
    assert done.returncode == 2


def test_taxonomy_set_and_reset(tmp_path):
    Project.create(tmp_path / "p").close()
    custom = tmp_path / "labels.json"
    custom.write_text(json.dumps({"groups": [{"id": "g", "labels": [{"id": "halo"}]}]}))
    done = iris("annotations", "taxonomy", "--project", str(tmp_path / "p"), "--set", str(custom))
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["groups"][0]["labels"] == [{"id": "halo", "title": "halo"}]
    done = iris("annotations", "taxonomy", "--project", str(tmp_path / "p"), "--reset")
    assert len(json.loads(done.stdout)["groups"]) == 3
    custom.write_text(json.dumps({"groups": []}))
    done = iris("annotations", "taxonomy", "--project", str(tmp_path / "p"), "--set", str(custom))
    assert done.returncode == 1 and "no groups" in done.stderr
