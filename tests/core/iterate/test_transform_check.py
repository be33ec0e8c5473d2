"""transform_check: a step matched with its parent transformed as asked and as it was."""

from __future__ import annotations

import numpy as np
import pytest

from core.iterate.geometry import apply_transform, transform_check
from core.iterate.schedules import Transform
from core.metrics.alignment import resize_pixels
from tests.core.methods.synthetic import scene

PARENT = scene(96, seed=2)[:, :72]  # 96 x 72: not square, not symmetric


@pytest.mark.parametrize(
    "requested", [Transform(True, 0), Transform(False, 1), Transform(False, 3), Transform(True, 1)]
)
def test_a_performed_transform_is_found_even_when_the_editor_resized(requested):
    step = apply_transform(PARENT, requested)
    smaller = resize_pixels(step, (step.shape[1] // 2, step.shape[0] // 2), "bicubic")
    for candidate in (step, smaller):
        check = transform_check(PARENT, candidate, requested)
        assert check["transform_performed"] is True, check
        correlation = check["transform_correlation"]
        assert correlation["expected"] > 0.95 > correlation["untransformed"]


def test_an_untouched_step_is_not_performed_and_a_flat_one_has_no_evidence():
    check = transform_check(PARENT, PARENT.copy(), Transform(True, 0))
    assert check["transform_performed"] is False
    assert check["transform_correlation"]["untransformed"] == pytest.approx(1.0, abs=1e-4)
    flat = np.full_like(PARENT, 0.5)
    check = transform_check(PARENT, flat, Transform(False, 1))
    assert check["transform_correlation"] == {"expected": 0.0, "untransformed": 0.0}
    assert all(np.isfinite(v) for v in check["transform_correlation"].values())
