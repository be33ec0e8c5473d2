"""Pinhole intrinsics carried from one image size to another.

A generator rarely paints its map at the photo's size (Vision Banana returns
about 1 MP whatever the input), and datasets give fx, fy, cx, cy for their own
resolution. With pixel centres at ``u + 0.5`` (the convention of
:mod:`core.depth.unproject`), image coordinates run from 0 at the left edge to
``W`` at the right one, so a resize by ``s`` along an axis multiplies both the
focal length and the principal point on that axis by ``s``: no half-pixel term.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import TypeVar

from core.errors import IrisError

K = TypeVar("K")
_SIZE = re.compile(r"^\s*(\d{1,6})\s*[xX]\s*(\d{1,6})\s*$")


def split_size(text: str) -> tuple[str, tuple[int, int] | None]:
    """``"fx,fy,cx,cy@640x480"`` -> ``("fx,fy,cx,cy", (640, 480))``; no ``@``: size None."""
    values, at, size = text.partition("@")
    if not at:
        return values, None
    match = _SIZE.match(size)
    if match is None:
        raise IrisError(f"intrinsics {text!r}: the size after @ must be WIDTHxHEIGHT, like 640x480")
    return values, _size((int(match[1]), int(match[2])), "intrinsics")


def format_intrinsics(
    fx: float, fy: float, cx: float, cy: float, size: tuple[int, int] | None = None
) -> str:
    """The text :func:`split_size` and ``Intrinsics.parse`` read (``repr`` keeps every digit)."""
    text = ",".join(repr(float(v)) for v in (fx, fy, cx, cy))
    return text if size is None else f"{text}@{int(size[0])}x{int(size[1])}"


def _size(size: tuple[int, int], what: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in size)
    except (TypeError, ValueError):
        raise IrisError(f"{what} size {size!r} must be (width, height)") from None
    if width <= 0 or height <= 0:
        raise IrisError(f"{what} size {width}x{height} must be positive")
    return width, height


def scale_factors(from_size: tuple[int, int], to_size: tuple[int, int]) -> tuple[float, float]:
    """(sx, sy): how many pixels of ``to_size`` one pixel of ``from_size`` spans on each axis."""
    (fw, fh), (tw, th) = _size(from_size, "source"), _size(to_size, "target")
    return tw / fw, th / fh


def rescale_intrinsics(k: K, from_size: tuple[int, int], to_size: tuple[int, int]) -> K:
    """``k`` given for an image of ``from_size`` (width, height), expressed for ``to_size``.

    ``k`` is a :class:`core.depth.unproject.Intrinsics` (returned as one, with the new
    size and a source saying it was rescaled) or a tuple ``(fx, fy, cx, cy)``.
    fx and cx scale with the widths, fy and cy with the heights.
    """
    sx, sy = scale_factors(from_size, to_size)
    if isinstance(k, tuple | list):
        try:
            fx, fy, cx, cy = (float(v) for v in k)
        except (TypeError, ValueError):
            raise IrisError(f"intrinsics {k!r} must be four numbers fx, fy, cx, cy") from None
        values = (fx * sx, fy * sy, cx * sx, cy * sy)
        if not all(math.isfinite(v) for v in values):
            raise IrisError(f"intrinsics {k!r} must be finite numbers")
        return type(k)(values)
    if (sx, sy) == (1.0, 1.0):
        return k
    width, height = _size(to_size, "target")
    note = f"{k.source}, rescaled from {from_size[0]}x{from_size[1]}"
    return replace(
        k,
        fx=k.fx * sx,
        fy=k.fy * sy,
        cx=k.cx * sx,
        cy=k.cy * sy,
        width=width,
        height=height,
        source=note,
    )
