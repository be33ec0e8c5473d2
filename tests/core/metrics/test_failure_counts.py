"""Banana100 Fig. 6: failures per metric x image cell, counted over the Fig. 5 steps (the
paper's) or over runs; and the per-metric count of images failed. Values worked by hand."""

from __future__ import annotations

import pytest

from core.metrics.gaps import ChainGaps, MetricGaps, failed_images, failure_counts


def _gaps() -> dict[str, MetricGaps]:
    # image "a" has two runs, "b" one, "c" none scored at step 5..20
    chains = [
        ChainGaps("m", "r1", "a", {5: 2.0, 10: -1.0, 20: 3.0}),
        ChainGaps("m", "r2", "a", {5: -4.0, 10: -1.0, 20: 1.0}),
        ChainGaps("m", "r3", "b", {5: 0.0, 10: -2.0, 20: -0.5}),
        ChainGaps("m", "r4", "c", {5: None, 10: None, 20: None}),
    ]
    return {"m": MetricGaps("m", chains)}


def test_the_papers_count_is_over_the_steps_of_the_mean_gap():
    metrics, images, rows = failure_counts(_gaps())
    assert metrics == ["m"] and images == ["a", "b", "c"]
    # a: mean gaps 5 -> -1.0, 10 -> -1.0, 20 -> +2.0: one failing step. b: 0 is no failure.
    assert rows == [[1, 0, None]]


def test_the_run_count_counts_failed_runs_of_each_image():
    _m, _i, rows = failure_counts(_gaps(), count="runs")
    assert rows == [[2, 0, None]]  # both runs of a have a gap > 0 somewhere


def test_failed_images_counts_cells_not_runs():
    assert failed_images(_gaps()) == {"m": (1, 2)}  # fails on a, not b; c has no gaps
    assert _gaps()["m"].fails == 2  # the per-run count, kept


def test_unknown_count_is_refused():
    with pytest.raises(ValueError, match="steps, runs"):
        failure_counts(_gaps(), count="chains")
