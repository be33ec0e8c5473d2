"""``iris iterate --schedule mirror|reconstruct`` then ``iris runs show``: performed, inputs, 2K."""

from __future__ import annotations

import json
import subprocess
import sys

from app.cli import build_parser
from core.imageio import save_png
from core.iterate.schedules import DEFAULT_IMAGE_SIZE
from tests.core.methods.synthetic import scene


def iris(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=120
    )


def new_project(tmp_path) -> tuple[str, str]:
    image = tmp_path / "chart.png"
    save_png(image, scene(48, seed=4)[:, :40])  # not square, not symmetric
    project = tmp_path / "project"
    assert iris("new", str(project)).returncode == 0
    return str(project), str(image)


def show(project: str, run: str) -> dict:
    shown = iris("runs", "show", "--project", project, "--run", run, "--json")
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


def test_mirror_then_runs_show_json_has_transform_performed(tmp_path):
    project, image = new_project(tmp_path)
    for group, follow in (("faithful", "true"), ("lazy", "false")):
        done = iris(
            "iterate", "--project", project, "--editor", "generation-loss", "--steps", "3",
            "--schedule", "mirror", "--seed", "2", "--param", f"follow_prompt={follow}",
            "--run", group, image,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
    faithful, lazy = show(project, "faithful-r1"), show(project, "lazy-r1")
    assert faithful["steps"][0]["transform_performed"] is None  # the input asks nothing
    assert [s["transform_performed"] for s in faithful["steps"][1:]] == [True] * 3
    assert [s["transform_performed"] for s in lazy["steps"][1:]] == [False] * 3
    correlation = lazy["steps"][1]["transform_correlation"]
    assert correlation["untransformed"] > correlation["expected"]
    assert [s["inputs"] for s in faithful["steps"]] == [[], [0], [1], [2]]
    text = iris("runs", "show", "--project", project, "--run", "lazy-r1")
    assert text.stdout.count("transform NOT performed") == 3, text.stdout


def test_reconstruct_from_the_command_line_records_both_inputs(tmp_path):
    project, image = new_project(tmp_path)
    done = iris(
        "iterate", "--project", project, "--editor", "generation-loss", "--steps", "3",
        "--schedule", "reconstruct", "--seed-per-step", "1", "--run", "rec", image,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    summary = show(project, "rec-r1")
    assert [s["inputs"] for s in summary["steps"]] == [[], [0], [0], [1, 2]]
    assert all(s["transform_performed"] is None for s in summary["steps"])
    text = iris("runs", "show", "--project", project, "--run", "rec-r1")
    assert "[from steps 1,2]" in text.stdout and "[from steps 0]" in text.stdout
    refused = iris(
        "iterate", "--project", project, "--editor", "generation-loss", "--steps", "3",
        "--schedule", "reconstruct", "--prompt", "B100-REPLICA", "--run", "bad", image,
    )  # fmt: skip
    assert refused.returncode != 0 and "takes no --prompt" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_the_image_size_defaults_to_banana100s_2k():
    assert DEFAULT_IMAGE_SIZE == "2K"
    args = build_parser().parse_args(
        ["iterate", "--project", "p", "--editor", "gemini", "--steps", "1", "x.png"]
    )
    assert args.image_size == "2K"
