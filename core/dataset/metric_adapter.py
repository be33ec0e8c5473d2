"""The dataset engines' view of IRIS's metric engine: one scoring function per metric.

``load_metric(name, device)`` returns a :class:`MetricFn` that scores float32
RGB arrays in [0, 1], shape (H, W, 3), as :func:`core.imageio.load_image`
gives them (and, for full-reference metrics, the reference in the same form).
It builds the metric through :mod:`core.metrics.engine`, the code behind
``iris score`` and the Metrics view: the same weights check, shipped BRISQUE
and NIQE files, and metric versions, so a dataset job's rows and a project's
cached scores agree value for value and key for key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from core.metrics.catalogue import metric_info, metric_names
from core.metrics.engine import metric_version

__all__ = ["MetricFn", "check_metrics", "known_metrics", "load_metric", "metric_version"]


@dataclass
class MetricFn:
    """A loaded metric: ``fn(image, reference) -> float`` and whether it needs the reference."""

    name: str
    version: str
    needs_reference: bool
    lower_better: bool
    fn: Callable[[np.ndarray, np.ndarray | None], float]

    def __call__(self, image: np.ndarray, reference: np.ndarray | None = None) -> float:
        return self.fn(image, reference)


def known_metrics() -> list[str]:
    """Every metric name the engine can create."""
    return metric_names()


def check_metrics(names: list[str]) -> None:
    """Raise an error naming an unknown metric and listing the known ones."""
    for name in names:
        metric_info(name)


def load_metric(name: str, device: str = "cpu") -> MetricFn:
    """Build metric ``name`` on ``device`` once; the returned function scores one image."""
    from core.metrics.engine import load_metric as build
    from core.metrics.engine import score_pixels

    info = metric_info(name)
    model = build(name, device)

    def score(image: np.ndarray, reference: np.ndarray | None) -> float:
        if image.ndim != 3 or image.shape[2] != 3:
            raise ValueError(f"expected (H, W, 3) pixels, got {image.shape}")
        if not info.full_reference:
            return score_pixels(model, [image])[0]
        if reference is None:
            raise ValueError(f"{name} is a full-reference metric: no reference image")
        if reference.shape != image.shape:
            raise ValueError(
                f"reference is {reference.shape[1]}x{reference.shape[0]}, "
                f"image is {image.shape[1]}x{image.shape[0]}"
            )
        return score_pixels(model, [image], [reference])[0]

    return MetricFn(name, metric_version(name), info.full_reference, info.lower_better, score)
