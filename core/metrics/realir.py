"""RealIR-Bench as its paper defines it: the nine tasks, the strict severity answer, the tables.

Source: RealRestorer (Yang et al.), section 4.2, Appendix C, Figures 8-9, Tables 1-2.

- A **task** is one of the nine degradations. Its fixed bilingual prompt is in the
  prompt library (``RIR-<TASK>`` / ``RIR-<TASK>-ZH``, Fig. 8); ``degradation`` is the
  text IRIS fills into Fig. 9's ``{task}`` (the paper's own list of degradation types);
  ``column`` is the task's column title in Tables 1-2.
- **Severity answers** are parsed strictly (:func:`parse_degradation_score`): an answer
  outside the documented forms is a recorded failure, never a 0.
- **The table** (:func:`realir_table`): per method and task, LPS and RS are the means
  over the task's images and FS = 0.2 x (1 - LPS) x RS of those means; "Avg Total (9)"
  averages the nine task LPS and RS and applies the same formula. This is how the
  paper's numbers relate: e.g. RealRestorer's Avg Total is 0.2 x (1 - 0.445) x 1.312 =
  0.146 (Table 2), while the mean of its nine task FS would be 0.144.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import fmean

from core.errors import IrisError

TASK_TAG = "task"


@dataclass(frozen=True)
class Task:
    """One RealIR-Bench degradation task."""

    key: str
    label: str  # Fig. 8's bracketed label
    degradation: str  # what fills Fig. 9's {task}
    column: str  # the column title in Tables 1-2
    aliases: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.key, self.label, self.degradation, self.column, *self.aliases)


# In the order of the paper's tables: Table 1's five columns, then Table 2's four.
TASKS: tuple[Task, ...] = (
    Task("rain", "Rain", "rain", "Rain Removal", ("derain",)),
    Task("blur", "Blur", "blur", "Deblurring", ("deblur",)),
    Task("low-light", "Low-light", "low-light", "Low-light Enhancement", ("lowlight", "low light")),
    Task("haze", "Haze", "haze", "Haze Removal", ("dehaze",)),
    Task("reflection", "Reflection", "reflection", "Reflection Removal"),
    Task("flare", "Flare", "flare", "Deflare"),
    Task("moire", "Moiré", "moiré patterns", "Moiré Patterns Removal", ("moire patterns",)),
    Task("noise", "Noise", "noise", "Denoise", ("denoising",)),
    Task(
        "compression",
        "Compression",
        "compression artifacts",
        "Compression Restoration",
        ("jpeg", "compression artefacts"),
    ),  # fmt: skip
)
AVG_COLUMN = "Avg Total ({n})"


def task_names() -> list[str]:
    return [task.key for task in TASKS]


def resolve_task(name: str) -> Task:
    """The task called ``name`` (its key, label, degradation, column title or an alias)."""
    wanted = " ".join(str(name).strip().lower().replace("_", " ").split())
    for task in TASKS:
        if wanted in {n.lower() for n in task.names()}:
            return task
    raise IrisError(f"unknown RealIR-Bench task {name!r}; known: {', '.join(task_names())}")


class JudgeAnswerError(IrisError):
    """A judge's answer outside the accepted forms (recorded as a failure, never a score)."""


# The whole answer, once emphasis, quotes and one final full stop are dropped.
_STRICT_SCORE = re.compile(r"(?:degradation score\s*:\s*)?<?\s*([1-5])\s*>?", re.IGNORECASE)
_WRAPPING = " \t\r\n\"'“”‘’"


def parse_degradation_score(text: str) -> int:
    """Fig. 9's answer "Degradation Score: N" (N in 1..5), parsed strictly.

    Accepted, the whole answer being: ``Degradation Score: N`` (label in any case,
    spaces around the colon optional, N optionally in angle brackets as Fig. 9 writes
    ``<1–5>``), or the bare digit ``N``; surrounding whitespace, quotes, Markdown
    ``*``/backticks and one final full stop are ignored. Everything else fails: other
    words ("I think 4/5", "Score: 4"), other numbers (0, 6, 4.5), two scores, nothing.
    """
    cleaned = str(text).replace("*", "").replace("`", "").strip(_WRAPPING)
    if cleaned.endswith("."):
        cleaned = cleaned[:-1].strip(_WRAPPING)
    match = _STRICT_SCORE.fullmatch(cleaned)
    if not match:
        shown = str(text).strip()[:120]
        raise JudgeAnswerError(f"not a 'Degradation Score: <1-5>' answer: {shown!r}")
    return int(match.group(1))


def parse_rating_0_5(text: str) -> int:
    """IRIS's own generic prompt's answer: the first integer 0-5 anywhere in it (lenient)."""
    match = re.search(r"(?<![\d.])([0-5])(?![\d.])", str(text))
    if not match:
        raise JudgeAnswerError(f"no rating from 0 to 5 in the answer: {str(text)[:120]!r}")
    return int(match.group(1))


def fs_score(rs: float, lps: float) -> float:
    """RealIR-Bench Final Score, Eq. (1): FS = 0.2 x (1 - LPS) x RS."""
    return 0.2 * (1.0 - lps) * rs


@dataclass(frozen=True)
class Cell:
    """One method x task cell of the table: means over the images that were rated."""

    lps: float | None
    rs: float | None
    images: int
    failed: int

    @property
    def fs(self) -> float | None:
        if self.lps is None or self.rs is None:
            return None
        return fs_score(self.rs, self.lps)

    def as_dict(self) -> dict:
        return {
            "lps": self.lps,
            "rs": self.rs,
            "fs": self.fs,
            "images": self.images,
            "failed": self.failed,
        }


def _mean(values: Iterable[float | None]) -> float | None:
    kept = [v for v in values if v is not None and math.isfinite(v)]
    return fmean(kept) if kept else None


def cell_of(pairs: Sequence[tuple[float | None, float | None]]) -> Cell:
    """A cell from (RS, LPS) per image; an image without RS (a failed rating) is left out."""
    rated = [(rs, lps) for rs, lps in pairs if rs is not None]
    return Cell(
        lps=_mean(lps for _rs, lps in rated),
        rs=_mean(rs for rs, _lps in rated),
        images=len(rated),
        failed=len(pairs) - len(rated),
    )


def average_cell(cells: Sequence[Cell]) -> Cell:
    """ "Avg Total": the mean of the task LPS and of the task RS; FS from those means."""
    return Cell(
        lps=_mean(c.lps for c in cells),
        rs=_mean(c.rs for c in cells),
        images=sum(c.images for c in cells),
        failed=sum(c.failed for c in cells),
    )


def realir_table(rows: Iterable[dict]) -> dict:
    """Tables 1-2 from per-image rows (``method``, ``task``, ``rs``, ``lps``).

    Returns ``{"tasks": [keys in table order], "average": "Avg Total (n)",
    "methods": [{"method", "tasks": {key: cell}, "average": cell}]}``.
    """
    grouped: dict[str, dict[str, list[tuple[float | None, float | None]]]] = {}
    present: set[str] = set()
    for row in rows:
        task = resolve_task(row["task"]).key
        present.add(task)
        by_task = grouped.setdefault(str(row.get("method") or "?"), {})
        by_task.setdefault(task, []).append((row.get("rs"), row.get("lps")))
    tasks = [t.key for t in TASKS if t.key in present]
    methods = []
    for method, by_task in grouped.items():
        cells = {task: cell_of(by_task[task]) for task in tasks if task in by_task}
        methods.append(
            {
                "method": method,
                "tasks": {k: c.as_dict() for k, c in cells.items()},
                "average": average_cell(list(cells.values())).as_dict(),
                "average_tasks": len(cells),
            }
        )
    return {"tasks": tasks, "average": AVG_COLUMN.format(n=len(tasks)), "methods": methods}


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _triple(a: str, b: str, c: str) -> str:
    return f"{a:>6} {b:>6} {c:>6}"  # 20 characters: every cell centres alike  # 20 characters, so every cell centres alike


def format_table(table: dict) -> str:
    """The table as text, laid out as Tables 1-2: a task header row, then LPS RS FS per task."""
    columns = [resolve_task(t).column for t in table["tasks"]] + [table["average"]]
    width = max([24, *(len(m["method"]) + 2 for m in table["methods"])])
    cell_width = max(22, *(len(c) + 2 for c in columns))
    header = "Method".ljust(width) + "".join(c.center(cell_width) for c in columns)
    sub = " " * width + "".join(_triple("LPS↓", "RS↑", "FS↑").center(cell_width) for _ in columns)
    lines = [header.rstrip(), sub.rstrip()]
    for method in table["methods"]:
        cells = [method["tasks"].get(t) for t in table["tasks"]] + [method["average"]]
        text = "".join(
            _triple(*(_fmt(c[k]) if c else "-" for k in ("lps", "rs", "fs"))).center(cell_width)
            for c in cells
        )
        lines.append((method["method"].ljust(width) + text).rstrip())
    return "\n".join(lines)
