"""Data flows one way: ``app`` wires ``widgets`` to ``core``; ``widgets`` never import ``app``,
and ``core`` never imports ``app``, ``widgets`` or Qt, not even inside a function.

Read from the source, so lazy imports inside functions count too; a widget
that reaches ``app`` through ``core`` is caught by ``core``'s own rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {
    "widgets": ("app",),
    "core": ("app", "widgets", "PySide6", "shiboken6"),
}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in ``path``; relative imports resolved within it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.append((node.lineno, ".".join([*base, node.module or ""]).strip(".")))
            elif node.module:
                found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_module_imports_across_the_one_way_flow(package):
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN[package]
    ]
    assert bad == []


def test_building_the_cli_parser_stays_light():
    """``iris`` builds its parser before the window shows: every command's options and
    choices must come from light modules, never numpy or the project store (which cost
    about a second at start when one command's parser imported them)."""
    import subprocess
    import sys

    probe = (
        "import sys; from app.cli import build_parser; build_parser(); "
        "heavy = ('numpy', 'core.project', 'sqlite_utils', 'PIL', 'cv2', 'torch'); "
        "print(' '.join(m for m in heavy if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == []
