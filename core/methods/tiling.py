"""Tiled inference: split an image into overlapping tiles, run each, blend the seams.

Tiles are as few and as even as the size limit allows (a 1024 px side with a
1024 limit is one tile; with a 512 limit and 32 px overlap, three tiles of
363 px), so the extra work is only the overlap. Where two tiles overlap, the outer quarter of each
tile's overlap gets weight 0 (its pixels saw the tile edge, not the image) and
the weights then ramp linearly, so a model whose receptive field is within a
quarter of the overlap gives the same result as an untiled run.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable

from core.jobs import ProgressFn, check_cancelled

MIN_TILE = 64


def tile_starts(length: int, tile: int, overlap: int) -> list[int]:
    """Evenly spaced tile starts covering ``length`` with tiles of at most ``tile`` pixels."""
    if length <= tile:
        return [0]
    overlap = min(overlap, tile // 2)
    count = math.ceil((length - overlap) / (tile - overlap))
    size = tile_size_for(length, count, overlap)
    return [round(i * (length - size) / (count - 1)) for i in range(count)]


def tile_size_for(length: int, count: int, overlap: int) -> int:
    """The tile side that covers ``length`` with ``count`` tiles overlapping by ``overlap``."""
    if count <= 1:
        return length
    return min(length, math.ceil((length + (count - 1) * overlap) / count))


def ramp(size: int, overlap: int, left: bool, right: bool):
    """1-D blend weights for a tile with neighbours on the ``left`` / ``right``."""
    import torch

    weights = torch.ones(size, dtype=torch.float32)
    if overlap <= 0:
        return weights
    dead = overlap // 4
    span = max(1, overlap - 2 * dead)
    distance = torch.arange(size, dtype=torch.float32)
    rise = ((distance - dead + 0.5) / span).clamp(0.0, 1.0)
    if left:
        weights = torch.minimum(weights, rise)
    if right:
        weights = torch.minimum(weights, rise.flip(0))
    return weights


def run_tiled(
    model: Callable,
    image,
    *,
    tile: int,
    overlap: int,
    scale: int,
    out_channels: int,
    progress: ProgressFn,
    cancel: threading.Event | None,
):
    """Run ``model`` over ``image`` (1, C, H, W) in tiles; returns (1, out_channels, sH, sW)."""
    import torch

    _, _, height, width = image.shape
    ys = tile_starts(height, tile, overlap)
    xs = tile_starts(width, tile, overlap)
    th = tile_size_for(height, len(ys), min(overlap, tile // 2))
    tw = tile_size_for(width, len(xs), min(overlap, tile // 2))
    if len(ys) == 1 and len(xs) == 1:
        progress(0, 1)
        check_cancelled(cancel)
        out = model(image)
        progress(1, 1)
        return out.float()
    # overlap actually realised between neighbours (tiles may overlap more than asked)
    oy = min((th - (ys[1] - ys[0])) if len(ys) > 1 else 0, th) * scale
    ox = min((tw - (xs[1] - xs[0])) if len(xs) > 1 else 0, tw) * scale
    out = torch.zeros((1, out_channels, height * scale, width * scale), device=image.device)
    weight = torch.zeros((1, 1, height * scale, width * scale), device=image.device)
    total = len(ys) * len(xs)
    done = 0
    for iy, y in enumerate(ys):
        wy = ramp(th * scale, oy, iy > 0, iy < len(ys) - 1).to(image.device)
        for ix, x in enumerate(xs):
            check_cancelled(cancel)
            progress(done, total)
            piece = model(image[:, :, y : y + th, x : x + tw]).float()
            wx = ramp(tw * scale, ox, ix > 0, ix < len(xs) - 1).to(image.device)
            w = wy[:, None] * wx[None, :]
            ys0, xs0 = y * scale, x * scale
            region = (
                slice(None),
                slice(None),
                slice(ys0, ys0 + th * scale),
                slice(xs0, xs0 + tw * scale),
            )
            out[region] += piece * w
            weight[region] += w
            done += 1
    progress(total, total)
    return out / weight.clamp_min(1e-8)


def auto_tile(device: str, scale: int = 1) -> int:
    """The largest tile side to try first: by free GPU memory on CUDA, 512 px on the CPU.

    On the CPU, 512 px tiles run about twice as fast as one whole 1 MP call
    (the activations stay in cache; ``make bench``, spandrel_tiled_*_cpu).
    """
    if device.startswith("cuda"):
        import torch

        free, _total = torch.cuda.mem_get_info(torch.device(device))
        gib = free / 2**30
        side = 2048 if gib > 40 else 1024 if gib > 10 else 512 if gib > 3 else 256
        return max(MIN_TILE, side // max(1, scale // 2))
    return 512
