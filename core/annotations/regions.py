"""Annotation regions: the whole image, a rectangle, a polygon, or an RLE brush mask.

Regions are JSON-ready dicts in image pixel coordinates:
``image`` -> ``{}``; ``rect`` -> ``{"x", "y", "w", "h"}``;
``polygon`` -> ``{"points": [[x, y], ...]}`` (3 or more);
``mask`` -> a COCO RLE ``{"size": [H, W], "counts": str | list}``.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

from core.annotations import rle
from core.errors import IrisError

REGION_KINDS = ("image", "rect", "polygon", "mask")
# Coordinates are pixels of an image below the pixel limit; anything beyond this is not one.
MAX_COORDINATE = 2.0**31
MAX_POLYGON_POINTS = 100_000


class RegionError(IrisError):
    """A region is malformed."""


def coordinate(value: Any, what: str) -> float:
    """``value`` as a finite pixel coordinate, else RegionError naming ``what``.

    Numbers only (no strings, no booleans); NaN, infinity and magnitudes beyond
    :data:`MAX_COORDINATE` are refused.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise RegionError(f"{what} must be a number, got {value!r:.40}")
    number = float(value)
    if not math.isfinite(number):
        raise RegionError(f"{what} must be a finite number, got {number}")
    if abs(number) > MAX_COORDINATE:
        raise RegionError(f"{what} {number:g} is out of range (at most {MAX_COORDINATE:g})")
    return number


def _rect(region: dict[str, Any]) -> dict[str, Any]:
    missing = [k for k in ("x", "y", "w", "h") if k not in region]
    if missing:
        raise RegionError(f"a rect needs x, y, w, h; {', '.join(missing)} missing")
    x, y, w, h = (coordinate(region[k], f"a rect's {k}") for k in ("x", "y", "w", "h"))
    if w < 0:
        x, w = x + w, -w
    if h < 0:
        y, h = y + h, -h
    if w == 0 or h == 0:
        raise RegionError("a rect must have a non-zero width and height")
    return {"x": round(x, 2), "y": round(y, 2), "w": round(w, 2), "h": round(h, 2)}


def _polygon(region: dict[str, Any]) -> dict[str, Any]:
    points = region.get("points")
    if not isinstance(points, list | tuple):
        raise RegionError(f"a polygon needs a list of [x, y] points; got {points!r:.60}")
    if len(points) > MAX_POLYGON_POINTS:
        raise RegionError(f"a polygon has {len(points)} points, more than {MAX_POLYGON_POINTS}")
    pts = []
    for i, point in enumerate(points, start=1):
        if not isinstance(point, list | tuple) or len(point) != 2:
            raise RegionError(f"a polygon's point {i} is not [x, y]; got {point!r:.60}")
        pts.append([round(coordinate(v, f"a polygon's point {i}"), 2) for v in point])
    if len(pts) < 3:
        raise RegionError(f"a polygon needs at least 3 points, got {len(pts)}")
    return {"points": pts}


def _mask(region: dict[str, Any], size: tuple[int, int] | None) -> dict[str, Any]:
    try:
        (height, width), counts = rle.validated(region)
    except rle.RLEError as exc:
        raise RegionError(f"a mask region cannot be decoded ({exc})") from exc
    if size is not None and (height, width) != tuple(size):
        raise RegionError(f"a {height} x {width} mask does not fit its {size[0]} x {size[1]} image")
    counts = rle.canonical_counts(counts)  # what decoding and encoding again would give
    return {"size": [height, width], "counts": rle.counts_to_string(counts)}


def normalise(
    kind: str, region: dict[str, Any] | None, size: tuple[int, int] | None = None
) -> dict[str, Any]:
    """Validate ``region`` for ``kind`` and return its canonical form (masks compressed).

    ``size`` is the image's ``(height, width)`` when known: a mask must match it.
    Every number must be finite; masks are checked without being allocated.
    """
    region = region or {}
    if not isinstance(region, dict):
        raise RegionError(f"a region is a JSON object, got {type(region).__name__}")
    if kind == "image":
        return {}
    if kind == "rect":
        return _rect(region)
    if kind == "polygon":
        return _polygon(region)
    if kind == "mask":
        return _mask(region, size)
    raise RegionError(f"unknown region kind {kind!r:.40}; known: {', '.join(REGION_KINDS)}")


def polygon_of(kind: str, region: dict[str, Any], width: int, height: int) -> list[list[float]]:
    """The outline of a rect / polygon / whole image as ``[[x, y], ...]``."""
    if kind == "image":
        return [
            [0.0, 0.0],
            [float(width), 0.0],
            [float(width), float(height)],
            [0.0, float(height)],
        ]
    if kind == "rect":
        x, y, w, h = region["x"], region["y"], region["w"], region["h"]
        return [[x, y], [x + w, y], [x + w, y + h], [x, y + h]]
    if kind == "polygon":
        return [list(p) for p in region["points"]]
    raise RegionError(f"a {kind} region has no polygon outline")


def area_and_bbox(
    kind: str, region: dict[str, Any], width: int, height: int
) -> tuple[float, list[float]]:
    """COCO ``area`` and ``bbox`` ``[x, y, w, h]`` of a region."""
    if kind == "mask":
        mask = rle.decode(region)
        return float(mask.sum()), rle.bbox(mask)
    points = polygon_of(kind, region, width, height)
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    twice = sum(xs[i] * ys[i - 1] - xs[i - 1] * ys[i] for i in range(len(points)))
    box = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
    return abs(twice) / 2.0, box
