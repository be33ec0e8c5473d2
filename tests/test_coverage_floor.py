"""The coverage floor judges lines and branches apart and only inside the package."""

from __future__ import annotations

from tests.coverage_floor import under_floor


def _file(lines: int, covered: int, branches: int, covered_branches: int) -> dict:
    return {
        "summary": {
            "num_statements": lines,
            "covered_lines": covered,
            "num_branches": branches,
            "covered_branches": covered_branches,
        }
    }


def test_a_module_under_the_floor_in_lines_or_branches_is_listed():
    report = {
        "files": {
            "core/a.py": _file(10, 10, 10, 5),  # every line, half the branches
            "core/b.py": _file(10, 7, 0, 0),  # no branches: lines decide
            "core/c.py": _file(10, 8, 4, 4),  # exactly at the floor
            "app/d.py": _file(10, 0, 0, 0),  # another package
            "core/__init__.py": _file(0, 0, 0, 0),  # a docstring only: nothing to cover
        }
    }
    assert under_floor(report, "core", 80) == [
        ("core/a.py", 100.0, 50.0),
        ("core/b.py", 70.0, 100.0),
    ]
