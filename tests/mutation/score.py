"""The mutation score of a mutmut run, as one JSON line like a benchmark's.

Reads the ``*.py.meta`` files mutmut leaves in ``mutants/`` (each maps a mutant's name to the
exit code of its test run) and the equivalent-mutant lists (``equivalents.txt`` and one file
per module in ``equivalents.d/``: a mutant name, then its justification). Killed counts
mutants the tests caught (a failing test, a timeout or a crash); survived counts the others
that ran or had no test, minus those listed as equivalent.
Score = killed / (killed + survived). Per-module figures and every unlisted survivor go to
stderr, so the last stdout line is the JSON.

    python tests/mutation/score.py build/mutation/mutants tests/mutation/equivalents.txt
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

KILLED = {1, 3, 36, -24, 24, 152, 255, -11, -9}  # test failed, pytest crashed, timeout, crash
SURVIVED = {0, 5, 33}  # tests passed, or no test reached the mutant


def read_equivalents(path: Path) -> dict[str, str]:
    """Mutant name -> why it is equivalent; blank lines and ``#`` comments are skipped."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, why = line.partition(" ")
        out[name] = why.strip()
    return out


def read_all_equivalents(listed: Path) -> dict[str, str]:
    """``listed`` and every ``equivalents.d/*.txt`` beside it (one file per module's list)."""
    out = read_equivalents(listed)
    for extra in sorted(listed.with_name("equivalents.d").glob("*.txt")):
        out.update(read_equivalents(extra))
    return out


def module_of(meta: Path, mutants: Path) -> str:
    return str(meta.relative_to(mutants)).removesuffix(".meta")


def score(mutants: Path, equivalents: dict[str, str]) -> dict:
    """Totals and per-module figures; unlisted survivors and stale equivalents are named."""
    totals = {"killed": 0, "survived": 0, "equivalent": 0, "not_run": 0}
    modules: dict[str, dict] = {}
    survivors: list[str] = []
    seen: set[str] = set()
    for meta in sorted(mutants.rglob("*.py.meta")):
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        counts = {"killed": 0, "survived": 0, "equivalent": 0, "not_run": 0}
        for name, code in sorted(codes.items()):
            seen.add(name)
            if code in KILLED:
                counts["killed"] += 1
            elif code in SURVIVED and name in equivalents:
                counts["equivalent"] += 1
            elif code in SURVIVED:
                counts["survived"] += 1
                survivors.append(name)
            else:  # not checked, skipped, interrupted, suspicious
                counts["not_run"] += 1
        decided = counts["killed"] + counts["survived"]
        counts["score"] = round(counts["killed"] / decided, 4) if decided else None
        modules[module_of(meta, mutants)] = counts
        for key in totals:
            totals[key] += counts[key]
    decided = totals["killed"] + totals["survived"]
    return {
        "bench": "mutation",
        **totals,
        "score": round(totals["killed"] / decided, 4) if decided else None,
        "modules": modules,
        "survivors": survivors,
        "stale_equivalents": sorted(set(equivalents) - seen),
    }


def main(argv: list[str]) -> int:
    mutants = Path(argv[1] if len(argv) > 1 else "build/mutation/mutants")
    listed = Path(argv[2] if len(argv) > 2 else Path(__file__).with_name("equivalents.txt"))
    result = score(mutants, read_all_equivalents(listed))
    for module, counts in result.pop("modules").items():
        print(f"{module}: {json.dumps(counts)}", file=sys.stderr)
    survivors = result.pop("survivors")
    stale = result.pop("stale_equivalents")
    for name in survivors:
        print(f"survived (not listed as equivalent): {name}", file=sys.stderr)
    for name in stale:
        print(f"listed as equivalent but not a mutant now: {name}", file=sys.stderr)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
