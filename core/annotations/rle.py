"""COCO run-length encoding of binary masks, in numpy (no pycocotools).

COCO flattens a mask column by column (Fortran order) and counts alternating
runs starting with a run of zeros. The *uncompressed* form is the list of
counts; the *compressed* form packs them into a string: each count (after the
second, as the difference to the count two places earlier) is written in
5-bit groups, least significant first, each group plus 48 as one character,
with 0x20 marking "more groups follow" and 0x10 the sign of the last group.

An RLE is untrusted input (an imported file): :func:`validated` checks its size
against the pixel limit and its counts against the size *before* any mask is
allocated, so 500 bytes asking for gigabytes are refused with :class:`RLEError`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from core.limits import max_pixels_from_env

# A count is below 2**40 (far above any pixel limit): 8 groups of 5 bits plus a sign.
MAX_GROUPS = 9


class RLEError(ValueError):
    """An RLE object is malformed or too large; the message says which part."""


def _size(rle: Any, max_pixels: int | None) -> tuple[int, int]:
    if not isinstance(rle, dict) or "size" not in rle or "counts" not in rle:
        raise RLEError("a mask is a COCO RLE with 'size' and 'counts'")
    size = rle["size"]
    if (
        not isinstance(size, list | tuple)
        or len(size) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in size)
    ):
        raise RLEError(f"a mask's size is [height, width] in whole pixels, got {size!r:.80}")
    height, width = size
    if height <= 0 or width <= 0:
        raise RLEError(f"a mask's size must be positive, got {height} x {width}")
    limit = max_pixels_from_env() if max_pixels is None else max_pixels
    if height * width > limit:
        raise RLEError(
            f"a {height} x {width} mask has {height * width} pixels, more than the limit {limit}"
        )
    return height, width


def validated(rle: Any, max_pixels: int | None = None) -> tuple[tuple[int, int], list[int]]:
    """``((height, width), counts)`` of an untrusted RLE object, checked without allocating a mask.

    Refuses a size that is not two positive integers or is over ``max_pixels``
    (default: the pixel limit), and counts that are not non-negative integers
    summing to ``height * width``.
    """
    height, width = _size(rle, max_pixels)
    total = height * width
    counts = rle["counts"]
    if isinstance(counts, bytes):
        try:
            counts = counts.decode("ascii")
        except UnicodeDecodeError:
            raise RLEError("a mask's counts string is not ASCII") from None
    if isinstance(counts, str):
        if len(counts) > MAX_GROUPS * (total + 1):
            raise RLEError(f"a mask's counts string is too long for {total} pixels")
        counts = string_to_counts(counts)
    elif isinstance(counts, list | tuple):
        if len(counts) > total + 1:
            raise RLEError(f"a mask has {len(counts)} counts, more than its {total} pixels allow")
        if not all(isinstance(c, int) and not isinstance(c, bool) for c in counts):
            raise RLEError("a mask's counts must be whole numbers")
        counts = list(counts)
    else:
        raise RLEError(f"a mask's counts are a list or a string, got {type(counts).__name__}")
    running = 0
    for count in counts:
        if count < 0:
            raise RLEError(f"a mask's counts must not be negative, got {count}")
        running += count
        if running > total:
            break
    if running != total:
        raise RLEError(f"RLE counts sum to {sum(counts)}, the mask has {total} pixels")
    return (height, width), counts


def canonical_counts(counts: list[int]) -> list[int]:
    """The counts :func:`encode_counts` gives for the same mask (empty runs merged away)."""
    runs: list[list[int]] = []  # [value, length]
    for i, count in enumerate(counts):
        if count == 0:
            continue
        if runs and runs[-1][0] == i % 2:
            runs[-1][1] += count
        else:
            runs.append([i % 2, count])
    out = [length for _value, length in runs]
    return ([0] + out) if runs and runs[0][0] == 1 else out


def encode_counts(mask: np.ndarray) -> list[int]:
    """Uncompressed COCO counts of a 2-D boolean mask."""
    flat = np.asarray(mask, dtype=bool).ravel(order="F")
    if flat.size == 0:
        return []
    changes = np.flatnonzero(flat[1:] != flat[:-1]) + 1
    bounds = np.concatenate(([0], changes, [flat.size]))
    runs = np.diff(bounds).tolist()
    return ([0] + runs) if flat[0] else runs


def decode_counts(counts: list[int], size: tuple[int, int]) -> np.ndarray:
    """The (H, W) boolean mask of uncompressed counts."""
    return decode({"size": [int(size[0]), int(size[1])], "counts": [int(c) for c in counts]})


def counts_to_string(counts: list[int]) -> str:
    """COCO's compressed string form of uncompressed counts."""
    out = []
    for i, count in enumerate(counts):
        x = int(count) - (int(counts[i - 2]) if i > 2 else 0)
        more = True
        while more:
            c = x & 0x1F
            x >>= 5
            more = (x != -1) if (c & 0x10) else (x != 0)
            if more:
                c |= 0x20
            out.append(chr(c + 48))
    return "".join(out)


def string_to_counts(text: str) -> list[int]:
    """Uncompressed counts of COCO's compressed string (RLEError when it is not one)."""
    counts: list[int] = []
    p = 0
    while p < len(text):
        x, k, more = 0, 0, True
        while more:
            if p >= len(text):
                raise RLEError("truncated RLE string")
            c = ord(text[p]) - 48
            if not 0 <= c < 64:
                raise RLEError(f"character {text[p]!r} at {p} is not in a COCO RLE string")
            if k >= MAX_GROUPS:
                raise RLEError(f"a count at {p} in the RLE string is too long")
            x |= (c & 0x1F) << (5 * k)
            more = bool(c & 0x20)
            p += 1
            k += 1
            if not more and (c & 0x10):
                x |= -1 << (5 * k)
        if len(counts) > 2:
            x += counts[-2]
        counts.append(x)
    return counts


def encode(mask: np.ndarray, compressed: bool = True) -> dict[str, Any]:
    """A COCO RLE object ``{"size": [H, W], "counts": str | list}``."""
    mask = np.asarray(mask, dtype=bool)
    counts = encode_counts(mask)
    return {
        "size": [int(mask.shape[0]), int(mask.shape[1])],
        "counts": counts_to_string(counts) if compressed else counts,
    }


def decode(rle: dict[str, Any], max_pixels: int | None = None) -> np.ndarray:
    """The boolean mask of a COCO RLE object in either form, validated before allocating."""
    (height, width), counts = validated(rle, max_pixels)
    values = np.arange(len(counts)) % 2 == 1
    flat = np.repeat(values, np.asarray(counts, dtype=np.int64))
    return flat.reshape((height, width), order="F")


def area(rle: dict[str, Any]) -> int:
    _size, counts = validated(rle)
    return int(sum(counts[1::2]))


def bbox(mask: np.ndarray) -> list[float]:
    """COCO ``[x, y, w, h]`` of the set pixels (zeros for an empty mask)."""
    ys, xs = np.nonzero(mask)
    if xs.size == 0:
        return [0.0, 0.0, 0.0, 0.0]
    return [
        float(xs.min()),
        float(ys.min()),
        float(xs.max() - xs.min() + 1),
        float(ys.max() - ys.min() + 1),
    ]
