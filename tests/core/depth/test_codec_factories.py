"""The codec factories called directly (not through the registry built at import), so that
mutation testing reaches them: each parameter lands in the curve, the path and ``params``."""

from __future__ import annotations

import numpy as np
import pytest

from core.depth.codecs import colormap_codec, colormap_tables, vision_banana
from core.depth.curves import InverseRange, LinearRange, PowerCurve


def test_colour_map_factory_with_the_default_curve():
    codec = colormap_codec("plasma")()
    assert codec.name == "plasma" and codec.discrete and not codec.reverse
    assert codec.curve == PowerCurve(-3.0, 10 / 3)
    assert codec.params == {
        "range_mode": "curve",
        "reverse": False,
        "curve_lambda": -3.0,
        "curve_scale": 10 / 3,
    }
    assert codec.path.name == "plasma" and len(codec.path.vertices) == 256
    np.testing.assert_allclose(
        codec.path.vertices, np.round(colormap_tables()["plasma"][:, :3] * 255) / 255, atol=1e-6
    )
    assert "plasma" in colormap_codec("plasma").__doc__


def test_colour_map_factory_with_a_custom_curve():
    codec = colormap_codec("gray")(curve_lambda=-2, curve_scale=5, unknown="ignored")
    assert codec.curve == PowerCurve(-2.0, 5.0)
    assert codec.params["curve_lambda"] == -2.0 and codec.params["curve_scale"] == 5.0
    # lambda -2, c 5: f = d / (d + 10); f = 0.5 at 10 m
    assert codec.f_to_depth(np.array([0.5]))[0] == pytest.approx(10.0, rel=1e-6)


@pytest.mark.parametrize("mode,kind", [("linear", LinearRange), ("inverse", InverseRange)])
def test_colour_map_factory_with_a_range(mode, kind):
    codec = colormap_codec("inferno")(range_mode=mode, near=1, far=4, reverse=True)
    assert codec.curve == kind(1.0, 4.0) and codec.reverse is True
    assert codec.params == {"range_mode": mode, "reverse": True, "near": 1.0, "far": 4.0}
    # reversed: f = 1 is the near end
    assert codec.f_to_depth(np.array([1.0]))[0] == pytest.approx(1.0)
    assert codec.f_to_depth(np.array([0.0]))[0] == pytest.approx(4.0)
    assert codec.depth_to_f(np.array([4.0]))[0] == pytest.approx(0.0)


def test_vision_banana_factory():
    codec = vision_banana(curve_lambda=-2, curve_scale=1, corners="kbcgyrmw", extra=1)
    assert codec.name == "vision-banana" and not codec.discrete and not codec.reverse
    assert codec.params == {"curve_lambda": -2.0, "curve_scale": 1.0, "corners": "KBCGYRMW"}
    assert codec.path.name == "KBCGYRMW"
    assert codec.path.vertices[1].tolist() == [0, 0, 1]  # B second
    assert codec.curve == PowerCurve(-2.0, 1.0)
