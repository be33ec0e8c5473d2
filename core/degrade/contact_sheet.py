"""A contact sheet: every degradation kind at chosen severities on one image, labelled.

The source is first resized to the tile size and degraded at that size, so
each tile shows the degradation's pixels one to one (a thumbnail of a larger
result would hide noise and grain).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from core.degrade.ops import resize
from core.degrade.recipe import Recipe, apply_recipe
from core.degrade.registry import DEGRADATIONS, kinds_in_order
from core.imageio import to_uint
from core.jobs import ProgressFn, check_cancelled, no_progress

BACKGROUND = (250, 250, 248)
INK = (30, 30, 34)


def _fit(pixels: np.ndarray, tile: int) -> np.ndarray:
    """Centre-crop to a square and resize to ``tile`` x ``tile``."""
    height, width = pixels.shape[:2]
    side = min(height, width)
    top, left = (height - side) // 2, (width - side) // 2
    square = pixels[top : top + side, left : left + side]
    return square if side == tile else resize(square, tile, tile, "area")


def contact_sheet(
    pixels: np.ndarray,
    *,
    kinds: Sequence[str] | None = None,
    severities: Sequence[int] = (1, 3, 5),
    seed: int = 0,
    tile: int = 128,
    blocks: int = 3,
    title: str = "",
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> np.ndarray:
    """An (H, W, 3) uint8 sheet: one row per kind, one tile per severity, ``blocks`` side by side."""
    from PIL import Image, ImageDraw, ImageFont

    kinds = list(kinds or kinds_in_order())
    for kind in kinds:
        DEGRADATIONS.get_name(kind)
    source = _fit(np.asarray(pixels, np.float32), tile)
    label_w, gap, text_h, head_h = 178, 6, 0, 44 if title else 24
    rows = -(-len(kinds) // blocks)
    block_w = label_w + len(severities) * (tile + gap)
    sheet = Image.new(
        "RGB", (blocks * block_w + gap, head_h + rows * (tile + gap) + gap), BACKGROUND
    )
    draw = ImageDraw.Draw(sheet)
    font = ImageFont.load_default(size=14)
    small = ImageFont.load_default(size=12)
    if title:
        draw.text((gap, 4), title, fill=INK, font=font)
    for block in range(blocks):
        for index, severity in enumerate(severities):
            x = block * block_w + label_w + index * (tile + gap)
            draw.text(
                (x + tile // 2 - 30, head_h - 18), f"severity {severity}", fill=INK, font=small
            )
    total = len(kinds) * len(severities)
    done = 0
    for number, kind in enumerate(kinds):
        block, row = divmod(number, rows)
        top = head_h + row * (tile + gap)
        left = block * block_w
        meta = DEGRADATIONS.meta(kind)
        draw.text((left + gap, top + tile // 2 - 16), meta.get("title", kind), fill=INK, font=font)
        draw.text((left + gap, top + tile // 2 + 2), kind, fill=(110, 110, 120), font=small)
        for index, severity in enumerate(severities):
            check_cancelled(cancel)
            out = apply_recipe(source, Recipe.single(kind, severity), seed)
            x = left + label_w + index * (tile + gap)
            sheet.paste(Image.fromarray(to_uint(out, 8)), (x, top + text_h))
            done += 1
            progress(done, total)
    return np.asarray(sheet)


def save_sheet(path: str, sheet: np.ndarray, palette: bool = False) -> None:
    """Save as PNG; ``palette`` quantises to 256 colours (median cut, no dithering) for a small README file."""
    import io

    from PIL import Image

    from core.files import write_atomic

    image = Image.fromarray(sheet)
    if palette:
        image = image.quantize(
            256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE, kmeans=2
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    write_atomic(path, buffer.getvalue())
