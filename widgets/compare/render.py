"""Painting one view: the pyramid level that fits the zoom, only the visible pixels.

Above 1:1 the level-0 pixels are drawn nearest-neighbour; below, the level
chosen by :func:`core.compare.pyramid.choose_level` is drawn smoothly. Only the
visible source rectangle is touched, so a frame costs the view's size, not the
image's. Levels/exposure and difference maps are computed on that rectangle.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter

from core.compare.camera import Affine
from core.compare.difference import difference_image
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
    box = visible_box(image, affine, view, k)
    if box is None:
        return
    x0, y0, x1, y1 = box
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, scale < 1.0)
    target = target_rect(image, affine, k, box)
    if lut is None:
        painter.drawImage(target, image.qimages[k], QRectF(x0, y0, x1 - x0, y1 - y0))
        return
    qimage, _keep = _qimage(lut[image.levels[k][y0:y1, x0:x1]])
    painter.drawImage(target, qimage)


def sample_nearest(
    image: PyramidImage, k: int, xs: np.ndarray, ys: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Level-k pixels nearest to level-0 coordinates ``xs`` (columns) x ``ys`` (rows).

    Returns the (len(ys), len(xs), 3) pixels and a mask of the ones inside the image.
    """
    fx, fy = image.level_factor(k)
    level = image.levels[k]
    cols = np.floor(xs * fx).astype(np.int64)
    rows = np.floor(ys * fy).astype(np.int64)
    inside = ((rows >= 0) & (rows < level.shape[0]))[:, None] & (
        (cols >= 0) & (cols < level.shape[1])
    )[None, :]
    rows = np.clip(rows, 0, level.shape[0] - 1)
    cols = np.clip(cols, 0, level.shape[1] - 1)
    return level[rows[:, None], cols[None, :]], inside


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
    theirs, inside = sample_nearest(reference, kr, rx, ry)
    colours = difference_image(mine, theirs, mode, scale)
    colours[~inside] = (outside.red(), outside.green(), outside.blue())
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, zoom < 1.0)
    qimage, _keep = _qimage(colours)
    painter.drawImage(target_rect(image, affine, k, box), qimage)


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
    block = image.levels[0][y0:y1, x0:x1]
    shown = lut[block] if lut is not None else block
    for row in range(y1 - y0):
        for col in range(x1 - x0):
            r, g, b = (int(v) for v in block[row, col])
            luminance = 0.299 * shown[row, col, 0] + 0.587 * shown[row, col, 1]
            luminance += 0.114 * shown[row, col, 2]
            painter.setPen(QColor(0, 0, 0) if luminance > 128 else QColor(255, 255, 255))
            sx, sy = affine.to_screen(x0 + col, y0 + row)
            cell = QRectF(sx, sy, affine.ax, affine.ay)
            painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, f"{r}\n{g}\n{b}")
