"""Table 3 pinned: Friedman cells by hand and by scipy, the layout, the refusals and their notes."""

from __future__ import annotations

import math
import threading
from types import SimpleNamespace

import pytest
from scipy.stats import friedmanchisquare

from core.errors import Cancelled, IrisError
from core.methods.runner import restore_images
from core.metrics.alignment import AlignmentError
from core.metrics.friedman import FriedmanResult
from core.metrics.scoring import score_project
from core.studies.restore_outputs import RestoreOutput
from core.studies.stability import (
    StabilityRow,
    finite_values,
    friedman_cell,
    friedman_table,
    natural_key,
    stability_tables,
    treatment_label,
)
from tests.core.studies.conftest import VARYING, make_inputs

# --- the Friedman cell, from a layout and a value function -------------------------------------


def layout(columns: int, inputs: int) -> dict[str, dict[int, int]]:
    """Treatment '#c' maps input i (1..inputs) to output 100 * c + i."""
    return {f"#{c}": {i: 100 * c + i for i in range(1, inputs + 1)} for c in range(1, columns + 1)}


def test_two_identical_blocks_by_hand():
    # blocks [1, 2, 3] twice: rank sums 2, 4, 6; chi2 = 12 / (2 * 3 * 4) * 56 - 3 * 2 * 4 = 4,
    # p = the chi-square tail with 2 degrees of freedom, exp(-4 / 2)
    scores = {101: 1.0, 201: 2.0, 301: 3.0, 102: 10.0, 202: 20.0, 302: 30.0}
    row = friedman_cell("S1", "psnr", layout(3, 2), scores.get)
    assert row.statistic == pytest.approx(4.0, rel=1e-14)
    assert row.p_value == pytest.approx(math.exp(-2.0), rel=1e-12)
    assert (row.group, row.metric, row.blocks, row.treatments) == ("S1", "psnr", 2, 3)
    assert row.significant is False and row.note == ""


def test_a_cell_equals_scipy_with_ties_and_zero_scores():
    table = [
        [0.0, 1.5, 1.5, 2.0],
        [3.0, 2.0, 1.0, 0.5],
        [0.25, 0.75, 0.5, 1.0],
        [4.0, 4.0, 4.0, 1.0],
        [1.0, 2.0, 3.0, 4.0],
    ]
    scores = {
        100 * (c + 1) + (i + 1): v for i, line in enumerate(table) for c, v in enumerate(line)
    }
    row = friedman_cell("L2", "niqe", layout(4, 5), scores.get)
    want = friedmanchisquare(*zip(*table, strict=True))
    assert row.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert row.p_value == pytest.approx(want.pvalue, rel=1e-12)
    assert (row.blocks, row.treatments) == (5, 4)
    assert row.significant is bool(want.pvalue < 0.05)


def test_repeats_that_always_rank_alike_are_significant():
    table = [[1.0, 2.0, 3.0]] * 8
    scores = {
        100 * (c + 1) + (i + 1): v for i, line in enumerate(table) for c, v in enumerate(line)
    }
    row = friedman_cell("S1", "m", layout(3, 8), scores.get)
    # rank sums 8, 16, 24: 12 / (8 * 3 * 4) * 896 - 3 * 8 * 4 = 16, p = exp(-8)
    assert row.statistic == pytest.approx(16.0, rel=1e-14)
    assert row.p_value == pytest.approx(math.exp(-8.0), rel=1e-12)
    assert row.significant is True


@pytest.mark.parametrize(
    ("p", "significant"), [(0.05, False), (0.0499999, True), (0.0500001, False)]
)
def test_significance_is_p_below_0_05(monkeypatch, p, significant):
    import core.metrics.friedman as friedman_module

    monkeypatch.setattr(
        friedman_module, "friedman", lambda table: FriedmanResult(7.5, p, len(table), 3)
    )
    row = friedman_cell("S1", "m", layout(3, 2), lambda i: float(i))
    assert row.significant is significant
    assert (row.statistic, row.p_value, row.blocks, row.treatments) == (7.5, p, 2, 3)


def test_fewer_than_three_repeats_is_no_test_with_a_note():
    row = friedman_cell("LF3", "entropy", layout(2, 5), lambda i: float(i))
    assert row == StabilityRow(
        "LF3", "entropy", None, None, 0, 2, None,
        "needs at least 3 repeats, has 2 (iris restore --repeat 3)",
    )  # fmt: skip
    one = friedman_cell("LF3", "entropy", layout(1, 5), lambda i: float(i))
    assert one.note == "needs at least 3 repeats, has 1 (iris restore --repeat 3)"
    assert one.treatments == 1
    three = friedman_cell("LF3", "entropy", layout(3, 5), lambda i: float(i % 7))
    assert three.statistic is not None and three.treatments == 3


def test_images_without_a_score_in_every_repeat_are_left_out_and_counted():
    treatments = layout(3, 5)
    del treatments["#2"][3]  # input 3 has no output in repeat 2
    missing = {104}  # input 4's output of repeat 1 has no score
    scores = {101: 1.0, 201: 2.0, 301: 3.0, 102: 3.0, 202: 1.0, 302: 2.0, 105: 5.0, 205: 4.0}
    scores |= {305: 6.0, 103: 9.0, 303: 8.0, 204: 1.0, 304: 2.0}

    def value(output_id):
        return None if output_id in missing else scores[output_id]

    row = friedman_cell("S1", "psnr", treatments, value)
    want = friedmanchisquare([1.0, 3.0, 5.0], [2.0, 1.0, 4.0], [3.0, 2.0, 6.0])
    assert row.statistic == pytest.approx(want.statistic, rel=1e-12)
    assert row.p_value == pytest.approx(want.pvalue, rel=1e-12)
    assert (row.blocks, row.treatments) == (3, 3)
    assert row.note == "2 image(s) without a score in every repeat left out"
    missing.add(302)
    one_dropped_more = friedman_cell("S1", "psnr", treatments, value)
    assert one_dropped_more.note == "3 image(s) without a score in every repeat left out"
    assert one_dropped_more.blocks == 2


def test_an_input_only_one_repeat_has_still_counts_as_dropped():
    treatments = layout(3, 2)
    treatments["#3"][9] = 309  # input 9 only in repeat 3
    row = friedman_cell("S1", "m", treatments, lambda i: float(i % 100 + i // 100))
    assert row.blocks == 2 and row.note == "1 image(s) without a score in every repeat left out"


def test_two_images_are_enough_and_one_is_refused():
    scores = {101: 1.0, 201: 2.0, 301: 3.0, 102: 3.0, 202: 2.0, 302: 1.0}
    two = friedman_cell("S1", "m", layout(3, 2), scores.get)
    assert two.blocks == 2 and two.statistic is not None and two.note == ""
    # opposite rankings: rank sums 4, 4, 4, so chi2 = 12 / 24 * 48 - 24 = 0 and p = 1
    assert two.statistic == pytest.approx(0.0, abs=1e-12) and two.p_value == pytest.approx(1.0)
    one = friedman_cell("S1", "m", layout(3, 2), lambda i: scores[i] if i % 100 == 1 else None)
    assert one == StabilityRow(
        "S1", "m", None, None, 1, 3, None, "needs at least 2 images scored in every repeat, has 1"
    )
    none = friedman_cell("S1", "m", layout(3, 4), lambda i: None)
    assert none.blocks == 0
    assert none.note == "needs at least 2 images scored in every repeat, has 0"


def test_row_as_dict():
    row = StabilityRow("S1", "psnr", 4.0, 0.25, 6, 3, False, "why")
    assert row.as_dict() == {
        "group": "S1", "metric": "psnr", "statistic": 4.0, "p_value": 0.25, "blocks": 6,
        "treatments": 3, "significant": False, "note": "why",
    }  # fmt: skip
    assert StabilityRow("g", "m", None, None, 0, 1, None).note == ""


# --- the layout: groups, treatments, natural order ---------------------------------------------


def output(run, repeat, input_id, output_id, prompt="S1", tags=None):
    return RestoreOutput(run, 1, "m", prompt, "S", repeat, input_id, output_id, tags or {})


def test_natural_key_by_hand():
    assert natural_key("S10b") == ["s", 10, "b"]
    assert natural_key("10") == ["", 10, ""]
    assert natural_key("LF") == ["lf"]
    assert natural_key("a2b03") == ["a", 2, "b", 3, ""]
    names = ["S10", "s2", "S1", "LF1", "_x", "a"]
    assert sorted(names, key=natural_key) == ["_x", "a", "LF1", "S1", "s2", "S10"]


def test_treatment_labels():
    assert treatment_label(output("run a", 0, 1, 2), 1) == "#1"
    assert treatment_label(output("run a", 2, 1, 2), 1) == "#3"
    assert treatment_label(output("run a", 0, 1, 2), 2) == "run a #1"
    assert treatment_label(output("run a", 1, 1, 2), 3) == "run a #2"


def test_stability_tables_by_prompt_and_by_tag():
    outputs = [
        *(output("a", r, i, 10 * r + i) for r in range(3) for i in (1, 2)),
        *(output("b", r, i, 50 + 10 * r + i) for r in range(2) for i in (1, 2)),
        output("c", 0, 1, 90, prompt="S10"),
        output("c", 1, 1, 91, prompt="S10"),
        output("d", 0, 2, 95, prompt="S2", tags={"scene": "text"}),
    ]
    tables = stability_tables(outputs, "prompt")
    assert list(tables) == ["S1", "S2", "S10"]
    assert tables == {
        "S1": {
            "a #1": {1: 1, 2: 2}, "a #2": {1: 11, 2: 12}, "a #3": {1: 21, 2: 22},
            "b #1": {1: 51, 2: 52}, "b #2": {1: 61, 2: 62},
        },
        "S2": {"#1": {2: 95}},
        "S10": {"#1": {1: 90}, "#2": {1: 91}},
    }  # fmt: skip
    by_scene = stability_tables(outputs, "scene")
    assert list(by_scene) == ["(none)", "text"]
    assert by_scene["text"] == {"#1": {2: 95}}
    assert sorted(by_scene["(none)"])[:2] == ["a #1", "a #2"]
    assert len(by_scene["(none)"]) == 7  # runs a, b, c in one group: labels carry the run
    assert stability_tables([], "prompt") == {}


def test_finite_values_keep_only_finite_scores_of_images():
    rows = [
        SimpleNamespace(image_id=1, metric="psnr", value=30.5),
        SimpleNamespace(image_id=2, metric="psnr", value=float("nan")),
        SimpleNamespace(image_id=3, metric="psnr", value=float("inf")),
        SimpleNamespace(image_id=4, metric="psnr", value=float("-inf")),
        SimpleNamespace(image_id=5, metric="psnr", value=None),
        SimpleNamespace(image_id=None, metric="psnr", value=1.0),
        SimpleNamespace(image_id=1, metric="niqe", value=0.0),
        SimpleNamespace(image_id=6, metric="niqe", value=-1e308),
    ]
    got = finite_values(SimpleNamespace(rows=rows))
    assert got == {(1, "psnr"): 30.5, (1, "niqe"): 0.0, (6, "niqe"): -1e308}
    assert finite_values(SimpleNamespace(rows=[])) == {}


# --- the whole table from a project -------------------------------------------------------------


def _restore(path, ids, prompt, repeat, name):
    params = {**VARYING, "prompt": prompt}
    return restore_images(path, ids, "generation-loss", params, repeat=repeat, run_name=name)


@pytest.fixture
def project(tmp_path):
    path, ids = make_inputs(tmp_path, count=3, size=32)
    runs = {
        "first": _restore(path, ids, "S1", 3, "first"),
        "second": _restore(path, ids, "S1", 2, "second"),
    }
    return path, ids, runs


def _by_hand(path, results, ids, metric, ref=None):
    outputs = [r.output_image_id for r in results]
    stored = score_project(path, [metric], image_ids=outputs, reference=ref, compute=False)
    table = [
        [stored.value(r.output_image_id, metric) for r in results if r.input_image_id == i]
        for i in ids
    ]
    return friedmanchisquare(*zip(*table, strict=True))


def test_table_of_two_metrics_one_run_equals_scipy(project):
    path, ids, runs = project
    seen = []
    rows = friedman_table(
        path, "prompt", ["entropy", "psnr"], "input", runs=["first"], device="cpu",
        progress=lambda done, total: seen.append((done, total)),
    )  # fmt: skip
    assert [(r.group, r.metric, r.treatments, r.blocks) for r in rows] == [
        ("S1", "entropy", 3, 3),
        ("S1", "psnr", 3, 3),
    ]
    for row in rows:
        ref = "input" if row.metric == "psnr" else None
        want = _by_hand(path, runs["first"], ids, row.metric, ref)
        assert row.statistic == pytest.approx(want.statistic, rel=1e-12)
        assert row.p_value == pytest.approx(want.pvalue, rel=1e-12)
        assert row.significant is bool(want.pvalue < 0.05) and row.note == ""
    assert seen and seen[-1] == (18, 18)  # 9 outputs of run first, 2 metrics: inputs unscored
    # both runs: five treatments, labelled by run
    both = friedman_table(path, "prompt", ["entropy"])  # computes run second's, on "auto"
    assert [(r.group, r.treatments, r.blocks) for r in both] == [("S1", 5, 3)]
    results = runs["first"] + runs["second"]
    hand = _by_hand(path, results, ids, "entropy")
    assert both[0].statistic == pytest.approx(hand.statistic, rel=1e-12)


def test_table_reads_only_stored_scores_without_compute(project):
    path, _ids, _runs = project
    rows = friedman_table(path, "run", ["entropy"], compute=False)
    assert [(r.group, r.statistic, r.blocks) for r in rows] == [
        ("first", None, 0),
        ("second", None, 0),
    ]
    assert rows[0].note == "needs at least 2 images scored in every repeat, has 0"
    assert rows[1].note == "needs at least 3 repeats, has 2 (iris restore --repeat 3)"
    # a full-reference metric without its reference has no score
    no_ref = friedman_table(path, "run", ["psnr"], runs=["first"], device="cpu")
    assert no_ref[0].statistic is None and no_ref[0].blocks == 0


def test_table_refusals(project, tmp_path):
    path, _ids, _runs = project
    with pytest.raises(IrisError) as caught:
        friedman_table(path, "prompt", [])
    assert str(caught.value) == "name at least one metric"
    (tmp_path / "empty").mkdir()
    empty, _ = make_inputs(tmp_path / "empty", count=2, size=32)
    with pytest.raises(IrisError) as caught:
        friedman_table(empty, "prompt", ["entropy"])
    assert str(caught.value) == f"{empty}: no restore outputs to test (run iris restore --repeat 3)"
    with pytest.raises(IrisError, match="no restore run 'third'"):
        friedman_table(path, "prompt", ["entropy"], runs=["third"])
    with pytest.raises(IrisError, match="cannot group by 'scene'"):
        friedman_table(path, "scene", ["entropy"])


def test_table_passes_device_alignment_progress_and_cancel_to_scoring(project):
    path, _ids, _runs = project
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        friedman_table(path, "prompt", ["entropy"], device="tpu")
    with pytest.raises(AlignmentError, match="unknown alignment 'stretch'"):
        friedman_table(path, "prompt", ["psnr"], "input", align_policy="stretch")
    with pytest.raises(AlignmentError, match="unknown resize filter 'blur'"):
        friedman_table(path, "prompt", ["psnr"], "input", align_filter="blur")
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        friedman_table(path, "prompt", ["entropy"], cancel=cancel)
