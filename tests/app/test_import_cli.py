"""``iris import`` with hostile arguments: each bad path is refused alone, never the whole import."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
from PIL import Image

from core.project import Project
from tests.core.imageio.bombs import EPS_LOOP, png_bomb


def iris(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=120
    )


def test_a_missing_path_does_not_stop_the_others(tmp_path):
    Image.fromarray(np.full((6, 7, 3), 40, np.uint8)).save(tmp_path / "good.png")
    Image.fromarray(np.full((6, 7, 3), 90, np.uint8)).save(tmp_path / "good.bmp")
    result = iris(
        "import",
        "--project",
        str(tmp_path / "p"),
        str(tmp_path / "good.png"),
        str(tmp_path / "nope.png"),
        str(tmp_path / "good.bmp"),
        "--json",
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert len(report["imported"]) == 2
    assert [e["path"] for e in report["errors"]] == [str(tmp_path / "nope.png")]
    assert "missing" in report["errors"][0]["error"]
    with Project.open(tmp_path / "p") as project:
        assert sorted(r.format for r in project.images()) == ["BMP", "PNG"]


def test_hostile_files_in_a_folder_are_refused_one_by_one(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    Image.fromarray(np.full((6, 7, 3), 40, np.uint8)).save(folder / "a_good.png")
    (folder / "b_postscript.png").write_bytes(EPS_LOOP)
    png_bomb(folder / "c_bomb.png", 30000, 30000, rows=10)
    result = iris("import", "--project", str(tmp_path / "p"), str(folder), "--json")
    report = json.loads(result.stdout)
    assert len(report["imported"]) == 1
    reasons = {e["path"].rsplit("/", 1)[1]: e["error"] for e in report["errors"]}
    assert "not-an-image" in reasons["b_postscript.png"]
    assert "too-large" in reasons["c_bomb.png"]


def test_project_naming_a_file_is_one_line(tmp_path):
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("hello")
    Image.fromarray(np.full((6, 7, 3), 40, np.uint8)).save(tmp_path / "good.png")
    for command in (
        ["import", "--project", str(not_a_folder), str(tmp_path / "good.png")],
        ["info", "--project", str(not_a_folder)],
    ):
        result = iris(*command)
        assert result.returncode == 1, result
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "is a file, not a project folder" in lines[0], lines
    assert not_a_folder.read_text() == "hello"
