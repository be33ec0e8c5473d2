"""Figures of the same crop from several images: crop extraction, layout, PNG / SVG / PDF.

The crop ``(x, y, w, h)`` is given in pixels of the frame (the first image).
In an image of another size (a x2 output) the same normalized region is
taken, shifted by that image's offset. Each panel is ``round(w * scale)`` by
``round(h * scale)`` pixels: nearest-neighbour when that enlarges (or keeps)
the image's pixels, box-averaged when it shrinks them, so at scale 1 a panel
of a frame-sized image *is* its source pixels.
"""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from core.errors import IrisError
from core.jobs import ProgressFn, check_cancelled, no_progress

FORMATS = ("png", "svg", "pdf")
BACKGROUND = (255, 255, 255)
OUTSIDE = (128, 128, 128)  # where a shifted crop leaves its image
BOX_COLOUR = (255, 208, 0)
TEXT_COLOUR = (20, 20, 20)


class FigureError(IrisError):
    """A figure could not be made (bad crop, unknown format, unwritable file)."""


@dataclass(frozen=True)
class Crop:
    x: int
    y: int
    w: int
    h: int

    @classmethod
    def parse(cls, text: str) -> Crop:
        """``"x,y,w,h"`` in frame pixels."""
        parts = [p.strip() for p in str(text).split(",")]
        try:
            x, y, w, h = (int(float(p)) for p in parts)
        except ValueError:
            raise FigureError(f"crop {text!r}: expected four numbers x,y,w,h") from None
        crop = cls(x, y, w, h)
        if w < 1 or h < 1:
            raise FigureError(f"crop {text!r}: width and height must be at least 1")
        return crop

    def as_list(self) -> list[int]:
        return [self.x, self.y, self.w, self.h]


def source_box(
    image_size: tuple[int, int],
    frame_size: tuple[int, int],
    crop: Crop,
    offset: tuple[float, float] = (0.0, 0.0),
) -> tuple[float, float, float, float]:
    """The crop's region ``(x0, y0, x1, y1)`` in an image's own pixels."""
    w, h = image_size
    fw, fh = frame_size
    sx, sy = w / fw, h / fh
    dx, dy = offset
    return (
        crop.x * sx - dx,
        crop.y * sy - dy,
        (crop.x + crop.w) * sx - dx,
        (crop.y + crop.h) * sy - dy,
    )


def resample_box(
    pixels: np.ndarray, box: tuple[float, float, float, float], out_size: tuple[int, int]
) -> np.ndarray:
    """``pixels[box]`` at ``out_size`` (w, h): nearest when enlarging, box mean when shrinking."""
    x0, y0, x1, y1 = box
    ow, oh = out_size
    step_x, step_y = (x1 - x0) / ow, (y1 - y0) / oh
    h, w = pixels.shape[:2]
    if step_x <= 1.0 + 1e-9 and step_y <= 1.0 + 1e-9:
        xs = np.floor(x0 + (np.arange(ow) + 0.5) * step_x).astype(np.int64)
        ys = np.floor(y0 + (np.arange(oh) + 0.5) * step_y).astype(np.int64)
        out = pixels[np.clip(ys, 0, h - 1)[:, None], np.clip(xs, 0, w - 1)[None, :]].copy()
        outside = ((ys < 0) | (ys >= h))[:, None] | ((xs < 0) | (xs >= w))[None, :]
        out[outside] = OUTSIDE
        return out
    # Shrinking: Pillow's box filter over the part of the box that lies on the image.
    out = np.empty((oh, ow, 3), np.uint8)
    out[:] = OUTSIDE
    cx0, cy0, cx1, cy1 = max(x0, 0.0), max(y0, 0.0), min(x1, float(w)), min(y1, float(h))
    if cx1 <= cx0 or cy1 <= cy0:
        return out
    px0, py0 = round((cx0 - x0) / step_x), round((cy0 - y0) / step_y)
    px1, py1 = round((cx1 - x0) / step_x), round((cy1 - y0) / step_y)
    if px1 <= px0 or py1 <= py0:
        return out
    ix0, iy0 = int(np.floor(cx0)), int(np.floor(cy0))
    ix1, iy1 = int(np.ceil(cx1)), int(np.ceil(cy1))
    region = np.ascontiguousarray(pixels[iy0:iy1, ix0:ix1])  # only the part that is used
    part = Image.fromarray(region).resize(
        (px1 - px0, py1 - py0),
        Image.Resampling.BOX,
        box=(cx0 - ix0, cy0 - iy0, cx1 - ix0, cy1 - iy0),
    )
    out[py0:py1, px0:px1] = np.asarray(part)
    return out


def extract_crop(
    pixels: np.ndarray,
    frame_size: tuple[int, int],
    crop: Crop,
    scale: float = 1.0,
    offset: tuple[float, float] = (0.0, 0.0),
) -> np.ndarray:
    """The crop of one uint8 RGB image as a panel of ``round(crop.w * scale)`` x ``round(crop.h * scale)``."""
    size = panel_size(crop, scale)
    box = source_box((pixels.shape[1], pixels.shape[0]), frame_size, crop, offset)
    return resample_box(pixels, box, size)


def panel_size(crop: Crop, scale: float) -> tuple[int, int]:
    if scale <= 0:
        raise FigureError(f"scale must be positive, got {scale}")
    return max(1, round(crop.w * scale)), max(1, round(crop.h * scale))


@dataclass(frozen=True)
class Rect:
    x: int
    y: int
    w: int
    h: int


@dataclass
class FigureLayout:
    """Where everything goes: one column per image, optional full view above each crop."""

    width: int
    height: int
    crops: list[Rect]
    fulls: list[Rect]
    boxes: list[Rect]  # the crop box drawn on each full image
    labels: list[Rect]


def layout_figure(
    count: int,
    frame_size: tuple[int, int],
    crop: Crop,
    scale: float,
    *,
    with_full: bool = False,
    columns: int | None = None,
    margin: int = 8,
    gap: int = 8,
    label_height: int = 22,
) -> FigureLayout:
    """Panel positions for ``count`` images; wraps to rows after ``columns`` panels."""
    if count < 1:
        raise FigureError("a figure needs at least one image")
    pw, ph = panel_size(crop, scale)
    fw, fh = frame_size
    full_w = pw
    full_h = max(1, round(fh * full_w / fw)) if with_full else 0
    cols = max(1, min(columns or count, count))
    rows = (count + cols - 1) // cols
    cell_w = pw
    cell_h = (full_h + gap if with_full else 0) + ph + label_height
    crops, fulls, boxes, labels = [], [], [], []
    for i in range(count):
        r, c = divmod(i, cols)
        x = margin + c * (cell_w + gap)
        y = margin + r * (cell_h + gap)
        if with_full:
            fulls.append(Rect(x, y, full_w, full_h))
            k = full_w / fw
            boxes.append(
                Rect(
                    x + round(crop.x * k),
                    y + round(crop.y * k),
                    max(1, round(crop.w * k)),
                    max(1, round(crop.h * k)),
                )
            )
            y += full_h + gap
        crops.append(Rect(x, y, pw, ph))
        labels.append(Rect(x, y + ph, pw, label_height))
    width = 2 * margin + cols * cell_w + (cols - 1) * gap
    height = 2 * margin + rows * cell_h + (rows - 1) * gap
    return FigureLayout(width, height, crops, fulls, boxes, labels)


@dataclass
class Figure:
    """A laid-out figure: its layout and the pixels of each panel."""

    layout: FigureLayout
    labels: list[str]
    crops: list[np.ndarray]
    fulls: list[np.ndarray] = field(default_factory=list)


def make_figure(
    images: Sequence[np.ndarray],
    labels: Sequence[str],
    crop: Crop,
    *,
    scale: float = 1.0,
    with_full: bool = False,
    offsets: Sequence[tuple[float, float]] | None = None,
    columns: int | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> Figure:
    """Cut the crop out of every uint8 RGB image; the frame is the first image."""
    if not images:
        raise FigureError("a figure needs at least one image")
    if len(labels) != len(images):
        raise FigureError(f"{len(labels)} labels for {len(images)} images")
    frame = (images[0].shape[1], images[0].shape[0])
    if crop.x >= frame[0] or crop.y >= frame[1] or crop.x + crop.w <= 0 or crop.y + crop.h <= 0:
        raise FigureError(
            f"crop {crop.as_list()} lies outside the first image ({frame[0]}x{frame[1]})"
        )
    offsets = list(offsets or [(0.0, 0.0)] * len(images))
    layout = layout_figure(len(images), frame, crop, scale, with_full=with_full, columns=columns)
    crops, fulls = [], []
    for i, pixels in enumerate(images):
        check_cancelled(cancel)
        crops.append(extract_crop(pixels, frame, crop, scale, offsets[i]))
        if with_full:
            rect = layout.fulls[i]
            dx, dy = offsets[i]
            box = (-dx, -dy, pixels.shape[1] - dx, pixels.shape[0] - dy)
            fulls.append(resample_box(pixels, box, (rect.w, rect.h)))
        progress(i + 1, len(images))
    return Figure(layout, list(labels), crops, fulls)


def export_figure(
    images: Sequence[np.ndarray],
    labels: Sequence[str],
    crop: Crop,
    path: str | Path | None = None,
    *,
    scale: float = 1.0,
    with_full: bool = False,
    offsets: Sequence[tuple[float, float]] | None = None,
    columns: int | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> Path | bytes:
    """Make the figure and write it to ``path`` (format from its suffix), or return PNG bytes."""
    if path is not None:
        format_of(path)  # refuse a bad name before any work
    figure = make_figure(
        images,
        labels,
        crop,
        scale=scale,
        with_full=with_full,
        offsets=offsets,
        columns=columns,
        progress=progress,
        cancel=cancel,
    )
    check_cancelled(cancel)
    if path is None:
        return encode_figure(figure, "png")
    return save_figure(figure, path)


def _font(size: int = 14) -> ImageFont.ImageFont:
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType sizes
        return ImageFont.load_default()


def render_png_image(figure: Figure) -> Image.Image:
    """The figure as a Pillow RGB image."""
    lay = figure.layout
    canvas = Image.new("RGB", (lay.width, lay.height), BACKGROUND)
    draw = ImageDraw.Draw(canvas)
    font = _font()
    for i, crop in enumerate(figure.crops):
        r = lay.crops[i]
        canvas.paste(Image.fromarray(crop), (r.x, r.y))
        if figure.fulls:
            f = lay.fulls[i]
            canvas.paste(Image.fromarray(figure.fulls[i]), (f.x, f.y))
            b = lay.boxes[i]
            draw.rectangle([b.x, b.y, b.x + b.w - 1, b.y + b.h - 1], outline=BOX_COLOUR, width=2)
        lab = lay.labels[i]
        draw.text(
            (lab.x + lab.w / 2, lab.y + lab.h / 2),
            figure.labels[i],
            fill=TEXT_COLOUR,
            font=font,
            anchor="mm",
        )
    return canvas


def _png_b64(pixels: np.ndarray) -> str:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def render_svg(figure: Figure) -> str:
    """The figure as SVG: panels embedded as lossless PNG, labels and crop boxes as vectors."""
    lay = figure.layout
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{lay.width}" height="{lay.height}" '
        f'viewBox="0 0 {lay.width} {lay.height}">',
        f'<rect width="{lay.width}" height="{lay.height}" fill="#ffffff"/>',
    ]

    def image(rect: Rect, pixels: np.ndarray) -> str:
        return (
            f'<image x="{rect.x}" y="{rect.y}" width="{rect.w}" height="{rect.h}" '
            f'style="image-rendering:pixelated" preserveAspectRatio="none" '
            f'href="data:image/png;base64,{_png_b64(pixels)}"/>'
        )

    for i, crop in enumerate(figure.crops):
        parts.append(image(lay.crops[i], crop))
        if figure.fulls:
            parts.append(image(lay.fulls[i], figure.fulls[i]))
            b = lay.boxes[i]
            parts.append(
                f'<rect x="{b.x + 1}" y="{b.y + 1}" width="{max(b.w - 2, 1)}" '
                f'height="{max(b.h - 2, 1)}" fill="none" stroke="#ffd000" stroke-width="2"/>'
            )
        lab = lay.labels[i]
        parts.append(
            f'<text x="{lab.x + lab.w / 2}" y="{lab.y + lab.h / 2}" font-family="sans-serif" '
            f'font-size="14" fill="#141414" text-anchor="middle" dominant-baseline="middle">'
            f"{escape(figure.labels[i])}</text>"
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def encode_figure(figure: Figure, fmt: str) -> bytes:
    """The figure's file bytes in ``png``, ``svg`` or ``pdf`` (a PDF page, 1 px = 1 pt)."""
    fmt = fmt.lower().lstrip(".")
    if fmt == "svg":
        return render_svg(figure).encode("utf-8")
    if fmt not in FORMATS:
        raise FigureError(f"unknown figure format {fmt!r}; known: {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    image = render_png_image(figure)
    if fmt == "png":
        image.save(buffer, format="PNG")
    else:
        image.save(buffer, format="PDF", resolution=72.0)
    return buffer.getvalue()


def format_of(path: str | Path) -> str:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise FigureError(f"{path}: the file name must end in .png, .svg or .pdf")
    return suffix


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Write the figure in the format its file name asks for, atomically."""
    from core.files import write_atomic

    target = Path(path)
    try:
        write_atomic(target, encode_figure(figure, format_of(target)))
    except OSError as exc:
        raise FigureError(f"{target}: cannot write the figure ({exc.strerror or exc})") from exc
    return target
