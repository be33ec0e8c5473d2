"""Painting one view: the pyramid level that fits the zoom, only the visible pixels.

Above 1:1 the level-0 pixels are drawn nearest-neighbour; below, the level
chosen by :func:`core.compare.pyramid.choose_level` is drawn smoothly. Only the
visible source rectangle is touched, so a frame costs the view's size, not the
image's. Levels/exposure and difference maps are computed on that rectangle.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QStaticText,
    QTransform,
)

from core.compare.camera import Affine
from core.compare.difference import difference_xrgb32
from widgets.compare.pyramid_image import PyramidImage

PIXEL_TEXT_MIN_SCALE = 44.0  # screen px per pixel from which values are written inside pixels


def visible_box(
    image: PyramidImage, affine: Affine, view: QRectF, k: int
) -> tuple[int, int, int, int] | None:
    """Integer level-k pixel box ``(x0, y0, x1, y1)`` of ``image`` that ``view`` shows."""
    fx, fy = image.level_factor(k)
    ix0, iy0 = affine.to_image(view.left(), view.top())
    ix1, iy1 = affine.to_image(view.right(), view.bottom())
    level = image.levels[k]
    x0 = max(0, math.floor(min(ix0, ix1) * fx))
    y0 = max(0, math.floor(min(iy0, iy1) * fy))
    x1 = min(level.shape[1], math.ceil(max(ix0, ix1) * fx))
    y1 = min(level.shape[0], math.ceil(max(iy0, iy1) * fy))
    if x1 <= x0 or y1 <= y0:
        return None
    return x0, y0, x1, y1


def target_rect(image: PyramidImage, affine: Affine, k: int, box: tuple[int, ...]) -> QRectF:
    """Where a level-k pixel box lands on screen."""
    fx, fy = image.level_factor(k)
    x0, y0, x1, y1 = box
    sx0, sy0 = affine.to_screen(x0 / fx, y0 / fy)
    sx1, sy1 = affine.to_screen(x1 / fx, y1 / fy)
    return QRectF(sx0, sy0, sx1 - sx0, sy1 - sy0)


def _qimage(pixels: np.ndarray) -> tuple[QImage, np.ndarray]:
    pixels = np.ascontiguousarray(pixels)
    h, w = pixels.shape[:2]
    return QImage(pixels.data, w, h, 3 * w, QImage.Format.Format_RGB888), pixels


def draw_image(
    painter: QPainter,
    image: PyramidImage,
    affine: Affine,
    view: QRectF,
    lut: np.ndarray | None = None,
) -> None:
    """Draw the visible part of ``image``; ``lut`` (256 uint8) applies exposure/levels."""
    scale = min(affine.ax, affine.ay)
    k = image.level_for(scale)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, scale < 1.0)
    if lut is not None:
        box = visible_box(image, affine, view, k)
        if box is None:
            return
        x0, y0, x1, y1 = box
        qimage, _keep = _qimage(lut[image.levels[k][y0:y1, x0:x1]])
        painter.drawImage(target_rect(image, affine, k, box), qimage)
        return
    # Qt's fast scaled blit rounds the target's edges to whole pixels: give it whole-pixel
    # edges and the matching fractional source, so it samples where the camera says.
    left, top = affine.to_screen(0.0, 0.0)
    right, bottom = affine.to_screen(float(image.width), float(image.height))
    tx0 = round(max(view.left(), min(left, right)))
    ty0 = round(max(view.top(), min(top, bottom)))
    tx1 = round(min(view.right() + 1, max(left, right)))
    ty1 = round(min(view.bottom() + 1, max(top, bottom)))
    if tx1 <= tx0 or ty1 <= ty0:
        return
    fx, fy = image.level_factor(k)
    ix0, iy0 = affine.to_image(tx0, ty0)
    ix1, iy1 = affine.to_image(tx1, ty1)
    source = QRectF(ix0 * fx, iy0 * fy, (ix1 - ix0) * fx, (iy1 - iy0) * fy)
    painter.drawImage(QRectF(tx0, ty0, tx1 - tx0, ty1 - ty0), image.qimages[k], source)


def sample_nearest(
    image: PyramidImage, k: int, xs: np.ndarray, ys: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Level-k pixels nearest to level-0 coordinates ``xs`` (columns) x ``ys`` (rows).

    Returns the (len(ys), len(xs), 3) RGB pixels and a mask of the ones inside the image.
    """
    fx, fy = image.level_factor(k)
    level = image.packed[k]
    cols = np.floor(xs * fx).astype(np.intp)
    rows = np.floor(ys * fy).astype(np.intp)
    inside = ((rows >= 0) & (rows < level.shape[0]))[:, None] & (
        (cols >= 0) & (cols < level.shape[1])
    )[None, :]
    rows = np.clip(rows, 0, level.shape[0] - 1)
    cols = np.clip(cols, 0, level.shape[1] - 1)
    # Rows then columns: two cheap takes instead of one 2-D fancy index.
    picked = level.take(rows, axis=0).take(cols, axis=1)
    return picked[..., 2::-1], inside


def draw_difference(
    painter: QPainter,
    image: PyramidImage,
    affine: Affine,
    reference: PyramidImage,
    ref_affine: Affine,
    view: QRectF,
    mode: str,
    scale: float,
    outside: QColor,
) -> None:
    """Draw the error of ``image`` against ``reference`` on ``image``'s visible pixels.

    Each visible pixel of the image (at the drawn level) is compared with the
    reference pixel under its centre, so images of different sizes and
    offsets compare where they are shown; at and above 1:1 this is exact.
    """
    zoom = min(affine.ax, affine.ay)
    k = image.level_for(zoom)
    box = visible_box(image, affine, view, k)
    if box is None:
        return
    x0, y0, x1, y1 = box
    mine = image.levels[k][y0:y1, x0:x1]
    fx, fy = image.level_factor(k)
    # Centres of the drawn pixels, in level-0 image px, then screen, then reference px.
    cx = (np.arange(x0, x1) + 0.5) / fx
    cy = (np.arange(y0, y1) + 0.5) / fy
    rx = (cx * affine.ax + affine.bx - ref_affine.bx) / ref_affine.ax
    ry = (cy * affine.ay + affine.by - ref_affine.by) / ref_affine.ay
    kr = reference.level_for(min(ref_affine.ax, ref_affine.ay))
    if reference.size == image.size and ref_affine == affine and kr == k:
        theirs = reference.levels[k][y0:y1, x0:x1]  # same grid: no resampling
        inside = None
    else:
        theirs, inside = sample_nearest(reference, kr, rx, ry)
    colours = difference_xrgb32(mine, theirs, mode, scale)
    if inside is not None and not inside.all():
        colours[~inside] = outside.rgb()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, zoom < 1.0)
    h, w = colours.shape
    qimage = QImage(colours.data, w, h, 4 * w, QImage.Format.Format_RGB32)
    painter.drawImage(target_rect(image, affine, k, box), qimage)


class _ValueTexts:
    """Prepared texts "0".."255" for one pixel size (drawing prepared text is fast)."""

    def __init__(self) -> None:
        self.pixel_size = -1
        self.texts: list[QStaticText] = []
        self.widths: list[float] = []
        self.line = 0.0

    def prepare(self, font: QFont) -> None:
        if font.pixelSize() == self.pixel_size:
            return
        self.pixel_size = font.pixelSize()
        self.texts, self.widths = [], []
        metrics = QFontMetricsF(font)
        for value in range(256):
            text = QStaticText(str(value))
            text.prepare(QTransform(), font)
            self.texts.append(text)
            self.widths.append(metrics.horizontalAdvance(str(value)))
        self.line = metrics.height()


_VALUE_TEXTS = _ValueTexts()


def draw_pixel_values(
    painter: QPainter,
    image: PyramidImage,
    affine: Affine,
    view: QRectF,
    lut: np.ndarray | None = None,
) -> None:
    """Write each visible pixel's R, G, B inside it when pixels are large enough (as tev does)."""
    if min(affine.ax, affine.ay) < PIXEL_TEXT_MIN_SCALE:
        return
    box = visible_box(image, affine, view, 0)
    if box is None:
        return
    x0, y0, x1, y1 = box
    font = QFont(painter.font())
    font.setPixelSize(max(8, min(14, int(affine.ax / 4.2))))
    painter.setFont(font)
    texts = _VALUE_TEXTS
    texts.prepare(font)
    block = np.ascontiguousarray(image.levels[0][y0:y1, x0:x1])
    shown = lut[block] if lut is not None else block
    dark_text = (shown @ np.array([0.299, 0.587, 0.114])) > 128
    centres_x = (affine.ax * (np.arange(x0, x1) + 0.5) + affine.bx).tolist()
    centres_y = (affine.ay * (np.arange(y0, y1) + 0.5) + affine.by).tolist()
    half_widths = [w / 2.0 for w in texts.widths]
    tops = [-1.5 * texts.line, -0.5 * texts.line, 0.5 * texts.line]
    static = texts.texts
    draw = painter.drawStaticText
    for dark in (True, False):  # one pen change per colour, not per pixel
        painter.setPen(QColor(0, 0, 0) if dark else QColor(255, 255, 255))
        rows, cols = np.nonzero(dark_text == dark)
        for row, col, rgb in zip(
            rows.tolist(), cols.tolist(), block[rows, cols].tolist(), strict=True
        ):
            cx, cy = centres_x[col], centres_y[row]
            for top, value in zip(tops, rgb, strict=True):
                draw(QPointF(cx - half_widths[value], cy + top), static[value])
