"""The compare math stays free of Qt (the CLI and the worker use it headless)."""

from __future__ import annotations

import subprocess
import sys


def test_core_compare_imports_no_qt():
    code = (
        "import sys\n"
        "import core.compare.camera, core.compare.colormaps, core.compare.difference\n"
        "import core.compare.figure, core.compare.labels, core.compare.pyramid\n"
        "import core.compare.state\n"
        "import app.commands.compare\n"
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
