"""Segmentation painted as colours, decoded back to labels: semantic, instance and referring.

Vision Banana emits segmentation as an RGB image whose colours the prompt names
(seed 004, Sec. 3.1). "In evaluation, we assign pixels to classes by matching
its color according to the prompt" (semantic): :func:`decode_semantic` gives
each pixel the nearest class colour within a distance threshold, else the
unassigned label -1. For instances the colours are the model's choice, "we
simply cluster pixels that have similar colors by thresholding":
:func:`decode_instances` finds the colour clusters, so two touching regions of
distinct colours are two instances. Referring segmentation is one colour per
mask: :func:`colour_mask` (or :func:`decode_semantic` with the prompt's colours).

Distances are Euclidean in 8-bit RGB units. Work is vectorised and done in
chunks of :data:`CHUNK_PIXELS`, so a 12 MP map needs a few tens of MB beyond
its labels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from core.depth.codecs import to_uint8_rgb
from core.depth.seg_classes import RGB, parse_colour_value
from core.depth.seg_defaults import (
    DEFAULT_INSTANCE_THRESHOLD,
    DEFAULT_MIN_AREA,
    DEFAULT_SEMANTIC_THRESHOLD,
)
from core.errors import IrisError

UNASSIGNED = -1
CHUNK_PIXELS = 1 << 20
_BIN_SHIFT = 3  # instance clustering histograms colours in 32 levels per channel


@dataclass
class SegmentationResult:
    """Labels (int32 HxW, -1 = unassigned) and, per label, its name, colour and pixel count."""

    labels: np.ndarray
    names: list[str]
    colours: list[RGB]
    counts: list[int]

    @property
    def unassigned(self) -> int:
        """Pixels no class claimed."""
        return int(self.labels.size - sum(self.counts))

    def as_dict(self) -> dict:
        """JSON-ready summary (not the labels): classes with colour and share of pixels."""
        total = max(int(self.labels.size), 1)
        return {
            "size": [int(self.labels.shape[0]), int(self.labels.shape[1])],
            "classes": [
                {
                    "label": i,
                    "name": name,
                    "colour": list(colour),
                    "pixels": count,
                    "fraction": count / total,
                }
                for i, (name, colour, count) in enumerate(
                    zip(self.names, self.colours, self.counts, strict=True)
                )
            ],
            "unassigned": self.unassigned,
        }

    def label_image(self) -> tuple[np.ndarray, int]:
        """(values, bit depth) of a label PNG: label n is value n; unassigned is the top value.

        8-bit while there are at most 255 labels (unassigned = 255, the common
        "ignore" value), else 16-bit (unassigned = 65535).
        """
        bits = 8 if len(self.names) <= 255 else 16
        top = 255 if bits == 8 else 65535
        values = np.where(self.labels < 0, top, self.labels)
        return values.astype(np.uint8 if bits == 8 else np.uint16), bits


def _checked_threshold(threshold: float | None) -> float:
    if threshold is None:
        return math.inf
    threshold = float(threshold)
    if math.isnan(threshold) or threshold < 0:
        raise IrisError(f"colour threshold {threshold} must be a number >= 0")
    return threshold


def _nearest(flat: np.ndarray, palette: np.ndarray, threshold: float) -> np.ndarray:
    """Label of the nearest palette colour per pixel (-1 beyond ``threshold``), in chunks.

    Squared distances are exact int32 sums; the running minimum over the palette
    keeps one chunk-sized buffer per quantity (no pixels x colours matrix, and
    no BLAS, whose threads thrash on a busy machine).
    """
    labels = np.empty(flat.shape[0], np.int32)
    limit = threshold * threshold
    colours = palette.astype(np.int32)
    for start in range(0, flat.shape[0], CHUNK_PIXELS):
        chunk = flat[start : start + CHUNK_PIXELS].astype(np.int32)
        best_dist = np.full(chunk.shape[0], np.iinfo(np.int32).max, np.int32)
        best = np.zeros(chunk.shape[0], np.int32)
        dist = np.empty(chunk.shape[0], np.int32)
        part = np.empty(chunk.shape[0], np.int32)
        for index, colour in enumerate(colours):
            np.subtract(chunk[:, 0], colour[0], out=dist)
            np.multiply(dist, dist, out=dist)
            for channel in (1, 2):
                np.subtract(chunk[:, channel], colour[channel], out=part)
                np.multiply(part, part, out=part)
                dist += part
            closer = dist < best_dist  # ties keep the earlier colour
            best[closer] = index
            np.minimum(best_dist, dist, out=best_dist)
        labels[start : start + best.size] = np.where(best_dist <= limit, best, UNASSIGNED)
    return labels


def _result(labels: np.ndarray, shape, names: list[str], colours: list[RGB]) -> SegmentationResult:
    counts = np.bincount(labels + 1, minlength=len(names) + 1)[1:]
    return SegmentationResult(
        labels.reshape(shape), names, colours, [int(c) for c in counts[: len(names)]]
    )


def decode_semantic(
    pixels: np.ndarray,
    classes: dict[str, RGB],
    *,
    threshold: float | None = DEFAULT_SEMANTIC_THRESHOLD,
) -> SegmentationResult:
    """Each pixel labelled with the nearest class colour (the classes' order is the label).

    A pixel farther than ``threshold`` (8-bit RGB units; None = no limit) from
    every class colour is unassigned (-1). Ties go to the earlier class.
    """
    if not classes:
        raise IrisError("no classes to decode the segmentation with")
    limit = _checked_threshold(threshold)
    rgb = to_uint8_rgb(np.asarray(pixels))
    names = list(classes)
    colours = [parse_colour_value(classes[name]) for name in names]
    palette = np.array(colours, dtype=np.int32)
    labels = _nearest(rgb.reshape(-1, 3), palette, limit)
    return _result(labels, rgb.shape[:2], names, colours)


def _colour_histogram(flat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(count, mean colour) of every 5-bit-per-channel colour bin, in chunks."""
    bins = 1 << (3 * (8 - _BIN_SHIFT))
    counts = np.zeros(bins, np.int64)
    sums = np.zeros((bins, 3), np.float64)
    levels = 8 - _BIN_SHIFT
    for start in range(0, flat.shape[0], CHUNK_PIXELS):
        chunk = flat[start : start + CHUNK_PIXELS]
        q = (chunk >> _BIN_SHIFT).astype(np.int32)
        code = (q[:, 0] << (2 * levels)) | (q[:, 1] << levels) | q[:, 2]
        counts += np.bincount(code, minlength=bins)
        for channel in range(3):
            sums[:, channel] += np.bincount(code, weights=chunk[:, channel], minlength=bins)
    means = sums / np.maximum(counts, 1)[:, None]
    return counts, means


def _cluster_colours(
    counts: np.ndarray, means: np.ndarray, threshold: float, min_area: int
) -> list[RGB]:
    """Greedy colour clusters: the most frequent bin absorbs the bins within ``threshold``.

    Clusters of fewer than ``min_area`` pixels are left out (edge blends, specks).
    """
    alive = counts > 0
    centres: list[RGB] = []
    for index in np.argsort(-counts, kind="stable"):
        if not alive[index]:
            continue
        diff = means - means[index]
        members = alive & ((diff * diff).sum(axis=1) <= threshold * threshold)
        alive &= ~members
        weights = counts[members].astype(np.float64)
        if weights.sum() < max(min_area, 1):
            continue
        centre = (means[members] * weights[:, None]).sum(axis=0) / weights.sum()
        r, g, b = (int(round(v)) for v in centre)
        centres.append((r, g, b))
        if not alive.any():
            break
    return centres


def decode_instances(
    pixels: np.ndarray,
    *,
    threshold: float = DEFAULT_INSTANCE_THRESHOLD,
    min_area: int = DEFAULT_MIN_AREA,
    known: dict[str, RGB] | None = None,
) -> SegmentationResult:
    """Instances as clusters of similar colours; ``known`` colours (a background) keep their name.

    Colours are histogrammed (32 levels per channel), the most frequent bins
    seed clusters that absorb every bin within ``threshold``; each pixel then
    takes the nearest cluster colour within ``threshold``. A cluster covering
    fewer than ``min_area`` pixels is dropped (its pixels unassigned). Instances
    are named ``instance 1``, ``instance 2``... by decreasing area, after the
    ``known`` classes, which come first in their given order.
    """
    limit = _checked_threshold(threshold)
    if not math.isfinite(limit):
        raise IrisError("instance clustering needs a finite colour threshold")
    if isinstance(min_area, bool) or int(min_area) != min_area or min_area < 0:
        raise IrisError(f"minimum area {min_area} must be a whole number of pixels >= 0")
    rgb = to_uint8_rgb(np.asarray(pixels))
    flat = rgb.reshape(-1, 3)
    known = dict(known or {})
    known_colours = [parse_colour_value(c) for c in known.values()]
    counts, means = _colour_histogram(flat)
    if known_colours:  # bins a known colour claims seed no instance
        anchors = np.array(known_colours, np.float64)
        dist = ((means[:, None, :] - anchors[None]) ** 2).sum(axis=2).min(axis=1)
        counts = np.where(dist <= limit * limit, 0, counts)
    centres = [
        c for c in _cluster_colours(counts, means, limit, int(min_area)) if c not in known_colours
    ]
    palette = known_colours + centres
    if not palette:
        return _result(np.full(flat.shape[0], UNASSIGNED, np.int32), rgb.shape[:2], [], [])
    labels = _nearest(flat, np.array(palette, np.int32), limit)
    areas = np.bincount(labels + 1, minlength=len(palette) + 1)[1:]
    first = len(known_colours)
    kept = [i for i in range(first, len(palette)) if areas[i] >= max(min_area, 1)]
    kept.sort(key=lambda i: -areas[i])
    remap = np.full(len(palette) + 1, UNASSIGNED, np.int32)  # index 0 is "unassigned"
    remap[1 : first + 1] = np.arange(first)
    remap[np.array(kept, np.int64) + 1] = np.arange(first, first + len(kept))
    labels = remap[labels + 1]
    names = list(known) + [f"instance {n}" for n in range(1, len(kept) + 1)]
    colours = known_colours + [palette[i] for i in kept]
    return _result(labels, rgb.shape[:2], names, colours)


def parse_colour(text: str | tuple) -> tuple[int, int, int]:
    """One colour in any form the prompts use (see :func:`seg_classes.parse_colour_value`)."""
    return parse_colour_value(text)


def colour_mask(
    pixels: np.ndarray, colour: str | tuple, *, tolerance: float = 60.0, clean: bool = True
) -> np.ndarray:
    """Referring segmentation: pixels within ``tolerance`` (8-bit units) of ``colour``.

    Cleaning is a 3x3 opening then closing, which drops isolated JPEG specks and
    fills pinholes without moving the outline.
    """
    target = np.array(parse_colour(colour), dtype=np.int32)
    diff = to_uint8_rgb(pixels).astype(np.int32) - target
    mask = (diff * diff).sum(axis=2) <= tolerance * tolerance
    if clean:
        import cv2

        kernel = np.ones((3, 3), np.uint8)
        cleaned = cv2.morphologyEx(mask.astype(np.uint8), cv2.MORPH_OPEN, kernel)
        mask = cv2.morphologyEx(cleaned, cv2.MORPH_CLOSE, kernel).astype(bool)
    return mask
