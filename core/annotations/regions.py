"""Annotation regions: the whole image, a rectangle, a polygon, or an RLE brush mask.

Regions are JSON-ready dicts in image pixel coordinates:
``image`` -> ``{}``; ``rect`` -> ``{"x", "y", "w", "h"}``;
``polygon`` -> ``{"points": [[x, y], ...]}`` (3 or more);
``mask`` -> a COCO RLE ``{"size": [H, W], "counts": str | list}``.
"""

from __future__ import annotations

from typing import Any

from core.annotations import rle
from core.errors import IrisError

REGION_KINDS = ("image", "rect", "polygon", "mask")


class RegionError(IrisError):
    """A region is malformed."""


def normalise(kind: str, region: dict[str, Any] | None) -> dict[str, Any]:
    """Validate ``region`` for ``kind`` and return its canonical form (masks compressed)."""
    region = region or {}
    if kind == "image":
        return {}
    if kind == "rect":
        try:
            x, y, w, h = (float(region[k]) for k in ("x", "y", "w", "h"))
        except (KeyError, TypeError, ValueError) as exc:
            raise RegionError(f"a rect needs numeric x, y, w, h; got {region!r}") from exc
        if w < 0:
            x, w = x + w, -w
        if h < 0:
            y, h = y + h, -h
        if w == 0 or h == 0:
            raise RegionError("a rect must have a non-zero width and height")
        return {"x": round(x, 2), "y": round(y, 2), "w": round(w, 2), "h": round(h, 2)}
    if kind == "polygon":
        points = region.get("points")
        try:
            pts = [[round(float(p[0]), 2), round(float(p[1]), 2)] for p in points]
        except (TypeError, ValueError, IndexError) as exc:
            raise RegionError(f"a polygon needs a list of [x, y] points; got {points!r}") from exc
        if len(pts) < 3:
            raise RegionError(f"a polygon needs at least 3 points, got {len(pts)}")
        return {"points": pts}
    if kind == "mask":
        if "size" not in region or "counts" not in region:
            raise RegionError("a mask region is a COCO RLE with 'size' and 'counts'")
        try:
            mask = rle.decode(region)
        except (ValueError, TypeError) as exc:
            raise RegionError(f"a mask region cannot be decoded ({exc})") from exc
        return rle.encode(mask, compressed=True)
    raise RegionError(f"unknown region kind {kind!r}; known: {', '.join(REGION_KINDS)}")


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
