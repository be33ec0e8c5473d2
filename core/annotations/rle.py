"""COCO run-length encoding of binary masks, in numpy (no pycocotools).

COCO flattens a mask column by column (Fortran order) and counts alternating
runs starting with a run of zeros. The *uncompressed* form is the list of
counts; the *compressed* form packs them into a string: each count (after the
second, as the difference to the count two places earlier) is written in
5-bit groups, least significant first, each group plus 48 as one character,
with 0x20 marking "more groups follow" and 0x10 the sign of the last group.
"""

from __future__ import annotations

from typing import Any

import numpy as np


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
    height, width = int(size[0]), int(size[1])
    counts_arr = np.asarray(counts, dtype=np.int64)
    if counts_arr.sum() != height * width or (counts_arr < 0).any():
        raise ValueError(
            f"RLE counts sum to {int(counts_arr.sum())}, the mask has {height * width} pixels"
        )
    values = np.arange(len(counts_arr)) % 2 == 1
    flat = np.repeat(values, counts_arr)
    return flat.reshape((height, width), order="F")


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
    """Uncompressed counts of COCO's compressed string."""
    counts: list[int] = []
    p = 0
    while p < len(text):
        x, k, more = 0, 0, True
        while more:
            if p >= len(text):
                raise ValueError("truncated RLE string")
            c = ord(text[p]) - 48
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


def decode(rle: dict[str, Any]) -> np.ndarray:
    """The boolean mask of a COCO RLE object in either form."""
    counts = rle["counts"]
    if isinstance(counts, (str, bytes)):
        counts = string_to_counts(counts.decode() if isinstance(counts, bytes) else counts)
    return decode_counts(counts, tuple(rle["size"]))


def area(rle: dict[str, Any]) -> int:
    counts = rle["counts"]
    if isinstance(counts, str):
        counts = string_to_counts(counts)
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
