"""Seed 003's Table 8 coefficients: equal to scipy's on the same vectors, at each pairing level."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import kendalltau, pearsonr, spearmanr

from core.errors import IrisError
from core.methods.runner import restore_images
from core.metrics.scoring import score_project
from core.project import Project
from core.studies.correlate import coefficients, correlate
from tests.core.studies.conftest import VARYING, make_inputs


def _expected(x, y):
    return [kendalltau(x, y), spearmanr(x, y), pearsonr(x, y)]


@pytest.mark.parametrize("seed", [0, 1])
def test_coefficients_equal_scipy_with_ties(seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=40)
    y = np.round(2.5 + x + rng.normal(size=40), 0).clip(0, 5)  # 0-5 scores: many ties
    ours = coefficients(list(x), list(y))
    assert [c.name for c in ours] == ["kendall_tau_b", "srcc", "plcc"]
    for got, want in zip(ours, _expected(x, y), strict=True):
        assert got.value == pytest.approx(want[0], rel=1e-12)
        assert got.p_value == pytest.approx(want[1], rel=1e-9)


def test_short_constant_and_non_finite_vectors():
    with pytest.raises(IrisError, match="at least 3 pairs"):
        coefficients([1, 2], [2, 3])
    with pytest.raises(IrisError, match="finite"):
        coefficients([1, 2, float("nan")], [1, 2, 3])
    assert all(c.value is None and c.p_value is None for c in coefficients([1, 2, 3], [4, 4, 4]))


def test_metric_against_ratings_and_second_metric(tmp_path):
    path, ids = make_inputs(tmp_path, count=4, size=32)
    made = (("generation-loss", VARYING, 3), ("unsharp", {"amount": 2.0}, 1), ("gamma", {}, 1))
    for method, params, repeat in made:
        restore_images(path, ids, method, params, repeat=repeat)
    rows = []
    with Project.open(path) as project:
        outputs = [i.id for i in project.images(kind="restored")]
        for n, image_id in enumerate(outputs):
            rows += [(image_id, "ann", n % 6), (image_id, "bo", (n * 7) % 6)]
        project.put_ratings(rows)
        methods = project.image_methods()
    result = correlate(path, "entropy", human=True, device="cpu")
    stored = score_project(path, ["entropy", "psnr"], image_ids=outputs, compute=False)
    x = [stored.value(i, "entropy") for i in outputs]
    means = [np.mean([s for j, _r, s in rows if j == i]) for i in outputs]
    assert result.n == len(outputs) and result.x == x and result.y == pytest.approx(means)
    for got, want in zip(result.coefficients, _expected(x, means), strict=True):
        assert got.value == pytest.approx(want[0], rel=1e-12)
        assert got.p_value == pytest.approx(want[1], rel=1e-9)

    per_rating = correlate(path, "entropy", human=True, by="rating", compute=False)
    assert per_rating.n == len(rows)
    assert per_rating.coefficients[1].value == pytest.approx(
        spearmanr([stored.value(i, "entropy") for i, _r, _s in rows], [s for *_x, s in rows])[0]
    )

    other = correlate(path, "entropy", "input", metric2="psnr", device="cpu")
    psnr = score_project(path, ["psnr"], image_ids=outputs, reference="input", compute=False)
    y = [psnr.value(i, "psnr") for i in outputs]
    assert other.n == len(outputs) and other.y == y
    assert other.coefficients[2].value == pytest.approx(pearsonr(x, y)[0], rel=1e-12)

    by_method = correlate(path, "entropy", human=True, by="method", compute=False)
    assert by_method.labels == sorted({methods[i] for i in outputs})
    gl = [i for i in outputs if methods[i] == by_method.labels[0]]
    assert by_method.x[0] == pytest.approx(np.mean([stored.value(i, "entropy") for i in gl]))
