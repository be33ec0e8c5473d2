"""core.degrade stays light: no Qt ever, and no OpenCV or torch until a kind actually runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_listing_kinds_imports_no_qt_no_cv2_no_torch():
    code = (
        "import sys, core.degrade as d; d.describe_all(); "
        "bad = [m for m in ('PySide6', 'cv2', 'torch', 'scipy') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert out.stdout.strip() == ""
