"""Figures: crops equal the source pixels at 1:1, x2 images line up, all formats write."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from core.compare.figure import (
    Crop,
    FigureError,
    extract_crop,
    make_figure,
    render_png_image,
    render_svg,
    save_figure,
)


def _rgb(h, w, seed):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def test_exported_png_crops_equal_the_source_pixels_at_1_to_1(tmp_path):
    images = [_rgb(60, 80, s) for s in range(3)]
    crop = Crop(13, 7, 21, 17)
    figure = make_figure(images, ["a", "b", "c"], crop, scale=1.0, with_full=True)
    path = save_figure(figure, tmp_path / "fig.png")
    pixels = np.asarray(Image.open(path).convert("RGB"))
    for rect, source in zip(figure.layout.crops, images, strict=True):
        panel = pixels[rect.y : rect.y + rect.h, rect.x : rect.x + rect.w]
        assert np.array_equal(panel, source[7:24, 13:34])


def test_scaled_and_x2_crops_are_nearest_neighbour_blocks():
    base = _rgb(30, 40, 5)
    x2 = np.repeat(np.repeat(base, 2, axis=0), 2, axis=1)
    crop = Crop(5, 4, 6, 3)
    expected = np.repeat(np.repeat(base[4:7, 5:11], 4, axis=0), 4, axis=1)
    assert np.array_equal(extract_crop(base, (40, 30), crop, scale=4), expected)
    assert np.array_equal(extract_crop(x2, (40, 30), crop, scale=4), expected)
    # At scale 2 the x2 image gives its own pixels, exactly.
    assert np.array_equal(extract_crop(x2, (40, 30), crop, scale=2), x2[8:14, 10:22])


def test_offset_moves_the_crop_in_the_images_own_pixels():
    base = _rgb(30, 40, 6)
    shifted = np.zeros_like(base)
    shifted[:, 3:] = base[:, :-3]  # content moved right by 3 px
    crop = Crop(10, 10, 8, 8)
    out = extract_crop(shifted, (40, 30), crop, offset=(-3, 0))  # drawn 3 px to the left
    assert np.array_equal(out, base[10:18, 10:18])


def test_shrinking_averages_and_outside_is_grey():
    base = np.zeros((4, 4, 3), np.uint8)
    base[:, :2] = 200
    out = extract_crop(base, (4, 4), Crop(0, 0, 4, 4), scale=0.5)
    assert out.shape == (2, 2, 3) and out[0, 0, 0] == 200 and out[0, 1, 0] == 0
    outside = extract_crop(base, (4, 4), Crop(2, 0, 4, 2), scale=1)
    assert outside[0, 3].tolist() == [128, 128, 128]


def test_svg_and_pdf(tmp_path):
    images = [_rgb(20, 20, 1), _rgb(20, 20, 2)]
    figure = make_figure(images, ["input <noisy>", "restored"], Crop(2, 2, 8, 8), scale=3)
    svg = render_svg(figure)
    assert svg.count("<image") == 2 and "input &lt;noisy&gt;" in svg
    pdf = save_figure(figure, tmp_path / "fig.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    png = render_png_image(figure)
    assert png.size == (figure.layout.width, figure.layout.height)
    buffer = io.BytesIO()
    png.save(buffer, "PNG")
    assert save_figure(figure, tmp_path / "fig.svg").read_text().startswith("<?xml")


def test_errors():
    with pytest.raises(FigureError, match="four numbers"):
        Crop.parse("1,2,3")
    with pytest.raises(FigureError, match="outside"):
        make_figure([_rgb(10, 10, 0)], ["a"], Crop(50, 50, 5, 5))
    with pytest.raises(FigureError, match=r"\.png, \.svg or \.pdf"):
        save_figure(make_figure([_rgb(10, 10, 0)], ["a"], Crop(0, 0, 5, 5)), "x.jpg")
    assert Crop.parse(" 1, 2,3,4") == Crop(1, 2, 3, 4)
