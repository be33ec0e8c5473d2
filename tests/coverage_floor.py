"""``python tests/coverage_floor.py COVERAGE.json PACKAGE PERCENT``: list the modules of
PACKAGE whose line or branch coverage is under PERCENT; exit 1 when there is one.

Reads the JSON report of ``coverage json`` (``make coverage`` writes it). Line and branch
coverage are judged apart: a module can cover every line and still miss half its branches.
"""

from __future__ import annotations

import json
import sys


def under_floor(report: dict, package: str, floor: float) -> list[tuple[str, float, float]]:
    """(file, line %, branch %) of every file under ``package/`` below ``floor``."""
    low = []
    for name, facts in sorted(report["files"].items()):
        if not name.replace("\\\\", "/").startswith(f"{package}/"):
            continue
        summary = facts["summary"]
        if summary["num_statements"] == 0:  # a docstring-only __init__.py: nothing to run
            continue
        lines = 100.0 * summary["covered_lines"] / max(summary["num_statements"], 1)
        branches = (
            100.0 * summary.get("covered_branches", 0) / max(summary.get("num_branches", 0), 1)
        )
        if summary.get("num_branches", 0) == 0:
            branches = 100.0
        if lines < floor or branches < floor:
            low.append((name, lines, branches))
    return low


def main(argv: list[str]) -> int:
    path, package, floor = argv[0], argv[1], float(argv[2])
    with open(path, encoding="utf-8") as handle:
        report = json.load(handle)
    low = under_floor(report, package, floor)
    for name, lines, branches in low:
        print(f"{name}: lines {lines:.0f}%, branches {branches:.0f}% (floor {floor:.0f}%)")
    print(json.dumps({"bench": "coverage_floor", "package": package, "under": len(low)}))
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
