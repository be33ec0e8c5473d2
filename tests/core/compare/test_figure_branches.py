"""Figure edges: crop and scale validation, shrinking off the image, export to bytes or file,
SVG with full views, unknown formats, unwritable paths, and Pillow without sized fonts."""

from __future__ import annotations

import io
import threading

import numpy as np
import pytest
from PIL import Image, ImageFont

from core.compare.figure import (
    OUTSIDE,
    Crop,
    FigureError,
    encode_figure,
    export_figure,
    layout_figure,
    make_figure,
    panel_size,
    render_png_image,
    render_svg,
    resample_box,
    save_figure,
)
from core.jobs import Cancelled


def _rgb(h, w, seed):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


def test_crop_parse_accepts_one_pixel_and_refuses_zero():
    assert Crop.parse("3,4,1,1") == Crop(3, 4, 1, 1)
    assert Crop.parse("1.9, 2.2, 3.7, 4") == Crop(1, 2, 3, 4)  # numbers truncate to pixels
    with pytest.raises(FigureError, match=r"crop '1,2,0,5': width and height must be at least 1"):
        Crop.parse("1,2,0,5")
    with pytest.raises(FigureError, match="at least 1"):
        Crop.parse("1,2,5,-1")
    with pytest.raises(FigureError, match=r"crop 'a,b,c,d': expected four numbers"):
        Crop.parse("a,b,c,d")
    with pytest.raises(FigureError, match="four numbers"):
        Crop.parse("1,2,3,4,5")


def test_panel_size_needs_a_positive_scale_and_keeps_at_least_one_pixel():
    with pytest.raises(FigureError, match="scale must be positive, got 0"):
        panel_size(Crop(0, 0, 10, 10), 0)
    with pytest.raises(FigureError, match="got -1"):
        panel_size(Crop(0, 0, 10, 10), -1)
    assert panel_size(Crop(0, 0, 10, 4), 0.01) == (1, 1)
    assert panel_size(Crop(0, 0, 10, 4), 2.5) == (25, 10)


def test_a_layout_needs_an_image_and_wraps_into_rows():
    with pytest.raises(FigureError, match="at least one image"):
        layout_figure(0, (20, 10), Crop(0, 0, 4, 4), 1)
    lay = layout_figure(
        3, (20, 10), Crop(0, 0, 4, 4), 1, columns=2, margin=1, gap=2, label_height=3
    )
    assert [(r.x, r.y) for r in lay.crops] == [(1, 1), (7, 1), (1, 10)]
    assert (lay.width, lay.height) == (2 * 1 + 2 * 4 + 2, 2 * 1 + 2 * 7 + 2)


def test_make_figure_refuses_no_images_and_a_label_count_that_differs():
    with pytest.raises(FigureError, match="a figure needs at least one image"):
        make_figure([], [], Crop(0, 0, 2, 2))
    with pytest.raises(FigureError, match="2 labels for 1 images"):
        make_figure([_rgb(4, 4, 0)], ["a", "b"], Crop(0, 0, 2, 2))


def test_shrinking_a_box_off_the_image_gives_the_outside_colour():
    pixels = _rgb(4, 4, 1)
    out = resample_box(pixels, (10.0, 10.0, 20.0, 20.0), (2, 2))
    assert out.shape == (2, 2, 3) and (out == np.array(OUTSIDE, np.uint8)).all()


def test_a_sliver_of_image_too_thin_for_one_output_pixel_stays_outside():
    pixels = _rgb(4, 4, 2)
    # 100 source pixels per output column; the image's 4 columns round to no column at all
    out = resample_box(pixels, (-396.0, 0.0, 4.0, 4.0), (4, 4))
    assert (out == np.array(OUTSIDE, np.uint8)).all()


def test_export_without_a_path_returns_png_bytes_and_reports_progress():
    images = [_rgb(10, 12, 3), _rgb(10, 12, 4)]
    calls = []
    data = export_figure(
        images, ["a", "b"], Crop(1, 2, 4, 3), scale=2, progress=lambda i, n: calls.append((i, n))
    )
    assert calls == [(1, 2), (2, 2)]
    png = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    figure = make_figure(images, ["a", "b"], Crop(1, 2, 4, 3), scale=2)
    assert png.shape == (figure.layout.height, figure.layout.width, 3)
    rect = figure.layout.crops[1]
    expected = np.repeat(np.repeat(images[1][2:5, 1:5], 2, axis=0), 2, axis=1)
    assert np.array_equal(png[rect.y : rect.y + rect.h, rect.x : rect.x + rect.w], expected)


def test_export_to_a_path_checks_the_name_before_any_work(tmp_path):
    # no images would be refused too, but the bad name is said first
    with pytest.raises(
        FigureError, match=r"fig\.gif: the file name must end in \.png, \.svg or \.pdf"
    ):
        export_figure([], [], Crop(0, 0, 1, 1), tmp_path / "fig.gif")
    path = export_figure([_rgb(6, 6, 5)], ["only"], Crop(0, 0, 3, 3), tmp_path / "fig.SVG")
    assert path == tmp_path / "fig.SVG"
    assert path.read_text(encoding="utf-8").startswith('<?xml version="1.0"')


def test_export_stops_when_cancelled(tmp_path):
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        export_figure([_rgb(6, 6, 5)], ["a"], Crop(0, 0, 3, 3), tmp_path / "fig.png", cancel=cancel)
    assert not (tmp_path / "fig.png").exists()


def test_svg_with_full_views_embeds_two_images_and_a_box_per_panel():
    images = [_rgb(20, 40, 6), _rgb(20, 40, 7)]
    figure = make_figure(images, ["a & b", "c"], Crop(10, 4, 8, 6), scale=2, with_full=True)
    svg = render_svg(figure)
    assert svg.count("<image") == 4
    assert svg.count('stroke="#ffd000"') == 2
    box = figure.layout.boxes[1]
    assert f'<rect x="{box.x + 1}" y="{box.y + 1}" width="{max(box.w - 2, 1)}"' in svg
    assert "a &amp; b" in svg and svg.endswith("</svg>\n")


def test_encode_figure_formats():
    figure = make_figure([_rgb(8, 8, 8)], ["a"], Crop(0, 0, 4, 4))
    assert encode_figure(figure, ".PNG").startswith(b"\x89PNG\r\n\x1a\n")
    assert encode_figure(figure, "pdf").startswith(b"%PDF")
    assert encode_figure(figure, "svg").startswith(b"<?xml")
    with pytest.raises(FigureError, match="unknown figure format 'bmp'; known: png, svg, pdf"):
        encode_figure(figure, "bmp")


def test_an_unwritable_path_is_a_figure_error_naming_it(tmp_path):
    (tmp_path / "file").write_text("not a folder")
    target = tmp_path / "file" / "fig.png"
    figure = make_figure([_rgb(8, 8, 9)], ["a"], Crop(0, 0, 4, 4))
    with pytest.raises(FigureError, match=r"file/fig\.png: cannot write the figure") as caught:
        save_figure(figure, target)
    assert isinstance(caught.value.__cause__, OSError)


def test_pillow_without_sized_fonts_falls_back_to_the_default_font(monkeypatch):
    real = ImageFont.load_default
    calls = []

    def load_default(size=None):
        calls.append(size)
        if size is not None:
            raise TypeError("load_default() takes no arguments")
        return real()

    monkeypatch.setattr(ImageFont, "load_default", load_default)
    figure = make_figure([_rgb(8, 8, 10)], ["label"], Crop(0, 0, 8, 8))
    image = render_png_image(figure)
    assert calls == [14, None]
    assert image.size == (figure.layout.width, figure.layout.height)
    label = figure.layout.labels[0]
    strip = np.asarray(image)[label.y : label.y + label.h, label.x : label.x + label.w]
    assert (strip != 255).any()  # the label was drawn
