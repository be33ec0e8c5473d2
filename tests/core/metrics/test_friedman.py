"""IRIS's Friedman statistic and p-value against scipy's ``friedmanchisquare``."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import friedmanchisquare

from core.errors import IrisError
from core.metrics.friedman import friedman


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_matches_scipy_on_random_tables(seed):
    rng = np.random.default_rng(seed)
    table = rng.normal(size=(12, 3 + seed))
    table[:, 0] += 0.8 * seed  # make one run differ more and more
    ours = friedman(table)
    expected = friedmanchisquare(*table.T)
    assert ours.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert ours.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert (ours.blocks, ours.treatments) == table.shape


def test_matches_scipy_with_ties():
    table = np.array([[1, 1, 2], [3, 3, 3], [2, 1, 1], [5, 4, 4], [0.5, 0.5, 0.7]])
    ours = friedman(table)
    expected = friedmanchisquare(*table.T)
    assert ours.statistic == pytest.approx(expected.statistic, rel=1e-12)
    assert ours.p_value == pytest.approx(expected.pvalue, rel=1e-9)


def test_needs_three_runs_and_two_items():
    with pytest.raises(IrisError, match="at least 3 runs"):
        friedman([[1, 2], [3, 4]])
    with pytest.raises(IrisError, match="at least 2 items"):
        friedman([[1, 2, 3]])
    assert friedman([[1, 1, 1], [2, 2, 2]]).p_value == 1.0
