"""Only the store modules write SQL or touch the connection (issue 16: one way through the store)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STORE_MODULES = ("core/project/", "core/annotations/store.py")
# SQL is written in capitals here; UI text such as "Select a run" is not SQL.
SQL = re.compile(r"\b(SELECT [a-z*(]|INSERT (OR [A-Z]+ )?INTO|UPDATE [a-z_]+ SET|DELETE FROM)")
HANDLE = re.compile(r"\.(_?db)\b(?!\s*=)|\bsqlite_utils\b|\bsqlite3\.connect\b")


def _sources() -> list[tuple[str, str]]:
    found = []
    for folder in ("core", "app", "widgets"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if not relative.startswith(STORE_MODULES):
                found.append((relative, path.read_text(encoding="utf-8")))
    return found


def test_no_sql_outside_the_store_modules():
    hits = [
        f"{name}:{number}: {line.strip()}"
        for name, text in _sources()
        for number, line in enumerate(text.splitlines(), start=1)
        if SQL.search(line)
    ]
    assert not hits, "SQL outside core/project and core/annotations/store.py:\n" + "\n".join(hits)


def test_no_module_outside_the_store_touches_the_connection():
    hits = [
        f"{name}:{number}: {line.strip()}"
        for name, text in _sources()
        for number, line in enumerate(text.splitlines(), start=1)
        if HANDLE.search(line) and "iris.db" not in line
    ]
    assert not hits, "the project's connection used outside the store:\n" + "\n".join(hits)
