"""Edit output sizes: refused policies and empty images, the 1 px edge, half-up snapping,
a zero grid treated as 1, and the longest side of the 1K/2K/4K policies.
"""

from __future__ import annotations

import pytest

from core.local_models.sizing import SIZE_POLICIES, output_size
from core.methods.base import ParamError


@pytest.mark.parametrize("policy", ["8K", "", "1k", "Input"])
def test_an_unknown_policy_is_refused_and_the_known_ones_listed(policy):
    with pytest.raises(ParamError) as info:
        output_size(100, 100, policy, 16)
    assert str(info.value) == f"unknown image_size {policy!r}; known: input, 1K, 2K, 4K"
    assert SIZE_POLICIES == ("input", "1K", "2K", "4K")


@pytest.mark.parametrize(("width", "height"), [(0, 10), (10, 0), (-1, 5)])
def test_an_empty_image_is_refused(width, height):
    with pytest.raises(ParamError, match=rf"^cannot size an edit of a {width}x{height} image$"):
        output_size(width, height, "input", 16)


def test_a_one_pixel_image_is_the_smallest_grid_step():
    assert output_size(1, 1, "input", 16) == (16, 16)
    assert output_size(1, 1, "1K", 16) == (1024, 1024)


def test_sides_snap_half_up_to_the_grid():
    assert output_size(40, 24, "input", 16) == (48, 32)  # 2.5 -> 3 and 1.5 -> 2 steps
    assert output_size(39, 23, "input", 16) == (32, 16)  # 2.44 -> 2 and 1.44 -> 1 steps
    assert output_size(7, 5, "input", 0) == (7, 5)  # a zero grid is a 1 px grid
    assert output_size(7, 5, "input", -4) == (7, 5)


def test_the_longest_side_is_the_policy_and_the_aspect_ratio_is_kept():
    assert output_size(2000, 1000, "1K", 16) == (1024, 512)
    assert output_size(1000, 3000, "2K", 16) == (688, 2048)  # 682.7 -> 43 steps of 16
    assert output_size(512, 512, "4K", 16) == (4096, 4096)  # small inputs are upscaled
