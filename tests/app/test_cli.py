"""The iris command: JSON outputs, one-line errors, and the screenshot mode of the GUI."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
from PIL import Image

from core.project import Project
from core.version import __version__


def iris(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=timeout
    )


def test_version():
    result = iris("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"IRIS {__version__}"


def test_import_and_info_json(tmp_path):
    for i in range(2):
        Image.fromarray(np.full((10, 12, 3), 50 * i, np.uint8)).save(tmp_path / f"x{i}.png")
    result = iris(
        "import",
        "--project",
        str(tmp_path / "proj"),
        str(tmp_path / "x0.png"),
        str(tmp_path / "x1.png"),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert len(report["imported"]) == 2 and report["errors"] == [] and report["duplicates"] == []
    info = json.loads(iris("info", "--project", str(tmp_path / "proj"), "--json").stdout)
    assert info["counts"]["images"] == 2 and info["images_by_kind"] == {"imported": 2}
    assert set(info) == {
        "path",
        "name",
        "id",
        "schema_version",
        "created_at",
        "created_by",
        "counts",
        "images_by_kind",
        "runs_by_status",
    }


def test_import_reports_refused_files_with_nonzero_exit(tmp_path):
    (tmp_path / "fake.png").write_text("hello")
    result = iris("import", "--project", str(tmp_path / "p"), str(tmp_path / "fake.png"), "--json")
    assert result.returncode == 1
    errors = json.loads(result.stdout)["errors"]
    assert "fake.png" in errors[0]["error"] and "not-an-image" in errors[0]["error"]


def test_unknown_flag_is_one_line_and_exit_2():
    result = iris("info", "--project", "x", "--bogus")
    assert result.returncode == 2
    assert (
        len(result.stderr.strip().splitlines()) == 1
        and "unrecognized arguments: --bogus" in result.stderr
    )


def test_bad_project_path_is_one_line_and_nonzero(tmp_path):
    result = iris("info", "--project", str(tmp_path / "missing"), "--json")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"iris: error: {(tmp_path / 'missing').resolve()}: not an IRIS project (no such folder)"
    ]
    result = iris(
        "gui", "--project", str(tmp_path / "missing"), "--screenshot", str(tmp_path / "s.png")
    )
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1
    result = iris("import", "--project", str(tmp_path / "p"), str(tmp_path / "nope.png"))
    assert result.returncode == 1 and "nope.png: missing (no such file)" in result.stdout
    assert "Traceback" not in result.stderr


def test_unknown_view_lists_known_views(tmp_path):
    result = iris("gui", "--view", "nope", "--screenshot", str(tmp_path / "s.png"))
    assert result.returncode == 1 and "known:" in result.stderr and "images" in result.stderr


def test_gui_screenshot_of_the_sample_project_on_first_launch(tmp_path):
    shot = tmp_path / "shot.png"
    result = iris("gui", "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    pixels = np.asarray(Image.open(shot).convert("RGB"))
    assert pixels.shape[0] > 400 and pixels.shape[1] > 600 and pixels.std() > 10
    # the sample project was built in the user's data folder and is now the last project
    result = iris("gui", "--view", "images", "--screenshot", str(tmp_path / "again.png"))
    assert result.returncode == 0 and (tmp_path / "again.png").is_file()


def test_gui_sample_flag_opens_the_sample_even_after_another_project(tmp_path):
    with Project.create(tmp_path / "p", name="Other") as project:
        project.add_image_array(np.zeros((8, 8, 3), np.float32), name="black", kind="imported")
    assert (
        iris(
            "gui", "--project", str(tmp_path / "p"), "--screenshot", str(tmp_path / "a.png")
        ).returncode
        == 0
    )
    assert iris("gui", "--sample", "--screenshot", str(tmp_path / "b.png")).returncode == 0
    assert iris("gui", "--sample", "--project", str(tmp_path / "p")).returncode == 2
    from app.settings import Settings

    assert Settings().last_project.endswith("sample-project")


def test_gui_opens_a_given_project(tmp_path):
    with Project.create(tmp_path / "p", name="Mine") as project:
        project.add_image_array(np.full((32, 32, 3), 0.5, np.float32), name="grey", kind="imported")
    result = iris("gui", "--project", str(tmp_path / "p"), "--screenshot", str(tmp_path / "s.png"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "s.png").stat().st_size > 1000


def test_new_refuses_a_non_empty_folder(tmp_path):
    (tmp_path / "stuff").mkdir()
    (tmp_path / "stuff" / "file.txt").write_text("x")
    result = iris("new", str(tmp_path / "stuff"))
    assert result.returncode == 1 and "not empty" in result.stderr
    assert iris("new", str(tmp_path / "fresh"), "--name", "Fresh").returncode == 0
    assert (
        json.loads(iris("info", "--project", str(tmp_path / "fresh"), "--json").stdout)["name"]
        == "Fresh"
    )


def test_each_command_module_registers_exactly_the_names_listed_for_it():
    import argparse
    import importlib

    from app.cli import COMMAND_MODULES, COMMANDS

    registered = {}
    for module_name in COMMAND_MODULES:
        subparsers = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(module_name).add_parser(subparsers)
        registered.update(dict.fromkeys(subparsers.choices, module_name))
    assert registered == COMMANDS
    assert list(registered) == list(COMMANDS)  # `iris --help` keeps this order


def test_a_command_builds_only_its_own_parser_and_help_lists_every_command():
    script = (
        "import sys\n"
        "from app.cli import COMMANDS, build_parser\n"
        "parser = build_parser('gui')\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('app.commands.'))\n"
        "print(loaded)\n"
        "print(len(build_parser()._subparsers._group_actions[0].choices) == len(COMMANDS))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["['app.commands.gui']", "True"]
