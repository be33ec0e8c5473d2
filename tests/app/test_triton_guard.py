"""app/triton_guard.py's rules; tests/app/test_gl_then_torch.py runs it in the real window."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env_extra: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    env.pop("IRIS_ALLOW_TRITON", None)
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_window_application_blocks_triton():
    code = r"""
import sys
from app.gui import application
from app.triton_guard import triton_blocked
application()
try:
    import triton.language
except ImportError as exc:
    print(type(exc).__name__, triton_blocked(), "PySide6.QtGui" in sys.modules)
"""
    result = run_python(code)
    assert result.stdout.split() == ["ModuleNotFoundError", "True", "True"], result.stderr


def test_block_is_skipped_when_allowed_or_when_triton_is_already_loaded():
    code = r"""
import sys, types
from app.triton_guard import block_triton, triton_blocked
print(block_triton(), triton_blocked())
"""
    assert run_python(code, IRIS_ALLOW_TRITON="1").stdout.split() == ["False", "False"]
    assert run_python(code).stdout.split() == ["True", "True"]
    preloaded = code.replace(
        "from app", "sys.modules['triton'] = types.ModuleType('triton')\nfrom app"
    )
    assert run_python(preloaded).stdout.split() == ["False", "False"]
