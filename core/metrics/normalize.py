"""Normalized scores: each metric's typical range mapped linearly to [0, 100], higher = better.

Lower-better metrics (BRISQUE, NIQE, LPIPS, ...) are flipped so that every
normalized curve reads the same way. Values outside the typical range are not
clipped: a BRISQUE below 0 normalizes above 100, and that is the failure the
Banana100 study reports.
"""

from __future__ import annotations

from core.metrics.catalogue import MetricInfo, metric_info


def normalize(value: float, info: MetricInfo | str, *, clip: bool = False) -> float:
    """``value`` of metric ``info`` on the common [0, 100] higher-is-better scale."""
    info = metric_info(info) if isinstance(info, str) else info
    low, high = info.range
    scaled = 100.0 * (value - low) / (high - low)
    if info.lower_better:
        scaled = 100.0 - scaled
    return min(100.0, max(0.0, scaled)) if clip else scaled
