"""Helpers for compare-widget tests: small images, a shown widget, canvas read-back."""

from __future__ import annotations

import numpy as np
import pytest

from core.compare.pyramid import build_pyramid
from widgets.compare.pyramid_image import PyramidImage
from widgets.qimage import qimage_to_rgb


def pyramid(rgb: np.ndarray) -> PyramidImage:
    return PyramidImage(build_pyramid(np.ascontiguousarray(rgb), min_size=8))


def random_rgb(h: int, w: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def upscale(rgb: np.ndarray, factor: int) -> np.ndarray:
    return np.repeat(np.repeat(rgb, factor, axis=0), factor, axis=1)


def grab(canvas) -> np.ndarray:
    return qimage_to_rgb(canvas.grab().toImage())


def expected_render(widget, slot: int, canvas) -> tuple[np.ndarray, np.ndarray]:
    """What nearest-neighbour drawing of ``slot`` must put in each pixel of ``canvas``, and where."""
    image = widget.image(slot)
    affine = widget.placement(slot, canvas.view_size())
    sx = np.arange(canvas.width()) + 0.5
    sy = np.arange(canvas.height()) + 0.5
    cols = np.floor((sx - affine.bx) / affine.ax).astype(int)
    rows = np.floor((sy - affine.by) / affine.ay).astype(int)
    inside = ((rows >= 0) & (rows < image.height))[:, None] & ((cols >= 0) & (cols < image.width))[
        None, :
    ]
    pixels = image.pixels[
        np.clip(rows, 0, image.height - 1)[:, None], np.clip(cols, 0, image.width - 1)[None, :]
    ]
    return pixels, inside


@pytest.fixture
def compare(qtbot):
    from widgets.compare.widget import CompareWidget

    widget = CompareWidget()
    widget.show_overlays = False
    widget.resize(660, 500)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
