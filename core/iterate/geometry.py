"""Geometry of a step against the original: size, aspect-ratio change, crop, and alignment.

The Nano Banana models reframe to their own aspect ratios at step 1 (5632x3072
becomes 2816x1504), and mirror/rotate schedules change orientation on purpose.
Before a step is compared with the original, the expected transform is undone
and the original is cropped to the part the step still shows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.iterate.schedules import Transform
from core.pixels import to_uint8

ASPECT_TOLERANCE = 0.01
MATCH_SIZE = 96
CHECK_SIZE = 32  # the greyscale thumbnails a step is matched with its parent on


def apply_transform(pixels: np.ndarray, transform: Transform) -> np.ndarray:
    """``pixels`` mirrored horizontally (if asked), then turned clockwise ``quarter_turns`` times."""
    out = pixels[:, ::-1] if transform.mirror else pixels
    return np.ascontiguousarray(np.rot90(out, -transform.quarter_turns % 4))


def undo_transform(pixels: np.ndarray, transform: Transform) -> np.ndarray:
    """The inverse of :func:`apply_transform`: back to the original's orientation."""
    out = np.rot90(pixels, transform.quarter_turns % 4)
    return np.ascontiguousarray(out[:, ::-1] if transform.mirror else out)


def expected_size(width: int, height: int, transform: Transform) -> tuple[int, int]:
    """The size of a faithful step: odd quarter turns swap width and height."""
    return (height, width) if transform.quarter_turns % 2 else (width, height)


def _gray_small(pixels: np.ndarray, width: int, height: int) -> np.ndarray:
    from PIL import Image

    gray = pixels[..., :3].mean(axis=2) if pixels.ndim == 3 else pixels
    image = Image.fromarray(to_uint8(gray))
    return np.asarray(image.resize((width, height), Image.Resampling.BILINEAR), np.float32)


def estimate_crop(original: np.ndarray, step: np.ndarray) -> dict[str, int]:
    """The box of ``original`` (x, y, w, h) that ``step`` (already re-oriented) shows.

    Assumes the editor kept the largest centred-ish box of its new aspect ratio
    and scaled it; the offset along the cropped axis is found by matching small
    grayscale versions, so a crop taken off one side is located too.
    """
    oh, ow = original.shape[:2]
    sh, sw = step.shape[:2]
    step_ratio = sw / sh
    if step_ratio > ow / oh:  # the step is wider: rows were cut
        box_w, box_h = ow, max(1, min(oh, round(ow / step_ratio)))
    else:
        box_w, box_h = max(1, min(ow, round(oh * step_ratio))), oh
    if (box_w, box_h) == (ow, oh):
        return {"x": 0, "y": 0, "w": ow, "h": oh}
    scale = MATCH_SIZE / max(ow, oh)
    small_o = _gray_small(original, max(1, round(ow * scale)), max(1, round(oh * scale)))
    bw, bh = max(1, round(box_w * scale)), max(1, round(box_h * scale))
    small_s = _gray_small(step, bw, bh)
    best, best_err = 0, float("inf")
    horizontal = box_w < ow
    span = small_o.shape[1] - bw if horizontal else small_o.shape[0] - bh
    for offset in range(max(span, 0) + 1):
        window = small_o[:, offset : offset + bw] if horizontal else small_o[offset : offset + bh]
        window = window[:bh, :bw]
        if window.shape != small_s.shape:
            continue
        err = float(np.mean((window - small_s) ** 2))
        if err < best_err:
            best, best_err = offset, err
    shift = round(best / scale)
    if horizontal:
        return {"x": min(shift, ow - box_w), "y": 0, "w": box_w, "h": box_h}
    return {"x": 0, "y": min(shift, oh - box_h), "w": box_w, "h": box_h}


def step_geometry(
    original: np.ndarray, step: np.ndarray, expected: Transform, previous_size: tuple[int, int]
) -> dict[str, Any]:
    """What a step's size says: aspect-ratio change and crop against the original.

    ``width``/``height`` are the step's; ``aspect_change`` is None when the
    aspect ratio (after undoing the expected transform) is within 1% of the
    original's; ``crop`` is the original's box the step shows, or None.
    ``resized`` tells that the size differs from the previous step's.
    """
    oh, ow = original.shape[:2]
    sh, sw = step.shape[:2]
    uw, uh = expected_size(sw, sh, expected)  # a quarter turn swaps sides either way
    ratio = (uw / uh) / (ow / oh)
    info: dict[str, Any] = {
        "width": sw,
        "height": sh,
        "expected_transform": expected.as_dict(),
        "resized": (sw, sh) != tuple(previous_size),
        "aspect_change": None,
        "crop": None,
    }
    if abs(ratio - 1.0) > ASPECT_TOLERANCE:
        info["aspect_change"] = {
            "from": [ow, oh],
            "to": [uw, uh],
            "ratio": round(ratio, 4),
        }
        info["crop"] = estimate_crop(original, undo_transform(step, expected))
    return info


def aligned_to_original(
    original: np.ndarray, step: np.ndarray, expected: Transform, crop: dict[str, int] | None
) -> tuple[np.ndarray, np.ndarray]:
    """(original part, step) at the same size and orientation, ready for a full-reference metric."""
    from PIL import Image

    upright = undo_transform(step, expected)
    ref = original
    if crop:
        ref = original[crop["y"] : crop["y"] + crop["h"], crop["x"] : crop["x"] + crop["w"]]
    if upright.shape[:2] != ref.shape[:2]:
        image = Image.fromarray(to_uint8(upright))
        resized = image.resize((ref.shape[1], ref.shape[0]), Image.Resampling.BICUBIC)
        upright = np.asarray(resized, np.float32) / 255.0
    return np.ascontiguousarray(ref, np.float32), np.ascontiguousarray(upright, np.float32)


def _correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Pearson correlation of two equal-shape arrays; 0 when either is flat (no evidence)."""
    a = a.ravel().astype(np.float64) - a.mean()
    b = b.ravel().astype(np.float64) - b.mean()
    denominator = float(np.sqrt((a * a).sum() * (b * b).sum()))
    return float((a * b).sum() / denominator) if denominator > 0 else 0.0


def _check_thumbnail(pixels: np.ndarray) -> np.ndarray:
    """A ``CHECK_SIZE`` square greyscale thumbnail (area-averaged: fast on a 4K step)."""
    import cv2

    rgb = np.ascontiguousarray(pixels[..., :3] if pixels.ndim == 3 else pixels, np.float32)
    small = cv2.resize(rgb, (CHECK_SIZE, CHECK_SIZE), interpolation=cv2.INTER_AREA)
    return small.mean(axis=2) if small.ndim == 3 else small


def transform_check(parent: np.ndarray, step: np.ndarray, requested: Transform) -> dict[str, Any]:
    """Whether ``step`` shows ``parent`` transformed as asked, or ``parent`` left as it was.

    The step and the parent are reduced to small square greyscale thumbnails
    (``CHECK_SIZE``, so a re-framed or resized step still compares); the parent's
    thumbnail, transformed by ``requested``, is the expected step (turning a square
    thumbnail is turning the image, then reducing it). The transform counts as
    performed when the step correlates at least as well with the transformed parent
    as with the untransformed one.
    """
    step_small = _check_thumbnail(step)
    parent_small = _check_thumbnail(parent)
    expected = _correlation(step_small, apply_transform(parent_small, requested))
    untransformed = _correlation(step_small, parent_small)
    return {
        "transform_performed": expected >= untransformed,
        "transform_correlation": {
            "expected": round(expected, 4),
            "untransformed": round(untransformed, 4),
        },
    }


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    """PSNR in dB of two aligned [0, 1] images (inf when identical)."""
    mse = float(np.mean((np.asarray(a, np.float64) - np.asarray(b, np.float64)) ** 2))
    return float("inf") if mse == 0 else 10.0 * np.log10(1.0 / mse)
