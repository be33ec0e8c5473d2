"""The dataset engines' metric functions: values, the reference rule, and refused pixel shapes."""

from __future__ import annotations

import math

import numpy as np
import pytest

from core.dataset.metric_adapter import check_metrics, known_metrics, load_metric, metric_version
from core.errors import IrisError


@pytest.fixture(scope="module")
def psnr():
    return load_metric("psnr", "cpu")


def test_known_metrics_hold_the_weight_free_ones_and_check_refuses_others():
    names = known_metrics()
    assert {"psnr", "ssim", "niqe"} <= set(names)
    check_metrics(["psnr", "niqe"])  # known: no error
    check_metrics([])
    with pytest.raises(IrisError, match="'psnrr'"):
        check_metrics(["psnr", "psnrr"])


def test_psnr_of_a_uniform_offset_is_computed_by_hand(psnr):
    reference = np.full((16, 16, 3), 0.4, np.float32)
    image = reference + 0.1  # MSE 0.01 -> 10 * log10(1 / 0.01) = 20 dB
    assert psnr(image, reference) == pytest.approx(20.0, abs=1e-3)
    assert (psnr.name, psnr.needs_reference, psnr.lower_better) == ("psnr", True, False)
    assert psnr.version == metric_version("psnr")


def test_a_full_reference_metric_without_its_reference_is_refused(psnr):
    with pytest.raises(ValueError, match=r"^psnr is a full-reference metric: no reference image$"):
        psnr(np.zeros((8, 8, 3), np.float32))


def test_a_reference_of_another_size_is_refused_naming_both_sizes(psnr):
    image = np.zeros((8, 10, 3), np.float32)  # 10 wide, 8 high
    with pytest.raises(ValueError, match=r"^reference is 10x9, image is 10x8$"):
        psnr(image, np.zeros((9, 10, 3), np.float32))


@pytest.mark.parametrize("shape", [(8, 8), (8, 8, 4), (8, 8, 1)])
def test_pixels_that_are_not_rgb_are_refused_naming_the_shape(psnr, shape):
    image = np.zeros(shape, np.float32)
    with pytest.raises(ValueError, match=r"expected \(H, W, 3\) pixels, got " + re_shape(shape)):
        psnr(image, image)


def re_shape(shape) -> str:
    return str(tuple(shape)).replace("(", r"\(").replace(")", r"\)")


def test_a_no_reference_metric_ignores_any_reference():
    niqe = load_metric("niqe", "cpu")
    assert (niqe.needs_reference, niqe.lower_better) == (False, True)
    image = np.random.default_rng(0).random((128, 128, 3)).astype(np.float32)
    alone = niqe(image)
    assert math.isfinite(alone)
    assert niqe(image, np.zeros((4, 4, 3), np.float32)) == alone
    assert niqe(np.clip(image * 0.2 + 0.4, 0, 1)) != alone  # the value is the image's
