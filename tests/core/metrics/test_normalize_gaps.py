"""Normalization and Banana100 gaps against values worked out by hand."""

from __future__ import annotations

import pytest

from core.metrics.catalogue import metric_info, parse_range
from core.metrics.gaps import MetricGaps, chain_gaps, failure_matrix
from core.metrics.normalize import normalize


def test_ranges_and_directions_from_pyiqa_and_the_model_card():
    brisque = metric_info("brisque")
    assert brisque.lower_better and brisque.range == (0, 150) and brisque.mode == "NR"
    assert metric_info("psnr").mode == "FR" and not metric_info("psnr").lower_better
    assert metric_info("lpips").lower_better and metric_info("lpips").range == (0.0, 1.0)
    assert metric_info("liqe").range == (1, 5)
    assert parse_range("~0, ~100") == (0.0, 100.0) and parse_range("~-1, ~0.1") == (-1.0, 0.1)
    assert metric_info("niqe").offline and metric_info("psnr").offline
    assert not metric_info("musiq").offline


def test_normalize_maps_range_and_flips_lower_better():
    # musiq [0, 100] higher-better: identity; liqe [1, 5]: (3 - 1) / 4 * 100 = 50
    assert normalize(42.0, "musiq") == pytest.approx(42.0)
    assert normalize(3.0, "liqe") == pytest.approx(50.0)
    # brisque [0, 150] lower-better: 100 - 30 / 150 * 100 = 80; out of range is not clipped
    assert normalize(30.0, "brisque") == pytest.approx(80.0)
    assert normalize(-15.0, "brisque") == pytest.approx(110.0)
    assert normalize(-15.0, "brisque", clip=True) == 100.0
    # wadiqam_nr [-1, 0.1]: (-0.45 + 1) / 1.1 * 100 = 50
    assert normalize(-0.45, "wadiqam_nr") == pytest.approx(50.0)


def test_gaps_against_hand_values_and_failure_flag():
    # BRISQUE (lower better, /150): step1 34.1 -> 77.2667; step5 40 -> 73.3333;
    # step10 45 -> 70; step20 -9.8 -> 106.5333
    values = {0: 20.0, 1: 34.1, 5: 40.0, 10: 45.0, 20: -9.8}
    gaps = chain_gaps("brisque", values, run="r1", image="holi")
    assert gaps.deltas[5] == pytest.approx(73.3333333 - 77.2666667)
    assert gaps.deltas[10] == pytest.approx(70.0 - 77.2666667)
    assert gaps.deltas[20] == pytest.approx(106.5333333 - 77.2666667)
    assert gaps.fails  # Delta20 > 0: a better score for a worse image

    honest = chain_gaps("musiq", {1: 70.0, 5: 65.0, 10: 60.0, 20: 40.0}, run="r2", image="rice")
    assert honest.deltas == {5: -5.0, 10: -10.0, 20: -30.0} and not honest.fails
    missing = chain_gaps("musiq", {1: 70.0, 5: 71.0}, run="r3", image="rice")
    assert missing.deltas == {5: 1.0, 10: None, 20: None} and missing.fails


def test_aggregate_counts_and_heatmap_matrix():
    gaps = MetricGaps("musiq")
    gaps.chains = [
        chain_gaps("musiq", {1: 70, 5: 65, 10: 60, 20: 40}, run="a", image="x"),
        chain_gaps("musiq", {1: 70, 5: 75, 10: 60, 20: 40}, run="b", image="x"),
        chain_gaps("musiq", {1: 50, 5: 45, 10: 40, 20: 60}, run="c", image="y"),
    ]
    summary = gaps.as_dict()
    assert summary["fails"] == 2 and set(summary) == {"delta5", "delta10", "delta20", "fails"}
    assert summary["delta5"] == pytest.approx((-5 + 5 - 5) / 3)
    assert summary["delta20"] == pytest.approx((-30 - 30 + 10) / 3)
    metrics, images, rows = failure_matrix({"musiq": gaps}, step=5)
    assert metrics == ["musiq"] and images == ["x", "y"]
    assert rows == [[pytest.approx(0.0), pytest.approx(-5.0)]]
    _, _, worst = failure_matrix({"musiq": gaps})  # largest Delta per chain, averaged
    assert worst == [[pytest.approx((-5 + 5) / 2), pytest.approx(10.0)]]
