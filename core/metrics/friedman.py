"""The Friedman test over repeated runs: are k runs of one setting rated alike by a metric?

Blocks are the items every run scored (the same input image for restore runs,
the same step for iterative runs), treatments are the runs. The statistic
carries the tie correction, as scipy's ``friedmanchisquare``; the p-value is
the chi-square tail with k - 1 degrees of freedom (the study's Table 3: a
p below 0.05 says the runs differ).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.errors import IrisError


@dataclass(frozen=True)
class FriedmanResult:
    statistic: float
    p_value: float
    blocks: int
    treatments: int

    @property
    def significant(self) -> bool:
        return self.p_value < 0.05

    def as_dict(self) -> dict:
        return {
            "statistic": self.statistic,
            "p_value": self.p_value,
            "blocks": self.blocks,
            "treatments": self.treatments,
            "significant": self.significant,
        }


def friedman(table: Sequence[Sequence[float]]) -> FriedmanResult:
    """Friedman chi-square of a blocks x treatments table (rows: items, columns: runs)."""
    from scipy.stats import chi2, rankdata

    data = np.asarray(table, dtype=float)
    if data.ndim != 2 or data.shape[1] < 3:
        raise IrisError("the Friedman test needs at least 3 runs (treatments)")
    if data.shape[0] < 2:
        raise IrisError("the Friedman test needs at least 2 items scored by every run")
    n, k = data.shape
    ranks = np.apply_along_axis(rankdata, 1, data)
    ties = 0.0
    for row in ranks:
        _, counts = np.unique(row, return_counts=True)
        ties += float(np.sum(counts**3 - counts))
    correction = 1.0 - ties / (n * k * (k * k - 1))
    rank_sums = ranks.sum(axis=0)
    statistic = 12.0 / (n * k * (k + 1)) * float(np.sum(rank_sums**2)) - 3.0 * n * (k + 1)
    if correction <= 0:  # every run identical on every item: no evidence of a difference
        return FriedmanResult(0.0, 1.0, n, k)
    statistic /= correction
    return FriedmanResult(float(statistic), float(chi2.sf(statistic, k - 1)), n, k)
