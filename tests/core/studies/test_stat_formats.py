"""Table 3 and Table 8 as CSV, Markdown and LaTeX: the same numbers, the significant marked."""

from __future__ import annotations

import csv
import io

import pytest

from core.errors import IrisError
from core.studies.correlate import Coefficient, Correlation
from core.studies.stability import StabilityRow
from core.studies.stat_formats import (
    latex_p,
    render_correlation,
    render_stability,
    stability_notes,
)

ROWS = [
    StabilityRow("S1", "psnr", 0.4, 0.818730753, 5, 3, False),
    StabilityRow("S1", "niqe", 7.6, 0.0223707719, 5, 3, True),
    StabilityRow("=LF1", "psnr", None, None, 0, 1, None, "needs at least 3 repeats, has 1"),
    StabilityRow("=LF1", "niqe", None, None, 0, 1, None, "needs at least 3 repeats, has 1"),
]
METRICS = ["psnr", "niqe"]


def test_stability_csv_is_tidy_at_full_precision():
    text = render_stability(ROWS, "prompt", METRICS, "csv")
    body = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(body))))
    assert [(r["prompt"], r["metric"]) for r in rows] == [
        ("S1", "psnr"), ("S1", "niqe"), ("'=LF1", "psnr"), ("'=LF1", "niqe")
    ]  # fmt: skip
    assert float(rows[1]["p_value"]) == 0.0223707719 and rows[1]["significant"] == "true"
    assert rows[2]["statistic"] == "" and rows[2]["significant"] == ""
    assert rows[2]["note"].startswith("needs at least 3")
    assert "# 1 of 2 tests significant at p < 0.05 (Friedman, scipy)" in text


def test_stability_markdown_and_latex_have_table3_layout_significant_bold():
    md = render_stability(ROWS, "prompt", METRICS, "md").splitlines()
    assert md[0] == "| Prompt | Type | psnr | niqe |"
    assert md[2] == "| S1 | Stat | 0.400 | **7.600** |"
    assert md[3] == "|  | p-val | 0.819 | **0.022** |"
    assert md[4] == "| =LF1 | Stat | - | - |"
    assert "- S1: 5 images x 3 repeats; significant at 0.05: niqe" in md
    latex = render_stability(ROWS, "prompt", METRICS, "latex")
    assert latex.startswith("\\begin{tabular}{llrr}")
    assert "S1 & Stat & 0.400 & \\bfseries 7.600 \\\\" in latex
    assert latex.count("\\midrule") == 2  # under the header, between the two groups
    assert stability_notes(ROWS, METRICS)[-1].startswith("1 of 2 tests")


def _correlation():
    coefficients = [
        Coefficient("kendall_tau_b", "Kendall's tau-b", 0.2493, 2.96e-124),
        Coefficient("srcc", "SRCC", 0.30104, 0.0312),
        Coefficient("plcc", "PLCC", None, None),
    ]
    return Correlation("fs", "human", "rating", ["1", "2", "3"], [1, 2, 3], [2, 3, 5], coefficients)


def test_correlation_formats_have_table8_layout():
    result = _correlation()
    md = render_correlation(result, "md").splitlines()
    assert md[:2] == ["| Metric | Correlation Coefficient | p-value |", "| --- | ---: | ---: |"]
    assert md[2] == "| Kendall's tau-b | 0.249 | 2.96e-124 |"
    assert md[4] == "| PLCC | undefined | - |"
    assert "- fs against the human ratings, 3 pairs by rating" in md
    rows = list(csv.reader(io.StringIO(render_correlation(result, "csv"))))
    assert rows[0] == ["metric", "against", "by", "n", "coefficient", "value", "p_value"]
    assert rows[2] == ["fs", "human", "rating", "3", "srcc", "0.30104", "0.0312"]
    latex = render_correlation(result, "latex")
    assert "Kendall's $\\tau_b$ & 0.249 & $2.96\\times10^{-124}$ \\\\" in latex
    assert latex_p(0.0312) == "0.0312"


def test_unknown_format_is_one_error():
    with pytest.raises(IrisError, match="choose from csv, md, latex"):
        render_stability(ROWS, "prompt", METRICS, "json")
    with pytest.raises(IrisError, match="choose from csv, md, latex"):
        render_correlation(_correlation(), "xlsx")
