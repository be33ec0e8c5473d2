"""ops: no-op edges (factor <= 1, sigma <= 0) return the input; just past them, pixels change."""

from __future__ import annotations

import numpy as np

from core.degrade.ops import convolve, disk_kernel, down_up, gaussian_blur, line_kernel, resize


def test_down_up_at_factor_one_or_less_returns_the_input_itself(scene):
    assert down_up(scene, 1.0) is scene
    assert down_up(scene, 0.5) is scene


def test_down_up_just_above_one_loses_detail_but_keeps_the_size(scene):
    out = down_up(scene, 1.05, "area", "bilinear")
    assert out.shape == scene.shape and out.dtype == np.float32
    assert not np.array_equal(out, scene)


def test_gaussian_blur_at_sigma_zero_or_less_returns_the_input_itself(scene):
    assert gaussian_blur(scene, 0.0) is scene
    assert gaussian_blur(scene, -1.0) is scene
    blurred = gaussian_blur(scene, 0.5)
    assert blurred.shape == scene.shape and not np.array_equal(blurred, scene)


def test_gaussian_blur_keeps_a_constant_and_a_2d_shape():
    flat = np.full((9, 7), 0.25, np.float32)
    out = gaussian_blur(flat, 2.0)
    assert out.shape == (9, 7)
    np.testing.assert_allclose(out, 0.25, atol=1e-6)


def test_resize_keeps_a_single_channel_axis_and_clip_choice():
    field = np.linspace(-1.0, 2.0, 16, dtype=np.float32).reshape(4, 4, 1)
    assert resize(field, 8, 8, "nearest").shape == (8, 8, 1)
    assert resize(field, 8, 8, "nearest").min() == 0.0
    assert resize(field, 8, 8, "nearest", clip=False).min() == -1.0
    assert resize(field, 0, 0).shape == (1, 1, 1)  # never below one pixel


def test_kernels_are_normalised_and_convolve_keeps_a_constant():
    for kernel in (line_kernel(7, 30), line_kernel(0.2, 0), disk_kernel(3), disk_kernel(0)):
        assert abs(float(kernel.sum()) - 1.0) < 1e-6
    assert line_kernel(0.2, 0).shape == (1, 1)
    flat = np.full((10, 10, 3), 0.4, np.float32)
    np.testing.assert_allclose(convolve(flat, np.ones((3, 3)) * 5.0), 0.4, atol=1e-6)
