"""Percentile bootstrap confidence intervals of a mean, resampling images, seeded.

Every cell of a table resamples its own values with a generator seeded by the
table's seed alone, so a cell's interval does not depend on which other cells
the table has or in what order they are computed: the same seed gives the same
interval on any machine (NumPy's PCG64 stream is stable across versions).
"""

from __future__ import annotations

import numpy as np

DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 0
MAX_RESAMPLES = 100_000
# Resamples drawn per block: bounds the memory of a cell of many images.
_BLOCK_ELEMENTS = 4_000_000


def bootstrap_ci(
    values: np.ndarray,
    *,
    level: float = 0.95,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> tuple[float, float] | None:
    """(low, high) percentile interval of the mean of ``values``; None under 2 values."""
    if not 0.0 < level <= 1.0:  # NaN fails too; 1 spans the smallest to the largest mean
        raise ValueError(f"a confidence level is in (0, 1], got {level}")
    data = np.asarray(values, dtype=np.float64)
    n = data.size
    if n < 2:
        return None
    rng = np.random.default_rng(seed)
    means = np.empty(resamples, dtype=np.float64)
    block = max(1, _BLOCK_ELEMENTS // n)
    for start in range(0, resamples, block):
        count = min(block, resamples - start)
        picks = rng.integers(0, n, size=(count, n))
        means[start : start + count] = data[picks].mean(axis=1)
    tail = (1.0 - level) / 2.0 * 100.0
    low, high = np.percentile(means, [tail, 100.0 - tail])
    return float(low), float(high)
