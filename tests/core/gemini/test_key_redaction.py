"""The API key never reaches the project, the terminal or an error text (fake Gemini server).

The fake server answers errors that echo the key and a Google-key-shaped string,
as a proxy or a misbehaving API might; the stored result, the run's error, every
file of the project folder and the CLI's output must be free of both.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from core.imageio import encode_png
from core.methods.runner import restore_images
from core.project import Project
from core.redact import MARKER, forget_secrets
from tests.fakes.gemini_server import Reply, error_body, fake_gemini

KEY = "iris-dummy-echoed-key-5d4c3b2a"
GOOGLE_SHAPED = "AIza" + "Sy" + "Q" * 33  # shaped like a key, belongs to nobody
ECHO = f"API key not valid: {KEY}. Did you mean {GOOGLE_SHAPED}?"
ROOT = Path(__file__).resolve().parents[3]


def _leaks(folder: Path) -> list[str]:
    """Files under ``folder`` whose bytes hold the key or the key-shaped string."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            if KEY.encode() in data or GOOGLE_SHAPED.encode() in data:
                found.append(path.name)
    return found


def _image(project):
    pixels = np.random.default_rng(1).uniform(0, 1, (16, 16, 3)).astype(np.float32)
    return project.add_image_bytes(encode_png(pixels), name="input", kind="imported")


def test_a_server_error_echoing_the_key_is_stored_redacted(project, monkeypatch):
    forget_secrets()  # the key must be registered by reading it, not by an earlier test
    image = _image(project)
    with fake_gemini(monkeypatch, key=KEY) as server:
        server.push(Reply(status=400, body=error_body(400, "INVALID_ARGUMENT", ECHO)))
        (result,) = restore_images(project.path, [image.id], "gemini", {"retries": 0})
        assert server.requests[0].headers.get("x-goog-api-key") == KEY  # it was really sent
    assert result.status == "failed" and MARKER in result.error
    assert KEY not in result.error and GOOGLE_SHAPED not in result.error
    (stored,) = project.results(result.run_id)
    assert KEY not in stored.error and KEY not in json.dumps(stored.meta)
    assert GOOGLE_SHAPED not in json.dumps(stored.meta)
    assert KEY not in (project.run(result.run).error or "")
    project.close()
    assert _leaks(project.path) == []


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env={**os.environ, **env},
    )  # fmt: skip


def _cli_project(tmp_path) -> Path:
    folder = tmp_path / "project"
    with Project.create(folder, name="cli") as project:
        _image(project)
    return folder


def test_cli_output_and_project_never_hold_the_key(tmp_path, monkeypatch):
    folder = _cli_project(tmp_path)
    with fake_gemini(monkeypatch, key=KEY) as server:
        server.push(Reply(status=403, body=error_body(403, "PERMISSION_DENIED", ECHO)))
        done = _cli(
            "restore", "--project", str(folder), "--method", "gemini", "--param", "retries=0",
            "input", env={},
        )  # fmt: skip
        assert len(server.requests) == 1
    assert done.returncode == 1, done.stderr
    line = json.loads(done.stdout.strip())
    assert line["status"] == "failed" and MARKER in line["error"]
    output = done.stdout + done.stderr
    assert KEY not in output and GOOGLE_SHAPED not in output
    assert _leaks(folder) == []
    assert _leaks(Path(os.environ["IRIS_DATA_DIR"]).parent) == []  # settings, data, logs


def test_cli_refuses_a_two_line_key_in_one_line_without_echoing_it(tmp_path, monkeypatch):
    folder = _cli_project(tmp_path)
    first, second = "iris-dummy-first-line-77aa", "a-second-line-of-the-file"
    with fake_gemini(monkeypatch, key=f"{first}\n{second}") as server:
        done = _cli("restore", "--project", str(folder), "--method", "gemini", "input", env={})
        assert server.requests == []  # refused before anything was sent
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "GEMINI_API_KEY" in done.stderr
    assert first not in done.stderr and second not in done.stderr
    assert "Traceback" not in done.stderr
