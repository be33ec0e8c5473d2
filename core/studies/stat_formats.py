"""The studies' statistics as text: seed 000's Table 3 and seed 003's Table 8, CSV/Markdown/LaTeX.

The Friedman stability table (:func:`core.studies.stability.friedman_table`'s
rows) is written in Table 3's layout in Markdown and LaTeX (per group a Stat row
and a p-val row, one column per metric; tests significant at p < 0.05 in bold)
and as tidy CSV (one line per group and metric, full precision). A correlation
(:class:`core.studies.correlate.Correlation`) is written in Table 8's layout: one
line per coefficient (Kendall's tau-b, SRCC, PLCC) with its p-value. Every
format carries the notes (what was tested, on how many images, what was left out).
Formats are looked up by name in :data:`STABILITY_FORMATS` / :data:`CORRELATION_FORMATS`.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Sequence

from core.errors import IrisError
from core.studies.csv_safety import spreadsheet_safe
from core.studies.formats import DEFAULT_DIGITS, latex_escape

TABLE3_SIGNIFICANCE = 0.05


def fixed_text(value: float | None, digits: int = DEFAULT_DIGITS) -> str:
    """``value`` with ``digits`` decimals; ``-`` when there is none (the test could not be made)."""
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:.{digits}f}"


def p_text(value: float | None) -> str:
    """A p-value as the papers print it: 3 significant digits (``2.96e-124`` when tiny)."""
    if value is None or not math.isfinite(value):
        return "-"
    return f"{value:.3g}"


def _csv_label(text: str) -> str:
    """A label a spreadsheet will not run as a formula."""
    return spreadsheet_safe(text)


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


# -- seed 000, Table 3: the Friedman stability test -------------------------------------


def stability_groups(rows: Sequence) -> list[str]:
    """The groups in the rows' order (friedman_table gives them in natural order)."""
    return list(dict.fromkeys(r.group for r in rows))


def stability_notes(rows: Sequence, metrics: Sequence[str]) -> list[str]:
    """Per group its shape and its significant metrics, each cell's note, then the count."""
    by_cell = {(r.group, r.metric): r for r in rows}
    notes = []
    for group in stability_groups(rows):
        cells = [by_cell[(group, m)] for m in metrics if (group, m) in by_cell]
        shape = max((f"{c.blocks} images x {c.treatments} repeats" for c in cells), default="")
        significant = ", ".join(c.metric for c in cells if c.significant) or "none"
        notes.append(f"{group}: {shape}; significant at 0.05: {significant}")
        notes += [f"{group} {c.metric}: {c.note}" for c in cells if c.note]
    tests = [r for r in rows if r.p_value is not None]
    total = sum(1 for r in tests if r.significant)
    notes.append(f"{total} of {len(tests)} tests significant at p < 0.05 (Friedman, scipy)")
    return notes


def _table3_grid(rows: Sequence, metrics: Sequence[str], digits: int, mark: Callable[[str], str]):
    """Body lines ``[group, type, cells...]`` of Table 3, significant cells passed to ``mark``."""
    by_cell = {(r.group, r.metric): r for r in rows}
    body = []
    for group in stability_groups(rows):
        cells = [by_cell.get((group, m)) for m in metrics]
        for kind, attribute in (("Stat", "statistic"), ("p-val", "p_value")):
            line = [group if kind == "Stat" else "", kind]
            for cell in cells:
                text = fixed_text(getattr(cell, attribute) if cell else None, digits)
                line.append(mark(text) if cell is not None and cell.significant else text)
            body.append(line)
    return body


def stability_csv(
    rows: Sequence, group_by: str, metrics: Sequence[str], digits: int = DEFAULT_DIGITS
) -> str:
    """Tidy CSV: one line per group and metric, numbers at full precision, notes as ``#``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [group_by, "metric", "statistic", "p_value", "significant", "images", "repeats", "note"]
    )
    for r in rows:
        writer.writerow([
            _csv_label(r.group), r.metric,
            "" if r.statistic is None else repr(r.statistic),
            "" if r.p_value is None else repr(r.p_value),
            "" if r.significant is None else str(bool(r.significant)).lower(),
            r.blocks, r.treatments, r.note,
        ])  # fmt: skip
    for note in stability_notes(rows, metrics):
        buffer.write(f"# {note}\n")
    return buffer.getvalue()


def stability_markdown(
    rows: Sequence, group_by: str, metrics: Sequence[str], digits: int = DEFAULT_DIGITS
) -> str:
    """Table 3's layout as a Markdown table, significant tests in bold."""
    head = [group_by.capitalize(), "Type", *metrics]
    lines = ["| " + " | ".join(_md(h) for h in head) + " |"]
    lines.append("| --- | --- |" + " ---: |" * len(metrics))
    for line in _table3_grid(rows, metrics, digits, lambda t: f"**{t}**"):
        lines.append("| " + " | ".join(_md(v) for v in line) + " |")
    lines.append("")
    lines += [f"- {_md(note)}" for note in stability_notes(rows, metrics)]
    return "\n".join(lines) + "\n"


def stability_latex(
    rows: Sequence, group_by: str, metrics: Sequence[str], digits: int = DEFAULT_DIGITS
) -> str:
    """Table 3's layout as a booktabs ``tabular``, significant tests in bold."""
    lines = [f"\\begin{{tabular}}{{ll{'r' * len(metrics)}}}", "\\toprule"]
    head = [group_by.capitalize(), "Type", *metrics]
    lines.append(" & ".join(latex_escape(h) for h in head) + " \\\\")
    lines.append("\\midrule")
    for index, line in enumerate(_table3_grid(rows, metrics, digits, lambda t: f"\\bfseries {t}")):
        if index and line[0]:
            lines.append("\\midrule")
        cells = [latex_escape(v) if i < 2 else v for i, v in enumerate(line)]
        lines.append(" & ".join(cells) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    lines += [f"% {latex_escape(note)}" for note in stability_notes(rows, metrics)]
    return "\n".join(lines) + "\n"


STABILITY_FORMATS: dict[str, Callable[..., str]] = {
    "csv": stability_csv,
    "md": stability_markdown,
    "latex": stability_latex,
}


def render_stability(
    rows: Sequence, group_by: str, metrics: Sequence[str], format: str,
    digits: int = DEFAULT_DIGITS,
) -> str:  # fmt: skip
    """Friedman rows as ``format`` (csv, md or latex)."""
    if format not in STABILITY_FORMATS:
        raise IrisError(f"format {format!r}: choose from {', '.join(STABILITY_FORMATS)}")
    return STABILITY_FORMATS[format](rows, group_by, list(metrics), digits)


# -- seed 003, Table 8: a metric's agreement with humans or another metric ----------------


def correlation_notes(result) -> list[str]:
    """What was correlated with what, over how many pairs, and who computed it."""
    against = "the human ratings" if result.against == "human" else result.against
    return [
        f"{result.metric} against {against}, {result.n} pairs by {result.by}",
        "two-sided p-values (scipy kendalltau, spearmanr, pearsonr)",
    ]


def _coefficient_value(value: float | None, digits: int) -> str:
    return "undefined" if value is None else f"{value:.{digits}f}"


def correlation_csv(result, digits: int = DEFAULT_DIGITS) -> str:
    """One line per coefficient, full precision, notes as ``#`` lines."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["metric", "against", "by", "n", "coefficient", "value", "p_value"])
    for c in result.coefficients:
        writer.writerow([
            result.metric, result.against, result.by, result.n, c.name,
            "" if c.value is None else repr(c.value),
            "" if c.p_value is None else repr(c.p_value),
        ])  # fmt: skip
    for note in correlation_notes(result):
        buffer.write(f"# {note}\n")
    return buffer.getvalue()


def correlation_markdown(result, digits: int = DEFAULT_DIGITS) -> str:
    """Table 8's layout: Metric | Correlation Coefficient | p-value."""
    lines = ["| Metric | Correlation Coefficient | p-value |", "| --- | ---: | ---: |"]
    for c in result.coefficients:
        value = _coefficient_value(c.value, digits)
        lines.append(f"| {_md(c.title)} | {value} | {p_text(c.p_value)} |")
    lines.append("")
    lines += [f"- {_md(note)}" for note in correlation_notes(result)]
    return "\n".join(lines) + "\n"


def latex_p(value: float | None) -> str:
    """A p-value for LaTeX: ``$2.96\\times10^{-124}$`` when written with an exponent."""
    text = p_text(value)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return f"${mantissa}\\times10^{{{int(exponent)}}}$"


def correlation_latex(result, digits: int = DEFAULT_DIGITS) -> str:
    """Table 8's layout as a booktabs ``tabular``."""
    titles = {"kendall_tau_b": "Kendall's $\\tau_b$"}
    lines = ["\\begin{tabular}{lrr}", "\\toprule"]
    lines += ["Metric & Correlation Coefficient & p-value \\\\", "\\midrule"]
    for c in result.coefficients:
        title = titles.get(c.name, latex_escape(c.title))
        lines.append(f"{title} & {_coefficient_value(c.value, digits)} & {latex_p(c.p_value)} \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    lines += [f"% {latex_escape(note)}" for note in correlation_notes(result)]
    return "\n".join(lines) + "\n"


CORRELATION_FORMATS: dict[str, Callable[..., str]] = {
    "csv": correlation_csv,
    "md": correlation_markdown,
    "latex": correlation_latex,
}


def render_correlation(result, format: str, digits: int = DEFAULT_DIGITS) -> str:
    """A correlation as ``format`` (csv, md or latex)."""
    if format not in CORRELATION_FORMATS:
        raise IrisError(f"format {format!r}: choose from {', '.join(CORRELATION_FORMATS)}")
    return CORRELATION_FORMATS[format](result, digits)
