"""app/pyside_import_check.py: the fast check gives PySide6's own answer, and the window uses it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

from app import pyside_import_check

ROOT = Path(__file__).resolve().parents[2]


def test_the_fast_check_reads_the_file_and_leaves_other_modules_to_pyside(tmp_path):
    asked = []

    def upstream(module):
        asked.append(module.__name__)
        return True

    check = pyside_import_check.uses_pyside_fast(upstream)
    uses = tmp_path / "uses.py"
    uses.write_text("from PySide6.QtCore import QTimer\n", encoding="utf-8")
    plain = tmp_path / "plain.py"
    plain.write_text("import json  # no Qt here: pyside6 in lower case does not count\n")
    gone = tmp_path / "gone.py"

    def module(name, path):
        made = types.ModuleType(name)
        if path is not None:
            made.__file__ = str(path)
        return made

    assert check(module("uses", uses)) is True
    assert check(module("plain", plain)) is False
    assert asked == []
    assert check(module("builtin", None)) is True  # no file: upstream decides
    assert check(module("ext", tmp_path / "ext.so")) is True  # not a .py file
    assert check(module("gone", gone)) is True  # unreadable: upstream decides
    assert asked == ["builtin", "ext", "gone"]


def test_install_without_the_hook_changes_nothing(monkeypatch):
    monkeypatch.delitem(sys.modules, pyside_import_check.FEATURE_MODULE, raising=False)
    assert pyside_import_check.install() is False


def test_the_window_application_installs_it_and_answers_like_pyside():
    """In a fresh process: after application(), the hook is the fast one, installing twice
    keeps one wrapper, and its answers equal PySide6's inspect.getsource check."""
    code = r"""
import json, sys
from app.gui import application
application()
from app import pyside_import_check
feature = sys.modules[pyside_import_check.FEATURE_MODULE]
fast = feature._mod_uses_pyside
pyside_import_check.install()
import inspect
def upstream(module):
    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False
import app.main_window, core.errors, json as js, sqlite3
names = ["app.main_window", "app.gui", "core.errors", "json", "sqlite3", "sys", "_sqlite3"]
print(json.dumps({
    "fast": getattr(fast, pyside_import_check.MARK, False),
    "same_after_reinstall": feature._mod_uses_pyside is fast,
    "answers": {n: [fast(sys.modules[n]), upstream(sys.modules[n])] for n in names},
}))
"""
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    facts = json.loads(result.stdout.strip().splitlines()[-1])
    assert facts["fast"] and facts["same_after_reinstall"]
    for name, (fast, upstream) in facts["answers"].items():
        assert fast == upstream, name
    assert facts["answers"]["app.main_window"] == [True, True]
    assert facts["answers"]["json"] == [False, False]
