"""RealIR-Bench's tasks and Tables 1-2: RS, LPS, FS per task and the Avg Total row by hand."""

from __future__ import annotations

import pytest

from core.errors import IrisError
from core.metrics.realir import TASKS, format_table, realir_table, resolve_task
from core.prompts import shipped_prompts, task_prompt


def test_nine_tasks_in_table_order_with_bilingual_verbatim_prompts():
    assert [t.column for t in TASKS] == [
        "Rain Removal", "Deblurring", "Low-light Enhancement", "Haze Removal",
        "Reflection Removal", "Deflare", "Moiré Patterns Removal", "Denoise",
        "Compression Restoration",
    ]  # fmt: skip
    for task in TASKS:
        en, zh = task_prompt(task.key, "en"), task_prompt(task.key, "zh")
        assert en.verbatim and zh.verbatim and "Figure 8" in en.source
        assert en.role == "edit" and en.library == "realir_bench"
    assert task_prompt("noise", "zh").text == "请修复请去除图像中的噪声。"  # as printed
    assert task_prompt("compression").text == "Please restore the image clarity and artifacts."
    assert resolve_task("Moiré").key == "moire" and resolve_task("Deblurring").key == "blur"
    with pytest.raises(IrisError, match="known: rain, blur"):
        resolve_task("snow")


def test_judge_prompts_are_not_offered_to_editors():
    from core.prompts import all_prompts, resolve_prompt

    ids = {p.id for p in all_prompts()}
    assert "RIR-BLUR" in ids and "RIR-SEVERITY" not in ids and "B100-SELF-EVAL" not in ids
    assert resolve_prompt("RIR-SEVERITY").id == ""  # not an edit prompt: taken as text
    judges = {p.id: p for p in shipped_prompts() if p.role == "judge"}
    assert judges["RIR-SEVERITY"].verbatim and not judges["IRIS-SEVERITY-0-5"].verbatim
    assert judges["B100-SELF-EVAL"].verbatim and not judges["IRIS-THOUGHTS"].verbatim


def _rows():
    # method A: rain 2 images, blur 1 image + 1 failed rating; method B: rain only
    return [
        {"method": "A", "task": "rain", "rs": 2.0, "lps": 0.4},
        {"method": "A", "task": "rain", "rs": 1.0, "lps": 0.2},
        {"method": "A", "task": "Deblurring", "rs": 3.0, "lps": 0.5},
        {"method": "A", "task": "blur", "rs": None, "lps": 0.9},  # failed: left out
        {"method": "B", "task": "rain", "rs": -1.0, "lps": 0.1},
    ]


def test_cells_and_avg_total_equal_hand_computation():
    table = realir_table(_rows())
    assert table["tasks"] == ["rain", "blur"] and table["average"] == "Avg Total (2)"
    a, b = table["methods"]
    rain, blur = a["tasks"]["rain"], a["tasks"]["blur"]
    assert rain["rs"] == pytest.approx(1.5) and rain["lps"] == pytest.approx(0.3)
    assert rain["fs"] == pytest.approx(0.2 * (1 - 0.3) * 1.5)  # 0.21
    assert (blur["rs"], blur["lps"], blur["images"], blur["failed"]) == (3.0, 0.5, 1, 1)
    assert blur["fs"] == pytest.approx(0.2 * 0.5 * 3.0)
    avg = a["average"]
    assert avg["rs"] == pytest.approx((1.5 + 3.0) / 2) and avg["lps"] == pytest.approx(0.4)
    assert avg["fs"] == pytest.approx(0.2 * (1 - 0.4) * 2.25)  # FS of the means: 0.27
    assert avg["fs"] != pytest.approx((rain["fs"] + blur["fs"]) / 2)  # not the mean FS
    assert b["tasks"] == {"rain": {"lps": 0.1, "rs": -1.0, "fs": pytest.approx(-0.18),
                                   "images": 1, "failed": 0}}  # fmt: skip
    text = format_table(table)
    assert text.splitlines()[0].split() == [
        "Method", "Rain", "Removal", "Deblurring", "Avg", "Total", "(2)"
    ]  # fmt: skip
    assert "1.500" in text and "0.210" in text and "0.270" in text


def test_avg_total_reproduces_the_papers_table_2_row():
    # RealRestorer's nine task cells from Tables 1-2 (LPS, RS) -> its Avg Total (9)
    cells = {
        "rain": (0.371, 1.076), "blur": (0.582, 1.900), "low-light": (0.597, 1.360),
        "haze": (0.339, 0.680), "reflection": (0.290, 1.620), "flare": (0.239, 1.623),
        "moire": (0.563, 1.620), "noise": (0.478, 0.863), "compression": (0.547, 1.067),
    }  # fmt: skip
    rows = [{"method": "RealRestorer", "task": t, "rs": rs, "lps": lps}
            for t, (lps, rs) in cells.items()]  # fmt: skip
    (method,) = realir_table(rows)["methods"]
    assert realir_table(rows)["average"] == "Avg Total (9)"
    avg = method["average"]
    assert (round(avg["lps"], 3), round(avg["rs"], 3), round(avg["fs"], 3)) == (
        0.445, 1.312, 0.146,
    )  # fmt: skip
    assert round(method["tasks"]["blur"]["fs"], 3) == 0.159  # Table 1, Deblurring FS
