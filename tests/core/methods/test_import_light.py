"""Listing methods and their parameters imports no heavy library and no Qt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_listing_methods_stays_light():
    code = (
        "import sys, json\n"
        "from core.methods import METHODS\n"
        "print(json.dumps([METHODS.get(n).as_dict() for n in METHODS.names()])[:10])\n"
        "heavy = [m for m in ('torch', 'cv2', 'google.genai', 'spandrel', 'PySide6', 'skimage')"
        " if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr
