"""Banana100 gap counts pinned by hand: a step fails when its mean gap is > 0 (any positive
gap, however small, not only gaps above one point), and failed_images uses the steps given."""

from __future__ import annotations

from core.metrics.gaps import ChainGaps, MetricGaps, failed_images, failure_counts


def _gaps(deltas: dict[int, float | None]) -> dict[str, MetricGaps]:
    return {"m": MetricGaps("m", [ChainGaps("m", "run-a", "img", deltas)])}


def test_a_mean_gap_below_one_point_is_still_a_failure() -> None:
    # Mean gaps 0.5 (> 0: a failure), 0.0 (exactly 0: not a failure), -2 (not a failure).
    gaps = _gaps({5: 0.5, 10: 0.0, 20: -2.0})
    metrics, images, rows = failure_counts(gaps)
    assert (metrics, images, rows) == (["m"], ["img"], [[1]])


def test_a_gap_of_exactly_zero_is_not_a_failure() -> None:
    assert failure_counts(_gaps({5: 0.0, 10: 0.0, 20: 0.0}))[2] == [[0]]
    assert failed_images(_gaps({5: 0.0, 10: 0.0, 20: 0.0})) == {"m": (0, 1)}


def test_failed_images_counts_over_the_steps_it_is_given() -> None:
    # Only step 2 has a positive gap: with steps (2,) the image fails, with the default
    # steps (5, 10, 20) it does not.
    gaps = _gaps({2: 3.0, 5: -1.0, 10: -1.0, 20: -1.0})
    assert failed_images(gaps, steps=(2,)) == {"m": (1, 1)}
    assert failed_images(gaps) == {"m": (0, 1)}
