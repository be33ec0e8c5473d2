"""Inter-annotator agreement per label: Cohen's kappa for two annotators, Fleiss' for more.

For one label each annotator rates each image *present* (they flagged the label
anywhere on it) or *absent*. Only images every compared annotator has seen
count (seen = marked reviewed or annotated with any label), so an image one of
them never opened is not read as a disagreement.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from core.annotations.model import Annotation


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> tuple[float | None, float, float]:
    """(kappa, observed agreement, chance agreement) of two binary rating vectors."""
    a = np.asarray(a, dtype=bool)
    b = np.asarray(b, dtype=bool)
    if a.size == 0:
        return None, 0.0, 0.0
    observed = float(np.mean(a == b))
    pa, pb = float(a.mean()), float(b.mean())
    expected = pa * pb + (1 - pa) * (1 - pb)
    if np.isclose(expected, 1.0):
        return None, observed, expected  # both always agree by construction: undefined
    return (observed - expected) / (1 - expected), observed, expected


def fleiss_kappa(ratings: np.ndarray) -> tuple[float | None, float, float]:
    """(kappa, mean observed agreement, chance agreement) of an items x raters binary matrix."""
    ratings = np.asarray(ratings, dtype=bool)
    items, raters = ratings.shape
    if items == 0 or raters < 2:
        return None, 0.0, 0.0
    present = ratings.sum(axis=1).astype(float)
    counts = np.stack([raters - present, present], axis=1)  # n_ij: items x categories
    per_item = (np.sum(counts**2, axis=1) - raters) / (raters * (raters - 1))
    observed = float(per_item.mean())
    shares = counts.sum(axis=0) / (items * raters)
    expected = float(np.sum(shares**2))
    if np.isclose(expected, 1.0):
        return None, observed, expected
    return (observed - expected) / (1 - expected), observed, expected


def agreement(
    annotations: Iterable[Annotation],
    labels: Iterable[str],
    reviews: Iterable[tuple[str, str]] = (),
    annotators: list[str] | None = None,
) -> dict[str, dict[str, Any]]:
    """Per label: kappa, method, the annotators compared, the items counted.

    ``reviews`` holds ``(image_sha256, annotator)`` pairs of review marks.
    """
    live = [a for a in annotations if not a.deleted]
    seen: dict[str, set[str]] = {}
    flagged: set[tuple[str, str, str]] = set()
    for a in live:
        seen.setdefault(a.annotator, set()).add(a.image_sha256)
        flagged.add((a.annotator, a.image_sha256, a.label))
    for sha, who in reviews:
        seen.setdefault(who, set()).add(sha)
    raters = sorted(annotators if annotators is not None else seen)
    result: dict[str, dict[str, Any]] = {}
    if len(raters) < 2:
        return result
    common = sorted(set.intersection(*(seen.get(r, set()) for r in raters)))
    for label in labels:
        matrix = np.array(
            [[(r, sha, label) in flagged for r in raters] for sha in common], dtype=bool
        ).reshape(len(common), len(raters))
        if len(raters) == 2:
            kappa, observed, expected = cohen_kappa(matrix[:, 0], matrix[:, 1])
            method = "cohen"
        else:
            kappa, observed, expected = fleiss_kappa(matrix)
            method = "fleiss"
        result[label] = {
            "method": method,
            "kappa": None if kappa is None else round(kappa, 6),
            "observed": round(observed, 6),
            "expected": round(expected, 6),
            "items": len(common),
            "positives": int(matrix.sum()),
            "annotators": raters,
        }
    return result
