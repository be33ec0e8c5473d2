"""Benchmark: synchronized zoom/pan steps of the compare view, 4 views of 5632x3072 images.

Each step moves the shared camera (zoom about a point, or pan) and renders the
whole compare widget offscreen (``widget.grab()``): every view repaints. The
baseline is the same steps with single-level pyramids (every frame resamples
the full-resolution image). Memory: pyramid bytes of the four views against
the images' own 8-bit size, and the process's resident-memory growth over the
steps (no full-resolution copy per view per frame).

Views draw pixel values as text from 44 screen px per pixel (the default), so
the steps near the top zoom (about 60x) include that text.

Run: ``QT_QPA_PLATFORM=offscreen python -m tests.perf.bench_compare``
"""

from __future__ import annotations

import json
import os
import statistics
import time

import numpy as np

WIDTH, HEIGHT, VIEWS = 5632, 3072, 4
WIDGET_SIZE = (1600, 1000)
STEPS = 120


def synthetic_image(seed: int) -> np.ndarray:
    """A 5632x3072 RGB image with gradients, stripes and noise, made in memory."""
    rng = np.random.default_rng(seed)
    y = np.linspace(0.0, 1.0, HEIGHT, dtype=np.float32)[:, None]
    x = np.linspace(0.0, 1.0, WIDTH, dtype=np.float32)[None, :]
    image = np.empty((HEIGHT, WIDTH, 3), np.uint8)
    image[..., 0] = (255 * x * (0.5 + 0.5 * np.sin(40 * y + seed))).astype(np.uint8)
    image[..., 1] = (255 * y * (0.5 + 0.5 * np.cos(60 * x))).astype(np.uint8)
    image[..., 2] = ((x + y) * 127).astype(np.uint8)
    noise = rng.integers(0, 24, (HEIGHT // 8, WIDTH // 8, 1), dtype=np.uint8)
    image += np.repeat(np.repeat(noise, 8, axis=0), 8, axis=1)
    return image


def _rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _steps(widget) -> list[float]:
    """Time a scripted sequence of zooms and pans, each followed by a full render."""
    from PySide6.QtWidgets import QApplication

    widget.fit()
    QApplication.processEvents()
    width, height = widget.view_size()
    rng = np.random.default_rng(0)
    times = []
    for step in range(STEPS):
        start = time.perf_counter()
        phase = step % 40
        if phase < 15:  # zoom in from fit to about 30x
            widget.zoom_at(1.5, width * 0.4, height * 0.6, (width, height))
        elif phase < 25:  # pan around at high zoom
            widget.pan(float(rng.integers(-120, 120)), float(rng.integers(-80, 80)))
        else:  # zoom back out through every pyramid level
            widget.zoom_at(1 / 1.5, width * 0.5, height * 0.5, (width, height))
        widget.grab()
        times.append((time.perf_counter() - start) * 1000.0)
    return times


def run() -> list[dict]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from core.compare.pyramid import build_pyramid, pack_xrgb
    from widgets.compare.pyramid_image import PyramidImage
    from widgets.compare.widget import CompareWidget

    images = [synthetic_image(seed) for seed in range(VIEWS)]
    own_bytes = sum(image.nbytes for image in images)
    rss_before_pyramids = _rss_bytes()
    pyramids = [PyramidImage(build_pyramid(pack_xrgb(image))) for image in images]
    pyramid_bytes = sum(p.nbytes for p in pyramids)
    rss_pyramids = _rss_bytes() - rss_before_pyramids
    labels = [f"view {i + 1}" for i in range(VIEWS)]

    widget = CompareWidget()
    widget.resize(*WIDGET_SIZE)
    widget.show()
    app.processEvents()
    widget.set_images(pyramids, labels)
    _steps(widget)  # warm up
    rss_start = _rss_bytes()
    times = _steps(widget)
    rss_growth = _rss_bytes() - rss_start
    widget.set_mode("difference")
    diff_times = _steps(widget)
    widget.set_mode("side")

    flat = [PyramidImage([image]) for image in images]  # baseline: no pyramid
    widget.set_images(flat, labels)
    base_times = _steps(widget)
    widget.close()

    median = statistics.median(times)
    p95 = float(np.percentile(times, 95))
    base_median = statistics.median(base_times)
    base_p95 = float(np.percentile(base_times, 95))
    size = f"{VIEWS} views of {WIDTH}x{HEIGHT}, widget {WIDGET_SIZE[0]}x{WIDGET_SIZE[1]}"
    return [
        {
            "bench": "compare",
            "metric": f"zoom/pan step median ({size})",
            "value": median,
            "unit": "ms",
            "baseline": base_median,
            "ratio": median / base_median,
            "aim": "< 16 ms (60 fps); baseline: same steps without a pyramid",
        },
        {
            "bench": "compare",
            "metric": f"zoom/pan step p95 ({size})",
            "value": p95,
            "unit": "ms",
            "baseline": base_p95,
            "ratio": p95 / base_p95,
            "aim": "< 16 ms; baseline: same steps without a pyramid",
        },
        {
            "bench": "compare",
            "metric": "difference-mode step median (3 error maps + reference)",
            "value": statistics.median(diff_times),
            "unit": "ms",
            "baseline": median,
            "ratio": statistics.median(diff_times) / median,
            "aim": "interactive; baseline: side-by-side step median",
        },
        {
            "bench": "compare",
            "metric": "pyramid memory / images' own 8-bit size",
            "value": pyramid_bytes / own_bytes,
            "unit": "x",
            "baseline": rss_pyramids / own_bytes,
            "ratio": None,
            "aim": "< 2x (baseline: the process's resident growth while building them, same unit)",
        },
        {
            "bench": "compare",
            "metric": "resident memory growth over the timed zoom/pan steps",
            "value": rss_growth / 2**20,
            "unit": "MiB",
            "baseline": own_bytes / 2**20,
            "ratio": rss_growth / own_bytes,
            "aim": "~0: no full-resolution copy per view per frame (baseline: images' size)",
        },
    ]


if __name__ == "__main__":
    for figure in run():
        print(json.dumps(figure))
