"""Depth decoding speed on a 12-megapixel map, against a bare numpy ``take``; unproject + PLY.

The map is a synthetic scene (sloped floor, boxes, a little noise) encoded with
the Vision Banana codec and re-quantized the way JPEG would disturb it, so it
holds hundreds of thousands of distinct colours like a real generated map.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

WIDTH, HEIGHT = 4000, 3000
REPEATS = 3


def _scene() -> np.ndarray:
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    depth = 1.0 + xx * 0.004 + yy * 0.002
    for _ in range(40):
        x0, y0 = rng.integers(0, WIDTH - 400), rng.integers(0, HEIGHT - 400)
        depth[y0 : y0 + 400, x0 : x0 + 400] = rng.uniform(0.5, 80.0)
    return depth


def _best(fn, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run() -> list[dict]:
    from core.depth.codecs import make_codec
    from core.depth.colour_path import pack_rgb
    from core.depth.pointcloud import save_ply
    from core.depth.unproject import Intrinsics, unproject

    codec = make_codec("vision-banana")
    depth = _scene()
    rgb = codec.encode(depth)
    noise = np.random.default_rng(1).integers(-2, 3, rgb.shape)
    rgb = np.clip(rgb.astype(np.int16) + noise, 0, 255).astype(np.uint8)
    megapixels = WIDTH * HEIGHT / 1e6

    start = time.perf_counter()
    decoded = codec.decode_rgb(rgb)
    cold = time.perf_counter() - start
    warm = _best(lambda: codec.decode_rgb(rgb))
    # A filled table (a zeroed one maps every page to the same zero page: unfairly fast).
    table = np.random.default_rng(3).random(1 << 24, dtype=np.float32)
    codes = pack_rgb(rgb)
    take = _best(lambda: np.take(table, codes))

    photo = np.random.default_rng(2).integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)
    intrinsics = Intrinsics.from_hfov(WIDTH, HEIGHT)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cloud.ply"

        def unproject_and_export() -> None:
            cloud = unproject(decoded.depth, intrinsics, photo=photo, colour_mode="photo")
            save_ply(path, cloud)

        export = _best(unproject_and_export, repeats=2)
        ply_mb = path.stat().st_size / 1e6
    return [
        {
            "bench": "depth_decode",
            "metric": "decode 12 MP Vision Banana map (table warm)",
            "value": megapixels / warm,
            "unit": "MP/s",
            "baseline": megapixels / take,
            "ratio": take / warm,
            "aim": "well under 1 s per 12 MP; baseline: one numpy take of the same 12M codes",
        },
        {
            "bench": "depth_decode_cold",
            "metric": "first decode of the map (fills the colour table)",
            "value": cold,
            "unit": "s",
            "baseline": warm,
            "ratio": cold / warm,
            "aim": "a few seconds at most; baseline = warm decode",
        },
        {
            "bench": "depth_unproject_ply",
            "metric": f"unproject 12 MP + write binary PLY ({ply_mb:.0f} MB)",
            "value": export,
            "unit": "s",
            "baseline": take,
            "ratio": export / take,
            "aim": "a few seconds; baseline = numpy take over 12 MP",
        },
    ]
