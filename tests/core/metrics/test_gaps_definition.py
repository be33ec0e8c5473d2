"""Normalization and Banana100 gaps at the edges of their definitions (seeds 001/002).

norm(v) = 100 (v - low) / (high - low), flipped (100 - norm) for lower-better metrics, not
clipped unless asked; Delta_i = norm(step i) - norm(step 1); a metric fails on a chain when
any Delta_i > 0 (a gap of exactly 0 is not a failure). Expected values are worked by hand.
"""

from __future__ import annotations

import pytest

from core.metrics.catalogue import MetricInfo
from core.metrics.gaps import GAP_STEPS, ChainGaps, MetricGaps, chain_gaps, failure_matrix
from core.metrics.normalize import normalize

HIGHER = MetricInfo("toy-up", "NR", False, (10.0, 20.0), True)  # norm = 10 (v - 10)
LOWER = MetricInfo("toy-down", "NR", True, (10.0, 20.0), True)  # norm = 100 - 10 (v - 10)


# -- normalize --------------------------------------------------------------------------------


def test_normalize_takes_a_metric_info_or_a_name():
    assert normalize(15.0, HIGHER) == pytest.approx(50.0)
    assert normalize(12.0, HIGHER) == pytest.approx(20.0)
    assert normalize(12.0, LOWER) == pytest.approx(80.0)
    assert normalize(10.0, LOWER) == pytest.approx(100.0)
    assert normalize(20.0, LOWER) == pytest.approx(0.0)
    assert normalize(75.0, "brisque") == pytest.approx(50.0)  # [0, 150] lower-better


def test_normalize_is_not_clipped_by_default_on_either_side():
    assert normalize(25.0, HIGHER) == pytest.approx(150.0)
    assert normalize(5.0, HIGHER) == pytest.approx(-50.0)
    assert normalize(25.0, LOWER) == pytest.approx(-50.0)
    assert normalize(300.0, "brisque") == pytest.approx(-100.0)


def test_normalize_clips_to_both_bounds_when_asked():
    assert normalize(25.0, HIGHER, clip=True) == 100.0
    assert normalize(5.0, HIGHER, clip=True) == 0.0  # the lower bound
    assert normalize(25.0, LOWER, clip=True) == 0.0
    assert normalize(5.0, LOWER, clip=True) == 100.0
    assert normalize(300.0, "brisque", clip=True) == 0.0
    assert normalize(-15.0, "brisque", clip=True) == 100.0
    # inside the range clipping changes nothing
    assert normalize(13.0, HIGHER, clip=True) == pytest.approx(30.0)
    assert normalize(13.0, LOWER, clip=True) == pytest.approx(70.0)


# -- chain gaps ---------------------------------------------------------------------------------


def test_a_gap_of_exactly_zero_is_not_a_failure():
    # musiq [0, 100] higher-better: norm = value
    flat = chain_gaps("musiq", {1: 50.0, 5: 50.0, 10: 40.0, 20: 30.0})
    assert flat.deltas == {5: 0.0, 10: -10.0, 20: -20.0}
    assert not flat.fails
    all_zero = chain_gaps("musiq", {1: 50.0, 5: 50.0, 10: 50.0, 20: 50.0})
    assert not all_zero.fails
    tiny = chain_gaps("musiq", {1: 50.0, 5: 50.0, 10: 50.0, 20: 50.5})
    assert tiny.fails


def test_any_single_positive_gap_fails_the_chain():
    for step in GAP_STEPS:
        values = {1: 50.0, 5: 40.0, 10: 40.0, 20: 40.0}
        values[step] = 51.0
        assert chain_gaps("musiq", values).fails, step


def test_gaps_of_a_lower_better_metric_flip_sign():
    # toy-down: norm(12) = 80 at step 1; norm(11) = 90 (better) -> +10, norm(14) = 60 -> -20
    gaps = chain_gaps(LOWER, {1: 12.0, 5: 11.0, 10: 14.0, 20: 12.0}, run="r", image="i")
    assert gaps.deltas == {5: pytest.approx(10.0), 10: pytest.approx(-20.0), 20: 0.0}
    assert gaps.fails
    assert (gaps.metric, gaps.run, gaps.image) == (LOWER, "r", "i")


def test_step_zero_is_not_the_baseline():
    # the editor crops at step 1: step 0 (the input) is ignored even when present
    gaps = chain_gaps("musiq", {0: 90.0, 1: 60.0, 5: 55.0, 10: 50.0, 20: 45.0})
    assert gaps.deltas == {5: -5.0, 10: -10.0, 20: -15.0}


def test_a_chain_without_step_one_has_no_gaps_and_does_not_fail():
    gaps = chain_gaps("musiq", {0: 10.0, 5: 90.0, 10: 95.0, 20: 99.0}, run="r", image="x")
    assert gaps.deltas == {5: None, 10: None, 20: None}
    assert not gaps.fails
    assert (gaps.metric, gaps.run, gaps.image) == ("musiq", "r", "x")


def test_a_chain_is_unnamed_unless_told():
    for values in ({1: 50.0, 5: 40.0}, {5: 40.0}):  # with and without step 1
        gaps = chain_gaps("musiq", values)
        assert (gaps.metric, gaps.run, gaps.image) == ("musiq", "", "")


def test_custom_steps():
    gaps = chain_gaps("musiq", {1: 50.0, 2: 52.0, 3: 47.0}, steps=(2, 3, 4))
    assert gaps.deltas == {2: 2.0, 3: -3.0, 4: None}
    assert chain_gaps("musiq", {1: 5.0}, steps=(7,)).deltas == {7: None}


# -- one metric over chains -----------------------------------------------------------------


def chain(image: str, deltas: dict[int, float | None], run: str = "") -> ChainGaps:
    return ChainGaps("musiq", run or image, image, deltas)


def test_mean_delta_skips_missing_steps_and_counts_failures():
    gaps = MetricGaps(
        "musiq",
        [
            chain("a", {5: -4.0, 10: None, 20: 0.0}),
            chain("b", {5: 2.0, 10: -6.0, 20: None}),
            chain("c", {5: None, 10: None, 20: None}),
        ],
    )
    assert gaps.mean_delta(5) == pytest.approx(-1.0)
    assert gaps.mean_delta(10) == pytest.approx(-6.0)
    assert gaps.mean_delta(20) == 0.0
    assert gaps.mean_delta(40) is None
    assert gaps.fails == 1  # only "b" (Delta5 = 2 > 0); "a"'s 0 is not a failure
    assert gaps.as_dict() == {"delta5": -1.0, "delta10": -6.0, "delta20": 0.0, "fails": 1}
    assert gaps.as_dict(steps=(10,)) == {"delta10": -6.0, "fails": 1}


def test_an_empty_metric_has_no_means_and_no_failures():
    gaps = MetricGaps("musiq")
    assert gaps.chains == [] and gaps.fails == 0
    assert gaps.as_dict() == {"delta5": None, "delta10": None, "delta20": None, "fails": 0}


# -- the heatmap matrix -----------------------------------------------------------------------


def test_largest_gap_matrix_with_chains_lacking_step_one():
    up = MetricGaps(
        "musiq",
        [
            chain("x", {5: -3.0, 10: -1.0, 20: -8.0}, run="1"),  # largest: -1
            chain("x", {5: None, 10: None, 20: None}, run="2"),  # no step 1: left out
            chain("y", {5: None, 10: None, 20: None}, run="3"),  # the only chain of y
            chain("z", {5: None, 10: 4.0, 20: None}, run="4"),
        ],
    )
    down = MetricGaps("brisque", [chain("z", {5: -2.0, 10: -7.0, 20: -0.5})])
    metrics, images, rows = failure_matrix({"musiq": up, "brisque": down})
    assert metrics == ["musiq", "brisque"]
    assert images == ["x", "y", "z"]  # in order of first appearance over all metrics
    assert rows == [[-1.0, None, 4.0], [None, None, -0.5]]


def test_matrix_at_one_step_averages_that_step_and_leaves_empty_cells_none():
    gaps = MetricGaps(
        "musiq",
        [
            chain("x", {5: -3.0, 10: -1.0, 20: -8.0}, run="1"),
            chain("x", {5: -5.0, 10: None, 20: -2.0}, run="2"),
            chain("y", {5: 1.0, 10: None, 20: None}, run="3"),
        ],
    )
    _, images, at10 = failure_matrix({"musiq": gaps}, step=10)
    assert images == ["x", "y"] and at10 == [[-1.0, None]]
    _, _, at5 = failure_matrix({"musiq": gaps}, step=5)
    assert at5 == [[pytest.approx(-4.0), 1.0]]
    _, _, at_missing = failure_matrix({"musiq": gaps}, step=40)
    assert at_missing == [[None, None]]


def test_matrix_of_real_chains_without_step_one():
    gaps = MetricGaps(
        "musiq",
        [
            chain_gaps("musiq", {5: 60.0, 10: 50.0}, run="a", image="x"),
            chain_gaps("musiq", {1: 60.0, 5: 62.0, 10: 50.0, 20: 70.0}, run="b", image="y"),
        ],
    )
    metrics, images, rows = failure_matrix({"musiq": gaps})
    assert rows == [[None, 10.0]]
    assert failure_matrix({"musiq": gaps}, step=5)[2] == [[None, 2.0]]
    assert failure_matrix({}) == ([], [], [])
