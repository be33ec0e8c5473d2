"""Depth decoding speed on a 12-megapixel map, against a bare numpy ``take``; unproject + PLY.

The map is a synthetic scene (sloped floor, boxes, a little noise) encoded with
each colour codec and re-quantized the way JPEG would disturb it, so it holds
hundreds of thousands of distinct colours like a real generated map. Each codec
is decoded with the distance mask and the 3x3 median on and off; the baseline,
timed alternately with it in the same run, is one numpy ``take`` of the same
codes from a filled 2^24 table (plus, with the median, the two 3x3 medians
the option must run). The aim is a ratio of at least ``AIM_RATIO``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

WIDTH, HEIGHT = 4000, 3000
REPEATS = 3
AIM_RATIO = 0.6  # decode speed / take speed (issue 21, point 1)


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


def _alternate(first, second, repeats: int = REPEATS) -> tuple[float, float]:
    """Median times of two functions run in turn, so a load change hits both alike."""
    a, b = [], []
    for _ in range(repeats):
        for fn, times in ((first, a), (second, b)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return statistics.median(a), statistics.median(b)


def _noisy(codec, depth: np.ndarray) -> np.ndarray:
    rgb = codec.encode(depth)
    noise = np.random.default_rng(1).integers(-2, 3, rgb.shape)
    return np.clip(rgb.astype(np.int16) + noise, 0, 255).astype(np.uint8)


def _codec_figures(name: str, depth: np.ndarray, table: np.ndarray) -> list[dict]:
    """Warm decode speed of one codec, mask and median on and off, against ``take``."""
    from core.depth.codecs import _median3, make_codec
    from core.depth.colour_path import pack_rgb

    params = {} if name == "vision-banana" else {"range_mode": "linear", "near": 0.5, "far": 80}
    codec = make_codec(name, **params)
    rgb = _noisy(codec, depth)
    codes = pack_rgb(rgb)
    megapixels = rgb.shape[0] * rgb.shape[1] / 1e6
    codec.decode_rgb(rgb)  # fills the table
    figures = []
    for mask in (True, False):
        for median in (False, True):
            limit = 0.15 if mask else None
            floor = np.zeros(rgb.shape[:2], np.float32)

            def baseline(median=median, floor=floor) -> None:
                np.take(table, codes)
                if median:  # what the option must cost: two 3x3 medians of the image
                    _median3(floor), _median3(floor)

            decode_s, take_s = _alternate(
                lambda limit=limit, median=median: codec.decode_rgb(
                    rgb, max_path_distance=limit, median=median
                ),
                baseline,
            )
            ratio = take_s / decode_s
            figures.append(
                {
                    "bench": "depth_decode",
                    "metric": f"decode 12 MP {name} map (table warm), mask {'on' if mask else 'off'}, "
                    f"median {'on' if median else 'off'}",
                    "codec": name,
                    "mask": mask,
                    "median": median,
                    "value": megapixels / decode_s,
                    "unit": "MP/s",
                    "baseline": megapixels / take_s,
                    "ratio": ratio,
                    "aim": f"ratio >= {AIM_RATIO} (decode speed / numpy take of the same codes"
                    + (" + two 3x3 medians)" if median else ")"),
                    "aim_met": ratio >= AIM_RATIO,
                }
            )
    return figures


def run() -> list[dict]:
    from core.depth.codecs import _TABLE_CACHE, CODECS, make_codec
    from core.depth.colour_path import pack_rgb
    from core.depth.pointcloud import save_ply
    from core.depth.unproject import Intrinsics, unproject

    depth = _scene()
    # A filled table (a zeroed one maps every page to the same zero page: unfairly fast).
    table = np.random.default_rng(3).random(1 << 24, dtype=np.float32)
    figures = []
    for name in CODECS.names():
        if CODECS.meta(name).get("kind") == "colour":
            figures += _codec_figures(name, depth, table)

    codec = make_codec("vision-banana")
    rgb = _noisy(codec, depth)
    _TABLE_CACHE.clear()  # cold: a new table, filled by this map
    start = time.perf_counter()
    decoded = codec.decode_rgb(rgb)
    cold = time.perf_counter() - start
    warm = _best(lambda: codec.decode_rgb(rgb))
    take = _best(lambda: np.take(table, pack_rgb(rgb)))

    photo = np.random.default_rng(2).integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)
    intrinsics = Intrinsics.from_hfov(WIDTH, HEIGHT)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cloud.ply"

        def unproject_and_export() -> None:
            cloud = unproject(decoded.depth, intrinsics, photo=photo, colour_mode="photo")
            save_ply(path, cloud)

        export = _best(unproject_and_export, repeats=2)
        ply_mb = path.stat().st_size / 1e6
    return figures + [
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
