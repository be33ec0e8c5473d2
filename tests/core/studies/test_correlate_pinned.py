"""Table 8 pinned: coefficients by hand and by scipy, the pairing levels by hand, the refusals."""

from __future__ import annotations

import math
import threading
import warnings
from decimal import Decimal

import numpy as np
import pytest
from scipy.stats import kendalltau, pearsonr, spearmanr

from core.errors import Cancelled, IrisError
from core.methods.runner import restore_images
from core.metrics.alignment import AlignmentError
from core.metrics.scoring import score_project
from core.project import Project
from core.studies.correlate import (
    Coefficient,
    Correlation,
    _finite,
    _pairs,
    coefficients,
    correlate,
)
from tests.core.studies.conftest import make_inputs

NAMES = [("kendall_tau_b", "Kendall's tau-b"), ("srcc", "SRCC"), ("plcc", "PLCC")]


def _message(call) -> str:
    with pytest.raises(IrisError) as caught:
        call()
    return str(caught.value)


# --- the coefficients ----------------------------------------------------------------------------


def test_three_pairs_by_hand():
    # x = 1, 2, 3 and y = 1, 3, 2: pairs (1,2) and (1,3) concordant, (2,3) discordant, so
    # tau = (2 - 1) / 3; ranks differ by 0, 1, 1: rho = 1 - 6 * 2 / (3 * 8) = 1/2; Pearson's r is
    # cov 1 / sqrt(2 * 2) = 1/2. p-values for n = 3: Kendall exact, 3 of the 6 orders have at
    # most one inversion, two-sided 1; Spearman's t = 0.5 * sqrt(1 / 0.75) with 1 degree of
    # freedom (Cauchy): 2 * (1/2 - atan(t) / pi) = 2/3; Pearson exact, 1 - 2 asin(1/2) / pi = 2/3
    got = coefficients([1.0, 2.0, 3.0], [1.0, 3.0, 2.0])
    assert [(c.name, c.title) for c in got] == NAMES
    want = [(1 / 3, 1.0), (0.5, 2 / 3), (0.5, 2 / 3)]
    for c, (value, p) in zip(got, want, strict=True):
        assert c.value == pytest.approx(value, rel=1e-12)
        assert c.p_value == pytest.approx(p, rel=1e-12)
        assert type(c.value) is float and type(c.p_value) is float


def test_perfect_agreement_by_hand():
    # four pairs in the same order: every coefficient 1; Kendall's exact p is 2 / 4! = 1/12
    got = coefficients([1, 2, 3, 4], [10, 20, 30, 40])
    assert [c.value for c in got] == pytest.approx([1.0, 1.0, 1.0], rel=1e-12)
    assert got[0].p_value == pytest.approx(1 / 12, rel=1e-12)
    assert got[1].p_value == pytest.approx(0.0, abs=1e-12)
    assert got[2].p_value == pytest.approx(0.0, abs=1e-12)
    reverse = coefficients([1, 2, 3, 4], [4.0, 3.0, 2.0, 1.0])
    assert [c.value for c in reverse] == pytest.approx([-1.0, -1.0, -1.0], rel=1e-12)


@pytest.mark.parametrize("seed", [3, 4])
def test_equal_scipy_on_tied_ratings(seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, size=25)
    y = np.round(4 * x + rng.normal(0, 1, size=25)).clip(1, 5)  # 1-5 ratings, ties
    got = coefficients(x.tolist(), y.tolist())
    for c, want in zip(got, [kendalltau(x, y), spearmanr(x, y), pearsonr(x, y)], strict=True):
        assert c.value == pytest.approx(want[0], rel=1e-12)
        assert c.p_value == pytest.approx(want[1], rel=1e-12)


def test_yes_no_and_decimal_scores_are_read_as_numbers():
    # a pass/fail judgement (bool) is 0/1, a score read from a database may be a Decimal:
    # both are taken as the floats they stand for
    passed = coefficients([True, False, True, False, True], [5.0, 1.0, 4.0, 2.0, 3.0])
    ones = coefficients([1.0, 0.0, 1.0, 0.0, 1.0], [5.0, 1.0, 4.0, 2.0, 3.0])
    assert passed == ones and passed[2].value is not None
    decimals = [Decimal("1.5"), Decimal("2"), Decimal("0.5"), Decimal("3")]
    assert coefficients([4.0, 1.0, 2.0, 3.0], decimals) == coefficients(
        [4.0, 1.0, 2.0, 3.0], [1.5, 2.0, 0.5, 3.0]
    )
    assert coefficients(decimals, [True, True, False, False])[0].value == pytest.approx(
        kendalltau([1.5, 2.0, 0.5, 3.0], [1, 1, 0, 0])[0], rel=1e-12
    )


def test_a_range_of_exactly_one_is_not_constant():
    got = coefficients([0.0, 0.5, 1.0], [0.0, 1.0, 0.25])  # np.ptp == 1 on both sides
    assert all(c.value is not None for c in got)
    assert got[1].value == pytest.approx(0.5, rel=1e-12)  # ranks 1, 2, 3 against 1, 3, 2


@pytest.mark.parametrize(
    ("x", "y"), [([1, 2, 3], [4, 4, 4]), ([7, 7, 7, 7], [1, 2, 3, 4]), ([2, 2, 2], [5, 5, 5])]
)
def test_a_constant_side_gives_three_undefined_coefficients(x, y):
    got = coefficients(x, y)
    assert got == [Coefficient(name, title, None, None) for name, title in NAMES]


def test_near_constant_input_warns_nobody():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = coefficients([1.0, 1.0, 1.0 + 1e-13], [1.0, 2.0, 3.0])
    assert got[0].value == pytest.approx(kendalltau([0, 0, 1], [1, 2, 3])[0], rel=1e-12)


def test_pairs_and_lengths_are_checked():
    assert _message(lambda: coefficients([1, 2, 3], [1, 2])) == (
        "the two vectors must be paired (same length)"
    )
    assert _message(lambda: coefficients([[1, 2, 3]], [[1, 2, 3]])) == (
        "the two vectors must be paired (same length)"
    )
    assert _message(lambda: coefficients([1, 2], [2, 3])) == (
        "a correlation needs at least 3 pairs, got 2"
    )
    assert _message(lambda: coefficients([], [])) == "a correlation needs at least 3 pairs, got 0"
    assert len(coefficients([1, 2, 3], [3, 1, 2])) == 3  # three pairs are enough


@pytest.mark.parametrize(
    ("x", "y"),
    [
        ([1, 2, math.nan], [1, 2, 3]),
        ([1, 2, 3], [1, math.inf, 3]),
        ([1, 2, 3], [-math.inf, 2, 3]),
        ([math.inf, 2, 3], [1, 2, 3]),
    ],
)
def test_non_finite_values_are_refused(x, y):
    assert _message(lambda: coefficients(x, y)) == (
        "the vectors hold a value that is not a finite number"
    )


def test_finite_or_none():
    assert _finite(None) is None
    assert _finite(math.nan) is None
    assert _finite(math.inf) is None
    assert _finite(-math.inf) is None
    assert _finite(0.25) == 0.25
    assert type(_finite(np.float64(2.0))) is float and type(_finite(3)) is float


# --- the pairing levels --------------------------------------------------------------------------

PER_IMAGE = {1: 0.5, 2: 0.7, 3: 0.1, 9: 1.0}  # image 9 has no rating
RATINGS = {1: [2.0, 4.0], 2: [5.0], 3: [1.0, 2.0, 3.0], 8: [3.0]}  # image 8 has no score
METHODS = {1: "b", 3: "b", 4: "a", 9: "c", 2: None}


def test_pairs_by_image_average_the_ratings():
    assert _pairs(PER_IMAGE, RATINGS, METHODS, "image") == (
        ["1", "2", "3"],
        [0.5, 0.7, 0.1],
        [3.0, 5.0, 2.0],
    )


def test_pairs_by_rating_repeat_the_score():
    assert _pairs(PER_IMAGE, RATINGS, METHODS, "rating") == (
        ["1", "1", "2", "3", "3", "3"],
        [0.5, 0.5, 0.7, 0.1, 0.1, 0.1],
        [2.0, 4.0, 5.0, 1.0, 2.0, 3.0],
    )


def test_pairs_by_method_average_images_and_all_their_ratings():
    # method b: images 1 and 3, x = (0.5 + 0.1) / 2, y = mean of 2, 4, 1, 2, 3 = 12 / 5
    # (not the mean of the image means, 2.5); image 2 has no method: "(none)", sorted first
    labels, x, y = _pairs(PER_IMAGE, RATINGS, METHODS, "method")
    assert labels == ["(none)", "b"]
    assert x == pytest.approx([0.7, 0.3], rel=1e-15)
    assert y == pytest.approx([5.0, 2.4], rel=1e-15)
    unknown = _pairs({5: 1.0, 6: 3.0}, {5: [1.0], 6: [2.0]}, {}, "method")
    assert unknown == (["(none)"], [2.0], [1.5])


def test_correlation_record():
    result = Correlation("psnr", "human", "image", ["1", "2"], [0.5, 0.7], [3.0, 5.0])
    result.coefficients = [Coefficient("srcc", "SRCC", 1.0, 0.0)]
    assert result.n == 2
    assert result.as_dict() == {
        "metric": "psnr",
        "against": "human",
        "by": "image",
        "n": 2,
        "coefficients": {"srcc": {"value": 1.0, "p_value": 0.0}},
        "pairs": [{"label": "1", "x": 0.5, "y": 3.0}, {"label": "2", "x": 0.7, "y": 5.0}],
    }
    assert Correlation("a", "b", "image").n == 0
    broken = Correlation("psnr", "human", "image", ["1"], [0.5, 0.7], [3.0, 5.0])
    with pytest.raises(ValueError):
        broken.as_dict()  # labels and values are paired, never cut to the shorter


# --- correlate() on a project --------------------------------------------------------------------


def test_request_refusals_before_the_project_is_read(tmp_path):
    missing = tmp_path / "nowhere"
    assert _message(lambda: correlate(missing, "psnr", human=True, by="pixel")) == (
        "pair by one of image, method, rating, not 'pixel'"
    )
    either = "correlate with either the human ratings or a second metric"
    assert _message(lambda: correlate(missing, "psnr")) == either
    assert _message(lambda: correlate(missing, "psnr", human=True, metric2="niqe")) == either
    assert _message(lambda: correlate(missing, "psnr", metric2="niqe", by="rating")) == (
        "--by rating pairs each human rating; use image or method with --metric2"
    )


@pytest.fixture
def rated(tmp_path):
    """Four inputs, three methods' outputs of each, two raters per output and one of input 0."""
    path, ids = make_inputs(tmp_path, count=4, size=32)
    restore_images(path, ids, "generation-loss", {"quality": 30})
    restore_images(path, ids, "gamma", {})
    restore_images(path, ids, "unsharp", {"amount": 2.0})
    with Project.open(path) as project:
        outputs = [i.id for i in project.images(kind="restored")]
        methods = project.image_methods()
        rows = [(i, "ann", (n * 2) % 5 + 1) for n, i in enumerate(outputs)]
        rows += [(i, "bo", (n * 3) % 5 + 1) for n, i in enumerate(outputs)]
        rows.append((ids[0], "ann", 3))  # an input rated: its psnr against itself is not finite
        project.put_ratings(rows)
    return path, ids, outputs, methods, rows


def _stored(path, metric, ids, ref=None):
    report = score_project(path, [metric], image_ids=ids, reference=ref, compute=False)
    return [report.value(i, metric) for i in ids]


def test_against_human_ratings_by_image_and_by_rating(rated):
    path, ids, outputs, _methods, rows = rated
    seen = []
    correlate(path, "entropy", human=True, progress=lambda *done_total: seen.append(done_total))
    assert seen and seen[-1] == (13, 13)  # the rated images only: 12 outputs and 1 input
    result = correlate(path, "psnr", "input", human=True, device="cpu")
    assert (result.metric, result.against, result.by) == ("psnr", "human", "image")
    assert result.labels == [str(i) for i in outputs]  # the input (psnr inf) is left out
    x = _stored(path, "psnr", outputs, "input")
    assert all(math.isfinite(v) for v in x)
    y = [np.mean([s for j, _r, s in rows if j == i]) for i in outputs]
    assert result.x == x and result.y == pytest.approx(y, rel=1e-15)
    for c, want in zip(
        result.coefficients, [kendalltau(x, y), spearmanr(x, y), pearsonr(x, y)], strict=True
    ):
        assert c.value == pytest.approx(want[0], rel=1e-12)
        assert c.p_value == pytest.approx(want[1], rel=1e-12)

    each = correlate(path, "psnr", "input", human=True, by="rating", compute=False)
    assert each.by == "rating" and each.n == 24
    ratings = sorted((i, r, s) for i, r, s in rows if i in outputs)
    xs = [x[outputs.index(i)] for i, _r, _s in ratings]
    ys = [float(s) for *_i, s in ratings]
    assert each.x == xs and each.y == ys
    assert each.coefficients[0].value == pytest.approx(kendalltau(xs, ys)[0], rel=1e-12)


def test_against_a_second_metric_by_method(rated):
    path, ids, outputs, methods, _rows = rated
    result = correlate(path, "entropy", "input", metric2="psnr", by="method", device="cpu")
    assert (result.against, result.by, result.labels) == (
        "psnr",
        "method",
        ["gamma", "generation-loss", "unsharp"],
    )
    entropy = _stored(path, "entropy", outputs)
    psnr = _stored(path, "psnr", outputs, "input")
    for label, x, y in zip(result.labels, result.x, result.y, strict=True):
        mine = [k for k, i in enumerate(outputs) if methods[i] == label]
        assert x == pytest.approx(np.mean([entropy[k] for k in mine]), rel=1e-14)
        assert y == pytest.approx(np.mean([psnr[k] for k in mine]), rel=1e-14)
    by_image = correlate(path, "entropy", "input", metric2="psnr", compute=False)
    assert by_image.labels == [str(i) for i in outputs]  # made by a method: inputs left out
    assert by_image.x == entropy and by_image.y == psnr
    assert by_image.coefficients[2].value == pytest.approx(pearsonr(entropy, psnr)[0], rel=1e-12)


def test_a_metric_against_itself_is_one(rated):
    path, *_ = rated
    result = correlate(path, "entropy", metric2="entropy", device="cpu")
    assert result.n == 12 and result.x == result.y
    assert [c.value for c in result.coefficients] == pytest.approx([1.0, 1.0, 1.0], rel=1e-12)


def test_without_compute_only_stored_scores_pair(rated):
    path, *_ = rated
    with pytest.raises(IrisError, match="at least 3 pairs, got 0"):
        correlate(path, "entropy", human=True, compute=False)
    with pytest.raises(IrisError, match="at least 3 pairs, got 0"):  # psnr needs its reference
        correlate(path, "psnr", human=True, device="cpu")


def test_project_refusals(tmp_path):
    path, ids = make_inputs(tmp_path, count=3, size=32)
    assert _message(lambda: correlate(path, "entropy", human=True)) == (
        f"{path}: no human ratings (iris ratings import, or Annotate)"
    )
    assert _message(lambda: correlate(path, "entropy", metric2="niqe")) == (
        f"{path}: no image made by a method to correlate over"
    )


def test_device_alignment_progress_and_cancel_reach_scoring(rated):
    path, *_ = rated
    with pytest.raises(ValueError, match="unknown device 'tpu'"):
        correlate(path, "entropy", human=True, device="tpu")
    with pytest.raises(AlignmentError, match="unknown alignment 'stretch'"):
        correlate(path, "psnr", "input", human=True, align_policy="stretch")
    with pytest.raises(AlignmentError, match="unknown resize filter 'blur'"):
        correlate(path, "psnr", "input", human=True, align_filter="blur")
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        correlate(path, "entropy", human=True, cancel=cancel)
