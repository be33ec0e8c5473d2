"""``iris iterate`` and ``iris runs`` from the command line, including a SIGKILL mid-run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from app.cli import main
from core.imageio import save_png
from tests.core.methods.synthetic import scene

STEPS = 12


def make_project(tmp_path) -> tuple[Path, Path]:
    image = tmp_path / "chart.png"
    save_png(image, scene(48, seed=4))
    project = tmp_path / "project"
    assert main(["new", str(project)]) == 0
    return project, image


def committed(project: Path, run: str) -> int:
    """Steps of ``run`` committed so far (read by another process, as the GUI would)."""
    with sqlite3.connect(project / "iris.db", timeout=10) as conn:
        row = conn.execute(
            "SELECT count(*) FROM results JOIN runs ON runs.id = results.run_id "
            "WHERE runs.name = ? AND step_index > 0",
            [run],
        ).fetchone()
    return int(row[0])


def iterate_args(project: Path, image: Path, *extra: str) -> list[str]:
    return [
        "iterate", "--project", str(project), "--editor", "generation-loss", "--steps",
        str(STEPS), "--seed-per-step", "3", "--run", "crash", *extra, str(image),
    ]  # fmt: skip


def test_sigkill_mid_run_then_resume_gives_exactly_n_steps(tmp_path):
    project, image = make_project(tmp_path)
    args = iterate_args(project, image, "--param", "delay_s=0.2", "--param", "quality=70")
    process = subprocess.Popen(
        [sys.executable, "-m", "app", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and committed(project, "crash-r1") < 4:
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    done_before = committed(project, "crash-r1")
    assert 4 <= done_before < STEPS
    capture = subprocess.run(
        [sys.executable, "-m", "app", "runs", "show", "--project", str(project), "--run",
         "crash-r1", "--json"], capture_output=True, text=True, check=True,
    )  # fmt: skip
    before = json.loads(capture.stdout)
    assert before["status"] == "running", "a killed run stays 'running' until resumed"
    files = {s["index"]: Path(s["image"]).read_bytes() for s in before["steps"]}

    resumed = subprocess.run(
        [sys.executable, "-m", "app", *args, "--resume"], capture_output=True, text=True
    )
    assert resumed.returncode == 0, resumed.stderr
    lines = [json.loads(line) for line in resumed.stdout.splitlines()]
    assert [x["index"] for x in lines if x["event"] == "step"] == list(
        range(done_before + 1, STEPS + 1)
    )
    assert lines[-1]["event"] == "run" and lines[-1]["status"] == "done"

    assert main(["runs", "show", "--project", str(project), "--run", "crash-r1", "--json"]) == 0
    shown = subprocess.run(
        [sys.executable, "-m", "app", "runs", "show", "--project", str(project), "--run",
         "crash-r1", "--json"], capture_output=True, text=True, check=True,
    )  # fmt: skip
    after = json.loads(shown.stdout)
    assert after["status"] == "done" and after["editor"] == "generation-loss"
    assert [s["index"] for s in after["steps"]] == list(range(STEPS + 1))
    assert {s["status"] for s in after["steps"]} == {"ok"}
    for index, data in files.items():
        assert Path(after["steps"][index]["image"]).read_bytes() == data
    step = after["steps"][1]
    assert set(step) >= {"index", "status", "image", "width", "height", "thoughts", "error",
                         "seconds"}  # fmt: skip
    assert (step["width"], step["height"]) == (48, 48) and step["thoughts"]


def test_runs_list_json_and_a_group_of_runs(tmp_path, capsys):
    project, image = make_project(tmp_path)
    args = ["iterate", "--project", str(project), "--editor", "generation-loss", "--steps", "2",
            "--schedule", "rotate", "--seed", "5", "--runs", "3", "--run", "rot",
            "--image-size", "cycle", str(image)]  # fmt: skip
    capsys.readouterr()
    assert main(args) == 0
    runs_printed = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["run"] for r in runs_printed if r["event"] == "run"] == ["rot-r1", "rot-r2", "rot-r3"]
    assert main(["runs", "list", "--project", str(project), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["run"], r["group"], r["status"], r["completed"]) for r in listed] == [
        (f"rot-r{i}", "rot", "done", 2) for i in (1, 2, 3)
    ]
    assert main(args) == 1  # the names are taken
    assert "already exists" in capsys.readouterr().err
    assert main([*args[:-1], "--resume", str(image)]) == 0  # nothing left to do


def test_usage_errors_name_the_problem(tmp_path, capsys):
    project, image = make_project(tmp_path)
    base = ["iterate", "--project", str(project), "--steps", "2"]
    assert main([*base, "--editor", "nonesuch", str(image)]) == 1
    assert "generation-loss" in capsys.readouterr().err
    assert main([*base, "--editor", "generation-loss", "--schedule", "spiral", str(image)]) == 1
    assert "replicate, mirror" in capsys.readouterr().err
    assert main([*base, "--editor", "generation-loss", "--resume", str(image)]) == 1
    assert "nothing to resume" in capsys.readouterr().err
    assert committed(project, "crash-r1") == 0


def test_gemini_model_shorthand_against_the_fake_server(tmp_path, capsys, monkeypatch):
    import numpy as np

    from core.imageio import encode_png
    from tests.fakes.gemini_server import Reply, fake_gemini, image_response

    project, image = make_project(tmp_path)
    png = encode_png(np.full((48, 48, 3), 0.4, np.float32))
    reply = Reply(body=image_response(png, thoughts=["Mirroring."]))
    with fake_gemini(monkeypatch, default=reply) as fake:
        capsys.readouterr()
        code = main(
            ["iterate", "--project", str(project), "--editor", "gemini:gemini-2.5-flash-image",
             "--steps", "2", "--schedule", "mirror", "--image-size", "2K", "--run", "g",
             str(image)]
        )  # fmt: skip
        assert code == 0, capsys.readouterr().err
        assert {r.path for r in fake.requests} == {
            "/v1beta/models/gemini-2.5-flash-image:generateContent"
        }
        assert fake.requests[0].json["generationConfig"]["imageConfig"] == {"imageSize": "2K"}
    capsys.readouterr()
    assert main(["runs", "show", "--project", str(project), "--run", "g-r1", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["editor"] == "gemini" and shown["steps"][2]["thoughts"] == "Mirroring."
