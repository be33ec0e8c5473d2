"""Without the local-models extra the methods are listed as unavailable, never an ImportError."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HIDE = "import sys; sys.modules['diffusers'] = None; sys.modules['transformers'] = None; "


def _run(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", HIDE + code], capture_output=True, text=True, env=env,
        cwd=ROOT, timeout=120,
    )  # fmt: skip


def test_iris_methods_lists_the_editor_as_unavailable_with_the_install_hint():
    done = _run("from app.cli import main; sys.exit(main(['methods', '--json']))")
    assert done.returncode == 0, done.stderr
    methods = {m["name"]: m for m in json.loads(done.stdout)}
    title = methods["diffusers"]["title"]
    assert "unavailable" in title and "pip install 'iris-studio[local-models]'" in title


def test_running_it_without_the_extra_is_one_line_naming_the_install():
    code = (
        "from core.methods.registry import get_method\n"
        "from core.local_models.availability import LocalModelsMissing\n"
        "try:\n    get_method('diffusers').prepare({'model_dir': '/tmp'})\n"
        "except LocalModelsMissing as exc:\n    print('refused:', exc)\n"
        "from core.local_models.vlm import ask\n"
        "try:\n    ask('/tmp', 'hi', None, 'image/png', None)\n"
        "except LocalModelsMissing as exc:\n    print('refused:', exc)\n"
    )
    done = _run(code)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 2 and all("iris-studio[local-models]" in line for line in lines)
    assert "Traceback" not in done.stderr
