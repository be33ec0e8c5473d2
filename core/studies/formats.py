"""A built table as text: CSV, Markdown, LaTeX or JSON, by name (a registry).

Every format carries the same facts: the row labels, one column per metric (or
metric and key value) and statistic, a ``missing`` column beside any metric some
images have no stored score of, and the notes (unit, reference, bootstrap seed,
images without a value). Markdown and LaTeX mark the best mean of each column in
bold, respecting the metric's direction; CSV stays plain numbers.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable
from typing import Any

from core.studies.csv_safety import spreadsheet_safe
from core.studies.table import Table

DEFAULT_DIGITS = 3


def number_text(value: Any, digits: int) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple):
        return f"[{number_text(value[0], digits)}, {number_text(value[1], digits)}]"
    return f"{value:.{digits}f}" if math.isfinite(value) else ""


def column_headers(table: Table, *, split_ci: bool) -> list[tuple[int, str | None, str]]:
    """(column index, stat or None for the missing count, header) in output order."""
    out: list[tuple[int, str | None, str]] = []
    many = len(table.spec.stats) > 1
    for c, column in enumerate(table.columns):
        for stat in table.spec.stats:
            label = f"{column.label} {stat}" if many else column.label
            if stat == "ci95" and split_ci:
                out += [(c, "ci95_low", f"{label} low"), (c, "ci95_high", f"{label} high")]
            else:
                out.append((c, stat, label))
        if table.missing_count(c):
            out.append((c, None, f"{column.label} missing"))
    return out


def cell_value(table: Table, r: int, c: int, stat: str | None) -> Any:
    cell = table.cells[r][c]
    if stat is None:
        return len(cell.missing)
    if stat.startswith("ci95_"):
        interval = cell.stats.get("ci95")
        return None if interval is None else interval[0 if stat.endswith("low") else 1]
    return cell.stats.get(stat)


def best_stat(table: Table) -> str | None:
    return next((s for s in ("mean", "median") if s in table.spec.stats), None)


def _grid(table: Table, digits: int, mark: Callable[[str], str] | None, split_ci: bool):
    """Header row and text rows, the best value of each column marked with ``mark``."""
    headers = column_headers(table, split_ci=split_ci)
    stat = best_stat(table)
    best = table.best(stat) if stat and mark else {}
    head = [*table.spec.rows, *(h for _c, _s, h in headers)]
    body = []
    for r, row in enumerate(table.rows):
        line = list(row.label)
        for c, s, _h in headers:
            text = number_text(cell_value(table, r, c, s), digits)
            if mark and s == stat and best.get(c) == r and text:
                text = mark(text)
            line.append(text)
        body.append(line)
    return head, body


def to_csv(table: Table, digits: int = DEFAULT_DIGITS) -> str:
    """Plain CSV (numbers at full precision), notes as trailing ``#`` lines."""
    headers = column_headers(table, split_ci=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*table.spec.rows, *(h for _c, _s, h in headers)])
    for r, row in enumerate(table.rows):
        labels = [spreadsheet_safe(v) for v in row.label]
        values = []
        for c, s, _h in headers:
            value = cell_value(table, r, c, s)
            values.append(
                "" if value is None else repr(value) if isinstance(value, float) else value
            )
        writer.writerow([*labels, *values])
    for note in table.notes():
        buffer.write(f"# {note}\n")
    return buffer.getvalue()


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(table: Table, digits: int = DEFAULT_DIGITS) -> str:
    head, body = _grid(table, digits, lambda t: f"**{t}**", split_ci=False)
    lines = ["| " + " | ".join(_md_escape(h) for h in head) + " |"]
    lines.append("|" + "|".join(" --- " if i < len(table.spec.rows) else " ---: " for i in
                                range(len(head))) + "|")  # fmt: skip
    for row in body:
        lines.append("| " + " | ".join(_md_escape(v) for v in row) + " |")
    lines.append("")
    lines += [f"- {_md_escape(note)}" for note in table.notes()]
    return "\n".join(lines) + "\n"


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in text.replace("\n", " "))


def to_latex(table: Table, digits: int = DEFAULT_DIGITS) -> str:
    """A ``tabular`` (booktabs rules) with the best value per column in bold."""
    head, body = _grid(table, digits, lambda t: f"\\textbf{{{t}}}", split_ci=False)
    keys = len(table.spec.rows)
    align = "l" * keys + "r" * (len(head) - keys)
    lines = [f"\\begin{{tabular}}{{{align}}}", "\\toprule"]
    lines.append(" & ".join(latex_escape(h) for h in head) + " \\\\")
    lines.append("\\midrule")
    for r, row in enumerate(body):
        if table.rows[r].kind != "row" and r:
            lines.append("\\midrule")
        cells = [latex_escape(v) if i < keys else v.replace("[", "{[}").replace("]", "{]}")
                 for i, v in enumerate(row)]  # fmt: skip
        lines.append(" & ".join(cells) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    lines += [f"% {latex_escape(note)}" for note in table.notes()]
    return "\n".join(lines) + "\n"


def table_dict(table: Table) -> dict[str, Any]:
    """Everything the table holds, images behind each cell included, as JSON-ready data."""

    def finite(value: Any) -> Any:
        if isinstance(value, float):
            return value if math.isfinite(value) else None
        if isinstance(value, tuple):
            return [finite(v) for v in value]
        return value

    best = table.best(best_stat(table) or "mean")
    return {
        "rows_by": table.spec.rows,
        "cols": table.spec.cols,
        "metrics": table.spec.metrics,
        "stats": table.spec.stats,
        "where": table.spec.where,
        "reference": table.reference,
        "seed": table.spec.seed,
        "resamples": table.spec.resamples,
        "versions": table.versions,
        "columns": [
            {"label": c.label, "metric": c.metric, "value": c.value, "lower_better": c.lower_better}
            for c in table.columns
        ],
        "rows": [
            {
                "label": list(row.label),
                "kind": row.kind,
                "cells": [
                    {
                        "stats": {k: finite(v) for k, v in cell.stats.items()},
                        "image_ids": cell.image_ids,
                        "missing": cell.missing,
                        "without": {k: len(v) for k, v in cell.without.items()},
                        "best": best.get(c) == r,
                    }
                    for c, cell in enumerate(table.cells[r])
                ],
            }
            for r, row in enumerate(table.rows)
        ],
        "notes": table.notes(),
    }


def to_json(table: Table, digits: int = DEFAULT_DIGITS) -> str:
    return json.dumps(table_dict(table), allow_nan=False) + "\n"


FORMATS: dict[str, Callable[[Table, int], str]] = {
    "csv": to_csv,
    "md": to_markdown,
    "latex": to_latex,
    "json": to_json,
}
SUFFIXES = {"csv": ".csv", "md": ".md", "latex": ".tex", "json": ".json"}


def render(table: Table, format: str, digits: int = DEFAULT_DIGITS) -> str:
    """``table`` as ``format`` (csv, md, latex or json)."""
    from core.studies.facts import StudyError

    if format not in FORMATS:
        raise StudyError(f"--format {format!r}: choose from {', '.join(FORMATS)}")
    return FORMATS[format](table, digits)
