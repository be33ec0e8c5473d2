"""Every classical baseline improves PSNR on the degradation it targets (synthetic images)."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from core.errors import Cancelled
from core.jobs import no_progress
from core.methods import get_method
from core.methods.classical_deblur import blur, gaussian_psf, motion_psf
from tests.core.methods.synthetic import colourful_scene, psnr, scene


def restore(name: str, pixels: np.ndarray, **params) -> np.ndarray:
    return get_method(name)(pixels, params, progress=no_progress, cancel=None).pixels


@pytest.fixture(scope="module")
def clean() -> np.ndarray:
    return scene(128)


def noisy(clean: np.ndarray, sigma255: float, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.clip(clean + rng.normal(0, sigma255 / 255, clean.shape), 0, 1).astype(np.float32)


def test_nlmeans_gains_3db_on_sigma25_noise(clean):
    degraded = noisy(clean, 25)
    gain = psnr(restore("nlmeans", degraded), clean) - psnr(degraded, clean)
    assert gain >= 3.0, gain


def test_bilateral_gains_on_sigma10_noise(clean):
    degraded = noisy(clean, 10)
    gain = psnr(restore("bilateral", degraded), clean) - psnr(degraded, clean)
    assert gain >= 2.0, gain


def test_unsharp_gains_on_mild_gaussian_blur(clean):
    degraded = blur(clean, gaussian_psf(1.0))
    gain = psnr(restore("unsharp", degraded, radius=1.0), clean) - psnr(degraded, clean)
    assert gain >= 1.0, gain


@pytest.mark.parametrize("algorithm", ["richardson_lucy", "wiener"])
def test_deconvolution_gains_on_gaussian_blur(clean, algorithm):
    degraded = blur(clean, gaussian_psf(2.0))
    out = restore("deconvolve", degraded, algorithm=algorithm, sigma=2.0, balance=0.001)
    assert psnr(out, clean) - psnr(degraded, clean) >= 2.0


def test_richardson_lucy_gains_on_motion_blur(clean):
    degraded = blur(clean, motion_psf(9, 30))
    out = restore("deconvolve", degraded, psf="motion", length=9, angle=30)
    assert psnr(out, clean) - psnr(degraded, clean) >= 2.0


def test_gamma_auto_brightens_a_gamma_darkened_image(clean):
    degraded = clean**2.2
    gain = psnr(restore("gamma", degraded), clean) - psnr(degraded, clean)
    assert gain >= 5.0, gain


def test_clahe_gains_on_a_low_light_image(clean):
    degraded = (0.4 * clean).astype(np.float32)
    gain = psnr(restore("clahe", degraded, clip_limit=4, tile_grid=4), clean) - psnr(
        degraded, clean
    )
    assert gain >= 1.0, gain


def test_dark_channel_dehazing_gains_on_synthetic_haze():
    clean = colourful_scene(128).copy()
    # A sky region, seen as the airlight itself: the dark channel prior finds the airlight
    # there (in a scene without one every pixel's dark channel ties and it cannot).
    clean[:32, :32] = 0.9
    hazy = (clean * 0.5 + 0.9 * 0.5).astype(np.float32)  # t = 0.5, airlight 0.9
    gain = psnr(restore("dehaze", hazy), clean) - psnr(hazy, clean)
    assert gain >= 5.0, gain


def test_jpeg_deblocking_gains_on_quality_10_jpeg(clean):
    import cv2

    _, data = cv2.imencode(".jpg", (clean * 255 + 0.5).astype(np.uint8)[:, :, ::-1], [1, 10])
    degraded = cv2.imdecode(data, cv2.IMREAD_COLOR)[:, :, ::-1].astype(np.float32) / 255
    gain = psnr(restore("jpeg_deblock", degraded, quality=10), clean) - psnr(degraded, clean)
    assert gain >= 0.3, gain


def test_long_method_stops_when_cancelled(clean):
    cancel = threading.Event()
    calls = []

    def progress(done, total):
        calls.append(done)
        if done == 3:
            cancel.set()

    with pytest.raises(Cancelled):
        get_method("deconvolve")(clean, {"iterations": 100}, progress=progress, cancel=cancel)
    assert max(calls) < 10
