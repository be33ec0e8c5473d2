"""``core`` must import without Qt, and without the heavy libraries, so the CLI and window start fast."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ["PySide6", "torch", "pyiqa", "open3d", "google.genai", "spandrel", "cv2", "numpy"]


def modules_after(statement: str) -> dict[str, bool]:
    code = f"import sys, json\n{statement}\nprint(json.dumps({{m: m in sys.modules for m in {HEAVY!r}}}))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_core_imports_without_qt_or_heavy_libraries():
    loaded = modules_after(
        "import core, core.imageio, core.project, core.project.importer, core.registry, "
        "core.sample_project, core.thumbnails, core.device, core.iterate.runner, "
        "core.iterate.steps, core.iterate.geometry, core.iterate.generation_loss"
    )
    assert loaded == {name: name == "numpy" for name in HEAVY}


def test_every_core_module_is_free_of_qt():
    code = (
        "import pkgutil, importlib, sys, core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'core.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('PySide6' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_cli_help_and_window_modules_do_not_import_heavy_libraries():
    """numpy too: the parser is built before the window opens."""
    loaded = modules_after("import app.cli, app.main_window, app.gui; app.cli.build_parser()")
    assert {k: v for k, v in loaded.items() if k != "PySide6"} == {
        name: False for name in HEAVY[1:]
    }
