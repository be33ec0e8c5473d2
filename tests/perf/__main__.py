"""``python -m tests.perf [NAME ...]``: run every ``bench_*.py`` module, one JSON line per figure.

Each module exposes ``run() -> list[dict]``; a figure carries its baseline,
measured in the same run, and the ratio to it, so numbers from different
machines are comparable.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
import traceback
from pathlib import Path


def main(selected: list[str]) -> int:
    folder = Path(__file__).parent
    names = sorted(
        m.name for m in pkgutil.iter_modules([str(folder)]) if m.name.startswith("bench_")
    )
    if selected:
        names = [n for n in names if any(s in n for s in selected)]
    failures = 0
    for name in names:
        try:
            figures = importlib.import_module(f"tests.perf.{name}").run()
        except Exception as exc:  # one broken benchmark must not hide the others
            failures += 1
            print(json.dumps({"bench": name, "error": f"{type(exc).__name__}: {exc}"}), flush=True)
            traceback.print_exc(file=sys.stderr)
            continue
        for figure in figures:
            print(json.dumps(figure), flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
