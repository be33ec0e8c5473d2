"""A bug in a command prints one line naming the command and the log, never a traceback.

The bug is made real in a subprocess: a ``-c`` script patches a command's
function to raise, then calls ``app.cli.main`` as the console script does.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY_SHAPED = "AIza" + "Sy" + "Z" * 33  # shaped like a Google key, belongs to nobody

SCRIPT = """
import sys
import app.commands.restore as commands
from app.cli import main

def broken(args):
    raise {error}

commands.run_methods = broken
sys.exit(main(["methods"]))
"""


def run_broken(error: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(error=error)],
        capture_output=True, text=True, timeout=120, cwd=ROOT, env=dict(os.environ),
    )  # fmt: skip


def test_an_unexpected_error_is_one_line_with_the_log_path_and_exit_70():
    done = run_broken(f"RuntimeError('index went wrong near {KEY_SHAPED}')")
    assert done.returncode == 70
    assert "Traceback" not in done.stderr and done.stdout == ""
    log = Path(os.environ["IRIS_DATA_DIR"]) / "iris.log"
    assert done.stderr == (
        "iris methods: unexpected error: RuntimeError: index went wrong near [redacted] "
        f"(details in {log})\n"
    )
    text = log.read_text()
    assert "Traceback" in text and "in broken" in text and "iris methods" in text
    assert KEY_SHAPED not in text


def test_an_interrupt_is_one_line_and_exit_130():
    done = run_broken("KeyboardInterrupt()")
    assert done.returncode == 130
    assert done.stderr == "iris methods: interrupted\n"


def test_an_iris_error_stays_the_usual_one_line_and_exit_1():
    done = run_broken(f"__import__('core.errors').errors.IrisError('no such thing {KEY_SHAPED}')")
    assert done.returncode == 1
    assert done.stderr == "iris: error: no such thing [redacted]\n"
    assert not (Path(os.environ["IRIS_DATA_DIR"]) / "iris.log").exists()
