"""Depth curves against values computed outside the code under test.

Every expected value here comes from the definitions (Vision Banana, seed 004:
f(d) = 1 - (1 - d / (lambda c))^(lambda + 1); a linear range f = (d - near) / (far - near);
an inverse range linear in 1/d), either worked out by hand in the comments or by the few
lines of reference numpy below, which share no code with ``core.depth.curves``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.depth.codecs import make_codec
from core.depth.curves import InverseRange, LinearRange, PowerCurve, make_curve
from core.errors import IrisError

# -- reference implementations (written from the formulas, not from the module) ---------------


def ref_power_f(d, lam: float, c: float):
    """f of the power curve, element by element with math.pow (depths past a finite far end: 1)."""
    out = []
    for x in np.ravel(d):
        if lam > 0 and x >= lam * c or math.isinf(x):
            out.append(1.0)
        else:
            out.append(1.0 - math.pow(1.0 - max(x, 0.0) / (lam * c), lam + 1.0))
    return np.array(out)


def ref_power_depth(f, lam: float, c: float):
    """Depth of the power curve's parameter f (f = 1: the far end, infinite for lambda < -1)."""
    out = []
    for x in np.ravel(f):
        x = min(max(x, 0.0), 1.0)
        if x == 1.0:
            out.append(math.inf if lam < -1 else lam * c)
        else:
            out.append(lam * c * (1.0 - math.pow(1.0 - x, 1.0 / (lam + 1.0))))
    return np.array(out)


def ref_inverse_f(d, near: float, far: float):
    d = np.minimum(np.maximum(np.asarray(d, float), near), far)
    return (1.0 / near - 1.0 / d) / (1.0 / near - 1.0 / far)


def ref_inverse_depth(f, near: float, far: float):
    f = np.minimum(np.maximum(np.asarray(f, float), 0.0), 1.0)
    inv = (1.0 - f) / near + f / far  # inverse depth interpolated linearly
    return 1.0 / inv


# -- the power curve: hand tables ---------------------------------------------------------------


def test_default_curve_forward_table():
    # lambda = -3, c = 10/3: f = 1 - (1 + d/10)^-2
    curve = PowerCurve()
    d = np.array([0.0, 0.5, 1.0, 10.0, 30.0, 90.0, np.inf])
    expected = [0.0, 1 - 1 / 1.05**2, 1 - 1 / 1.1**2, 0.75, 1 - 1 / 16, 0.99, 1.0]
    np.testing.assert_allclose(curve.to_f(d), expected, rtol=1e-12)
    assert curve.far == math.inf


def test_depths_below_one_metre_are_not_clipped():
    curve = PowerCurve()
    d = np.array([0.01, 0.1, 0.25, 0.999])
    np.testing.assert_allclose(curve.to_depth(curve.to_f(d)), d, rtol=1e-12)
    # f(0.1) = 1 - 1/1.0201 = 0.01970395...
    assert curve.to_f(np.array([0.1]))[0] == pytest.approx(0.019703951, rel=1e-7)


def test_a_custom_scale_is_used():
    # lambda = -3, c = 5: f = 1 - (1 + d/15)^-2; f = 0.75 at d = 15, f = 0.5 at 15 (sqrt 2 - 1)
    curve = PowerCurve(-3.0, 5.0)
    np.testing.assert_allclose(
        curve.to_depth(np.array([0.5, 0.75])), [15 * (math.sqrt(2) - 1), 15.0], rtol=1e-12
    )
    np.testing.assert_allclose(curve.to_f(np.array([15.0])), [0.75], rtol=1e-12)


@pytest.mark.parametrize("scale", [0.25, 0.5, 1.0])
def test_scales_up_to_one(scale):
    # lambda = -3: f = 0.75 where 1 + d / (3c) = 2, i.e. d = 3c
    curve = PowerCurve(-3.0, scale)
    assert curve.to_depth(np.array([0.75]))[0] == pytest.approx(3 * scale, rel=1e-12)
    assert curve.to_f(np.array([3 * scale]))[0] == pytest.approx(0.75, rel=1e-12)


def test_lambda_minus_two_is_a_rational_curve():
    # lambda = -2, c = 1: f = 1 - 1/(1 + d/2) = d / (d + 2), d = 2f / (1 - f)
    curve = PowerCurve(-2.0, 1.0)
    d = np.array([0.0, 2.0, 6.0, 18.0, 198.0])
    np.testing.assert_allclose(curve.to_f(d), [0.0, 0.5, 0.75, 0.9, 0.99], rtol=1e-12)
    np.testing.assert_allclose(curve.to_depth(np.array([0.5, 0.75, 0.9])), [2, 6, 18], rtol=1e-12)


def test_lambda_between_minus_two_and_minus_one():
    # lambda = -1.5, c = 2: f = 1 - (1 + d/3)^-1/2; f(9) = 1/2, f(24) = 2/3; d(0.75) = 3 (16 - 1)
    curve = PowerCurve(-1.5, 2.0)
    np.testing.assert_allclose(curve.to_f(np.array([0.0, 9.0, 24.0])), [0, 0.5, 2 / 3], rtol=1e-12)
    assert curve.to_depth(np.array([0.75]))[0] == pytest.approx(45.0, rel=1e-12)
    assert curve.far == math.inf and curve.to_depth(np.array([1.0]))[0] == math.inf


def test_positive_lambda_ends_at_a_finite_depth():
    # lambda = 1, c = 2: f = 1 - (1 - d/2)^2, far end at d = 2
    curve = PowerCurve(1.0, 2.0)
    assert curve.far == 2.0
    d = np.array([0.0, 0.5, 1.0, 2.0, 3.0, np.inf])
    np.testing.assert_allclose(curve.to_f(d), [0.0, 0.4375, 0.75, 1.0, 1.0, 1.0], rtol=1e-12)
    f = np.array([0.0, 0.4375, 0.75, 1.0, 1.5])
    np.testing.assert_allclose(curve.to_depth(f), [0.0, 0.5, 1.0, 2.0, 2.0], rtol=1e-12)


def test_positive_lambda_two():
    # lambda = 2, c = 3: f = 1 - (1 - d/6)^3; f(3) = 7/8; d(f) = 6 (1 - (1 - f)^(1/3))
    curve = PowerCurve(2.0, 3.0)
    assert curve.far == 6.0
    assert curve.to_f(np.array([3.0]))[0] == pytest.approx(0.875, rel=1e-12)
    assert curve.to_depth(np.array([0.875]))[0] == pytest.approx(3.0, rel=1e-12)
    assert curve.to_depth(np.array([1.0]))[0] == 6.0


def test_negative_depths_and_out_of_range_parameters_clip():
    curve = PowerCurve()
    np.testing.assert_array_equal(curve.to_f(np.array([-5.0])), [0.0])
    np.testing.assert_array_equal(curve.to_depth(np.array([-0.5])), [0.0])
    assert curve.to_depth(np.array([1.5]))[0] == math.inf


@pytest.mark.parametrize(
    "lam,c",
    [(-3.0, 10 / 3), (-2.0, 1.0), (-1.5, 2.0), (-1.05, 0.3), (-6.0, 12.0), (0.3, 4.0), (4.0, 0.5)],
)
def test_power_curve_matches_the_reference(lam, c):
    curve = PowerCurve(lam, c)
    far = curve.far if math.isfinite(curve.far) else 500.0
    d = np.concatenate([np.linspace(0.0, far, 101), [far * 1.5, -1.0]])
    np.testing.assert_allclose(curve.to_f(d), ref_power_f(d, lam, c), rtol=1e-10, atol=1e-14)
    f = np.concatenate([np.linspace(0.0, 0.999, 101), [1.0, -0.2, 1.3]])
    np.testing.assert_allclose(
        curve.to_depth(f), ref_power_depth(f, lam, c), rtol=1e-10, atol=1e-14
    )


# -- validation boundaries --------------------------------------------------------------------


@pytest.mark.parametrize(
    "lam,c",
    [(-1.0000001, 1.0), (-1e6, 1.0), (1e-9, 1.0), (5.0, 1e-9), (-3.0, 1e-9), (-3.0, 1e6)],
)
def test_accepted_curve_parameters(lam, c):
    curve = PowerCurve(lam, c)
    assert curve.curve_lambda == lam and curve.curve_scale == c


@pytest.mark.parametrize(
    "lam,c",
    [
        (-1.0, 1.0),  # lambda + 1 = 0: no curve
        (-0.5, 1.0),  # between -1 and 0: f would fall with depth
        (0.0, 1.0),
        (-3.0, 0.0),
        (-3.0, -1.0),
        (1.0, -2.0),
        (math.nan, 1.0),
        (-3.0, math.nan),
        (-3.0, math.inf),
        (-math.inf, 1.0),
        (math.inf, 1.0),
    ],
)
def test_refused_curve_parameters(lam, c):
    with pytest.raises(IrisError, match="lambda"):
        PowerCurve(lam, c)


# -- range modes --------------------------------------------------------------------------------


def test_linear_range_table():
    rng = LinearRange(2.0, 6.0)  # f = (d - 2) / 4
    d = np.array([0.0, 2.0, 3.0, 4.0, 6.0, 9.0])
    np.testing.assert_allclose(rng.to_f(d), [0.0, 0.0, 0.25, 0.5, 1.0, 1.0], rtol=1e-12)
    f = np.array([-1.0, 0.0, 0.25, 1.0, 2.0])
    np.testing.assert_allclose(rng.to_depth(f), [2.0, 2.0, 3.0, 6.0, 6.0], rtol=1e-12)


def test_linear_range_may_start_at_zero():
    rng = LinearRange(0.0, 10.0)
    np.testing.assert_allclose(rng.to_f(np.array([0.0, 2.5, 10.0])), [0, 0.25, 1], rtol=1e-12)
    np.testing.assert_allclose(rng.to_depth(np.array([0.0, 0.25])), [0.0, 2.5], rtol=1e-12)


def test_inverse_range_table():
    # near 1, far 4: f = (1 - 1/d) / (3/4); f(2) = 2/3, f(4/3) = 1/3; d(f) = 1 / (1 - 3f/4)
    rng = InverseRange(1.0, 4.0)
    d = np.array([0.5, 1.0, 4 / 3, 2.0, 4.0, 10.0])
    np.testing.assert_allclose(rng.to_f(d), [0.0, 0.0, 1 / 3, 2 / 3, 1.0, 1.0], rtol=1e-12)
    f = np.array([-0.5, 0.0, 1 / 3, 2 / 3, 1.0, 1.5])
    np.testing.assert_allclose(rng.to_depth(f), [1.0, 1.0, 4 / 3, 2.0, 4.0, 4.0], rtol=1e-12)


@pytest.mark.parametrize("near,far", [(0.3, 80.0), (0.5, 100.0), (2.0, 2000.0), (0.01, 0.02)])
def test_inverse_range_matches_the_reference(near, far):
    rng = InverseRange(near, far)
    d = np.geomspace(near * 0.5, far * 2, 200)
    np.testing.assert_allclose(rng.to_f(d), ref_inverse_f(d, near, far), rtol=1e-10, atol=1e-14)
    f = np.linspace(-0.1, 1.1, 200)
    np.testing.assert_allclose(rng.to_depth(f), ref_inverse_depth(f, near, far), rtol=1e-10)


@pytest.mark.parametrize("near,far", [(0.0, 1.0), (0.0, 1e-9), (5.0, 5.0000001), (0.0, 1e9)])
def test_linear_range_accepts(near, far):
    assert LinearRange(near, far).far == far


@pytest.mark.parametrize(
    "near,far", [(-0.1, 1.0), (1.0, 1.0), (2.0, 1.0), (0.0, math.inf), (math.nan, 1.0)]
)
def test_linear_range_refuses(near, far):
    with pytest.raises(IrisError, match="near"):
        LinearRange(near, far)


@pytest.mark.parametrize("near,far", [(1e-9, 1.0), (5.0, 5.0000001), (0.1, 1e9)])
def test_inverse_range_accepts(near, far):
    assert InverseRange(near, far).near == near


@pytest.mark.parametrize(
    "near,far", [(0.0, 1.0), (-1.0, 1.0), (1.0, 1.0), (2.0, 1.0), (1.0, math.inf), (1.0, math.nan)]
)
def test_inverse_range_refuses(near, far):
    with pytest.raises(IrisError, match="inverse range"):
        InverseRange(near, far)


# -- make_curve: the mode names each build their own curve --------------------------------------


def test_make_curve_builds_the_named_mode():
    assert make_curve() == PowerCurve(-3.0, 10 / 3)
    assert make_curve("curve", curve_lambda=-2, curve_scale=5) == PowerCurve(-2.0, 5.0)
    linear = make_curve("linear", near=1, far=3)
    inverse = make_curve("inverse", near=1, far=3)
    assert type(linear) is LinearRange and (linear.near, linear.far) == (1.0, 3.0)
    assert type(inverse) is InverseRange and (inverse.near, inverse.far) == (1.0, 3.0)
    # at the middle depth 2: linear f = 1/2, inverse f = (1 - 1/2) / (1 - 1/3) = 3/4
    assert linear.to_f(np.array([2.0]))[0] == pytest.approx(0.5)
    assert inverse.to_f(np.array([2.0]))[0] == pytest.approx(0.75)


def test_make_curve_refusals_name_the_problem():
    with pytest.raises(IrisError, match=r"unknown range mode 'log'; known: curve, linear, inverse"):
        make_curve("log", near=1, far=2)
    for mode in ("linear", "inverse"):
        with pytest.raises(IrisError, match=rf"range mode '{mode}' needs --near and --far"):
            make_curve(mode, near=1.0)
        with pytest.raises(IrisError, match="needs --near and --far"):
            make_curve(mode, far=1.0)


# -- the codecs hand these curves their parameters ----------------------------------------------


def test_vision_banana_codec_uses_its_custom_curve():
    codec = make_codec("vision-banana", curve_lambda=-3.0, curve_scale=5.0)
    assert codec.f_to_depth(np.array([0.75]))[0] == pytest.approx(15.0, rel=1e-6)
    codec = make_codec("vision-banana", curve_lambda=1.0, curve_scale=2.0)
    assert codec.f_to_depth(np.array([0.75]))[0] == pytest.approx(1.0, rel=1e-6)


@pytest.mark.parametrize("name", ["plasma", "gray"])  # maps whose 256 entries are distinct
def test_colour_map_range_modes_decode_to_the_reference_depths(name):
    """Depths at the map's entries decode, through 8-bit colours, to the reference depths."""
    cases = [
        ({"range_mode": "linear", "near": 0.0, "far": 20.0}, None),
        ({"range_mode": "inverse", "near": 0.5, "far": 100.0}, (0.5, 100.0)),
        ({"range_mode": "inverse", "near": 2.0, "far": 2000.0, "reverse": True}, (2.0, 2000.0)),
        ({"range_mode": "curve", "curve_lambda": -2.0, "curve_scale": 1.0}, "rational"),
    ]
    for params, kind in cases:
        codec = make_codec(name, **params)
        f = np.linspace(0.0, 1.0, 256)  # exactly the map's entries
        if kind is None:
            expected = 20.0 * f
        elif kind == "rational":
            f = f[:-1]
            expected = 2 * f / (1 - f)
        else:
            expected = ref_inverse_depth(f, *kind)
        depth = expected[None, :]
        decoded = codec.decode_rgb(codec.encode(depth), max_path_distance=None).depth[0]
        np.testing.assert_allclose(decoded, expected, rtol=1e-5, atol=1e-5, err_msg=str(params))


@pytest.mark.parametrize(
    "curve", [PowerCurve(), PowerCurve(1.0, 2.0), LinearRange(0.5, 20.0), InverseRange(0.3, 80.0)]
)
def test_float32_and_integer_inputs_are_computed_in_float64(curve):
    """Depth maps arrive as float32: every curve computes in float64 whatever comes in."""
    d32 = np.array([0.7, 1.3, 3.3, 7.1, 15.9], dtype=np.float32)
    f = curve.to_f(d32)
    assert f.dtype == np.float64
    np.testing.assert_allclose(f, curve.to_f(d32.astype(np.float64)), rtol=1e-15)
    f32 = np.array([0.1, 0.3, 0.55, 0.9], dtype=np.float32)
    depth = curve.to_depth(f32)
    assert depth.dtype == np.float64
    np.testing.assert_allclose(depth, curve.to_depth(f32.astype(np.float64)), rtol=1e-15)
    assert curve.to_f(np.array([1, 2, 3])).dtype == np.float64
    assert curve.to_depth(np.array([0, 1])).dtype == np.float64


def test_far_ends_and_steep_curves_raise_no_floating_point_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        steep = PowerCurve(-1.05, 1.0)  # (1 - f)^-20 overflows next to f = 1
        assert steep.to_depth(np.array([1 - 1e-16, 1.0]))[1] == math.inf
        assert PowerCurve().to_depth(np.array([1.0]))[0] == math.inf  # 0^-0.5: divide
        assert PowerCurve().to_f(np.array([math.inf]))[0] == 1.0
        assert PowerCurve(1.0, 2.0).to_f(np.array([2.0, math.inf])).tolist() == [1.0, 1.0]
