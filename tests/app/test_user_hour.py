"""The first hour in the window (tests/app/user_hour.py), under Xvfb with real OpenGL.

It runs in a subprocess: a crash (the segfault of the issue "Trust the inputs") fails
this test instead of killing pytest, and the window gets the GUI process's own start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.widgets import conftest as gl_conftest

xvfb_display = gl_conftest.xvfb_display

ROOT = Path(__file__).resolve().parents[2]
STEPS = [
    "opened", "compare-zoom-pan", "compare-modes-and-keys", "restore-selected",
    "run-cancel-resume", "depth-view", "score-new-run-after-depth", "annotate", "screens",
    "reopen",
]  # fmt: skip


@pytest.mark.gl
def test_a_new_users_first_hour(xvfb_display, tmp_path):
    env = dict(os.environ, DISPLAY=xvfb_display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
    env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
    env.pop("IRIS_ALLOW_TRITON", None)
    result = subprocess.run(
        [sys.executable, "-X", "faulthandler", "-m", "tests.app.user_hour", str(tmp_path / "p")],
        env=env, capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    done = [line.split()[1] for line in result.stdout.splitlines() if line.startswith("STEP ")]
    assert result.returncode == 0, (done, result.stdout[-2000:], result.stderr[-4000:])
    assert done == STEPS
