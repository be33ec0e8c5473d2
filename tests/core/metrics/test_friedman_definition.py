"""The Friedman test against statistics worked out by hand (seed 000: p < 0.05 = significant).

Q = 12 / (n k (k + 1)) sum_j R_j^2 - 3 n (k + 1), divided by the tie correction
1 - sum(t^3 - t) / (n k (k^2 - 1)); with k = 3 runs the chi-square tail (2 degrees of freedom)
is exactly exp(-Q / 2), so every p below is closed-form.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from core.errors import IrisError
from core.metrics.friedman import FriedmanResult, friedman


def test_identical_orderings_on_four_items():
    # every item ranks the runs 1, 2, 3: R = (4, 8, 12), Q = 12/48 * 224 - 48 = 8, p = e^-4
    result = friedman([[1.0, 2.0, 3.0], [0.1, 0.5, 0.9], [10, 20, 30], [-3, -2, -1]])
    assert result.statistic == pytest.approx(8.0, rel=1e-12)
    assert result.p_value == pytest.approx(math.exp(-4.0), rel=1e-12)
    assert result.significant
    assert (result.blocks, result.treatments) == (4, 3)


def test_opposite_orderings_are_not_significant():
    # R = (4, 4, 4): Q = 12/24 * 48 - 24 = 0, p = 1
    result = friedman([[1, 2, 3], [3, 2, 1]])
    assert result.statistic == pytest.approx(0.0, abs=1e-12)
    assert result.p_value == pytest.approx(1.0)
    assert not result.significant


def test_ties_use_mid_ranks_and_the_correction():
    # ranks (1.5, 1.5, 3) and (1, 2, 3): R = (2.5, 3.5, 6), sum R^2 = 54.5,
    # Q0 = 12/24 * 54.5 - 24 = 3.25; one pair tied: C = 1 - 6/48 = 0.875; Q = 26/7
    result = friedman([[1, 1, 2], [1, 2, 3]])
    assert result.statistic == pytest.approx(26 / 7, rel=1e-12)
    assert result.p_value == pytest.approx(math.exp(-13 / 7), rel=1e-12)
    assert not result.significant


def test_four_runs():
    # n = 2, k = 4, both rows rank 1..4: R = (2, 4, 6, 8), Q = 12/40 * 120 - 30 = 6
    # chi-square tail with 3 degrees of freedom at 6: erfc(sqrt 3) + sqrt(12/pi) e^-3
    result = friedman([[1, 2, 3, 4], [5, 6, 7, 8]])
    assert result.statistic == pytest.approx(6.0, rel=1e-12)
    tail = math.erfc(math.sqrt(3.0)) + math.sqrt(12.0 / math.pi) * math.exp(-3.0)
    assert result.p_value == pytest.approx(tail, rel=1e-9)
    assert result.treatments == 4 and result.blocks == 2


def test_every_run_identical_on_every_item():
    result = friedman([[1, 1, 1], [2, 2, 2], [5, 5, 5]])
    assert result.statistic == 0.0 and result.p_value == 1.0
    assert not result.significant
    assert (result.blocks, result.treatments) == (3, 3)


def test_significance_threshold_is_strictly_below_five_percent():
    assert FriedmanResult(1.0, 0.0499, 5, 3).significant
    assert not FriedmanResult(1.0, 0.05, 5, 3).significant
    assert not FriedmanResult(1.0, 0.0501, 5, 3).significant
    assert FriedmanResult(9.0, 1e-6, 5, 3).significant


def test_as_dict_has_every_figure_and_is_json():
    result = friedman([[1.0, 2.0, 3.0], [0.1, 0.5, 0.9], [10, 20, 30], [-3, -2, -1]])
    row = result.as_dict()
    assert row == {
        "statistic": pytest.approx(8.0),
        "p_value": pytest.approx(math.exp(-4.0)),
        "blocks": 4,
        "treatments": 3,
        "significant": True,
    }
    assert json.loads(json.dumps(row))["significant"] is True
    assert FriedmanResult(0.0, 1.0, 2, 3).as_dict()["significant"] is False


THREE_RUNS = "the Friedman test needs at least 3 runs (treatments)"
TWO_ITEMS = "the Friedman test needs at least 2 items scored by every run"


@pytest.mark.parametrize(
    "table,message",
    [
        ([[1, 2], [3, 4], [5, 6]], THREE_RUNS),
        ([1, 2, 3], THREE_RUNS),  # one dimension
        (np.zeros((2, 3, 3)), THREE_RUNS),
        ([[1, 2, 3]], TWO_ITEMS),
    ],
)
def test_refused_tables(table, message):
    with pytest.raises(IrisError) as refused:
        friedman(table)
    assert str(refused.value) == message  # the whole sentence the CLI and the GUI show


def test_numbers_given_as_text_rank_as_numbers():
    # As text "10" < "8" < "9"; as numbers 8 < 9 < 10: the table is read as numbers.
    as_text = friedman([["8", "9", "10"], ["8", "9", "10"], ["8", "10", "9"]])
    as_numbers = friedman([[8, 9, 10], [8, 9, 10], [8, 10, 9]])
    assert as_text.statistic == pytest.approx(as_numbers.statistic)
    assert as_text.statistic == pytest.approx(14 / 3)  # R = (3, 7, 8): 12/36 * 122 - 36


def test_smallest_accepted_table():
    result = friedman([[1, 2, 3], [1, 3, 2]])  # R = (2, 5, 5): Q = 12/24 * 54 - 24 = 3
    assert result.statistic == pytest.approx(3.0)
    assert result.p_value == pytest.approx(math.exp(-1.5))
