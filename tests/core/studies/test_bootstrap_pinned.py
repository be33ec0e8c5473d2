"""The ci95 of the Tables pinned: hand-computed intervals and a percentile bootstrap written here.

The reference below is the textbook percentile bootstrap of a mean (resample the n values with
replacement, take the mean, repeat; the interval is the (1 - level)/2 and (1 + level)/2
percentiles of those means), drawn with the generator the module documents
(``np.random.default_rng(seed)``, one (resamples, n) draw of indices).
"""

from __future__ import annotations

import numpy as np
import pytest

from core.studies.bootstrap import bootstrap_ci


def reference(values, level=0.95, resamples=1000, seed=0):
    data = np.asarray(values, dtype=np.float64)
    picks = np.random.default_rng(seed).integers(0, data.size, size=(resamples, data.size))
    means = data[picks].mean(axis=1)
    low = 100.0 * (1.0 - level) / 2.0
    return tuple(float(p) for p in np.percentile(means, [low, 100.0 - low]))


VALUES = [3.1, 4.7, 2.2, 9.8, 5.5, 6.1, 0.4, 7.3, 8.9, 1.6, 4.4]


def test_defaults_are_1000_resamples_seed_0_and_95_percent():
    got = bootstrap_ci(VALUES)
    assert isinstance(got, tuple) and all(type(v) is float for v in got)
    assert got == reference(VALUES, 0.95, 1000, 0)
    assert got != reference(VALUES, 0.95, 1001, 0)  # the count matters...
    assert got != reference(VALUES, 0.95, 1000, 1)  # ...and so does the seed
    assert got[0] < np.mean(VALUES) < got[1]


@pytest.mark.parametrize(
    ("level", "resamples", "seed"), [(0.95, 500, 7), (0.9, 2000, 3), (0.5, 999, 12345)]
)
def test_equals_the_reference_bootstrap(level, resamples, seed):
    got = bootstrap_ci(VALUES, level=level, resamples=resamples, seed=seed)
    assert got == reference(VALUES, level, resamples, seed)


def test_the_level_sets_the_percentiles_by_hand():
    # 2.5/97.5 for 95 %, 5/95 for 90 %, 25/75 for 50 %: the percentiles of the same means
    rng = np.random.default_rng(5)
    data = np.asarray(VALUES)
    means = data[rng.integers(0, data.size, size=(400, data.size))].mean(axis=1)
    for level, pair in ((0.95, [2.5, 97.5]), (0.9, [5.0, 95.0]), (0.5, [25.0, 75.0])):
        want = tuple(np.percentile(means, pair))  # (1 - 0.95) / 2 is 0.025 only to 1e-15
        got = bootstrap_ci(data, level=level, resamples=400, seed=5)
        assert got == pytest.approx(want, rel=1e-13, abs=0)
    # level 1: the smallest and largest resampled mean
    assert bootstrap_ci(data, level=1.0, resamples=400, seed=5) == (means.min(), means.max())


def test_two_values_are_enough_and_fewer_are_no_interval():
    # two values 0 and 1: a resample's mean is 0 (p = 1/4), 0.5 (1/2) or 1 (1/4), so with
    # 1000 resamples about 250 are 0 and 250 are 1: the 2.5th percentile is 0, the 97.5th is 1
    assert bootstrap_ci([0.0, 1.0]) == (0.0, 1.0)
    assert bootstrap_ci(np.array([5.0, 5.0])) == (5.0, 5.0)
    assert bootstrap_ci([2.5]) is None
    assert bootstrap_ci([]) is None
    assert bootstrap_ci(np.array([[1.0]])) is None  # size, not length, counts


def test_constant_values_give_a_point_interval():
    assert bootstrap_ci([4.25] * 9, resamples=50, seed=1) == (4.25, 4.25)


def test_single_precision_input_is_averaged_in_double():
    # float32 scores are widened before averaging: the means are the float64 ones
    data = (np.arange(1, 31, dtype=np.float32) / np.float32(7.0)) ** 2
    got = bootstrap_ci(data, resamples=300, seed=2)
    assert got == reference(data.astype(np.float64), 0.95, 300, 2)
    picks = np.random.default_rng(2).integers(0, data.size, size=(300, data.size))
    single = np.percentile(data[picks].mean(axis=1), [2.5, 97.5])
    assert tuple(float(v) for v in single) != got  # float32 means would be another interval


def test_integer_values_are_accepted():
    assert bootstrap_ci([1, 2, 3, 4, 5], resamples=200, seed=9) == reference(
        [1.0, 2.0, 3.0, 4.0, 5.0], 0.95, 200, 9
    )


def test_many_images_are_resampled_in_blocks_with_the_same_stream():
    # 4,000,000 // 5000 = 800 resamples a block: 1000 resamples are two blocks (800 + 200);
    # the interval is the one of a single (1000, n) draw, as a cell of few images gets
    rng = np.random.default_rng(11)
    data = rng.normal(10.0, 2.0, size=5000)
    assert bootstrap_ci(data, resamples=1000, seed=4) == reference(data, 0.95, 1000, 4)
    # and exactly one block boundary (800) or none (799) change nothing either
    assert bootstrap_ci(data, resamples=800, seed=4) == reference(data, 0.95, 800, 4)
    assert bootstrap_ci(data, resamples=801, seed=4) == reference(data, 0.95, 801, 4)


def test_one_resample_is_its_mean_twice():
    data = np.array([1.0, 2.0, 4.0])
    picks = np.random.default_rng(0).integers(0, 3, size=(1, 3))
    mean = float(data[picks].mean())
    assert bootstrap_ci(data, resamples=1) == (mean, mean)


@pytest.mark.parametrize("level", [1.5, 1.0000001, 0.0, -0.1, float("nan"), float("inf")])
def test_a_level_outside_zero_to_one_is_refused(level):
    with pytest.raises(ValueError, match=r"a confidence level is in \(0, 1\]"):
        bootstrap_ci(VALUES, level=level)


def test_a_non_finite_value_reaches_the_interval():
    # the Tables pass finite values only; a NaN left in makes every mean holding it NaN
    assert all(np.isnan(v) for v in bootstrap_ci([1.0, 2.0, float("nan")]))
