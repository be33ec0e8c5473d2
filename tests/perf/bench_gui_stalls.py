"""Benchmark: the longest GUI event-loop gap while the Metrics view scores the sample project.

The UI thread must never compute: scoring runs on the compute worker and the view
only redraws when results arrive. The window starts as ``iris gui`` does: the worker
resolves the device and warms the metric library (torch, pyiqa: core/metrics/warm.py)
before the user scores. The baseline is the longest gap of the same window idling for
a second, measured in the same run. Aim: under 50 ms. The second figure is what that
warm-up costs the window at start (imports holding Python's GIL in C code), reported so
that the cost moved there stays visible.
(The filmstrip's figure is ``iterate_gui_max_stall`` in bench_iterate.)
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.perf.gui_window import max_gap, sample_window, stall_figure

# Metrics the sample does not ship precomputed (resources/sample/scores.json has entropy, psnr,
# ssim, niqe, brisque, piqe), so every value is computed while the gap is measured.
METRICS = "gmsd,ms_ssim"


def metrics_stall() -> list[dict]:
    with sample_window((1366, 768), device="cpu") as (app, window, worker):
        worker.prepare_compute("cpu")  # as `iris gui` does at start (torch, pyiqa)
        view = window.show_view("plots")
        settle = time.perf_counter() + 1.0
        warm_started = time.perf_counter()
        warm_gap = max_gap(app, lambda: time.perf_counter() > settle and not worker.active_jobs())
        warm_seconds = time.perf_counter() - warm_started
        idle_until = time.perf_counter() + 1.0
        idle_gap = max_gap(app, lambda: time.perf_counter() > idle_until)
        view.runs.clearSelection()
        view.runs.item(0).setSelected(True)  # the sample's run group
        view.metric_edit.setText(METRICS)
        view.reference.setCurrentText("input")
        start = time.perf_counter()
        view.score()
        handle = view.scoring.handle
        gap = max_gap(app, lambda: handle.is_finished)
        seconds = time.perf_counter() - start
        state, curves = handle.state, len(view.plot.curves)
    if seconds < 1.0:
        raise RuntimeError(
            f"scoring took {seconds:.2f} s: the scores were cached, nothing measured"
        )
    if state != "done" or not curves:
        raise RuntimeError(f"scoring ended {state} with {curves} curves")
    scoring = stall_figure(
        "metrics_gui_max_stall",
        f"while the Metrics view scores the sample's run group with {METRICS} ({seconds:.1f} s)",
        gap,
        idle_gap,
    )
    warm = stall_figure(
        "startup_warm_gui_max_stall",
        f"while the worker resolves the device and warms the metric library at start "
        f"({warm_seconds:.1f} s)",
        warm_gap,
        idle_gap,
        "reported (the window is already shown and usable between gaps)",
    )
    return [scoring, warm]


def depth_stall() -> dict:
    """The longest gap while the Depth view decodes a 12 MP Vision Banana map (offscreen:
    the 3D panel is empty there, so this is the decode, the colour bar and the 2D panes)."""
    from PIL import Image

    from core.depth.codecs import make_codec
    from tests.perf.bench_depth import HEIGHT, WIDTH, _noisy, _scene

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "map_12mp.png"
        Image.fromarray(_noisy(make_codec("vision-banana"), _scene())).save(path)
        with sample_window((1366, 768), device="cpu") as (app, window, worker):
            view = window.show_view("depth")
            max_gap(app, lambda: not view.loading and not worker.active_jobs())
            idle_until = time.perf_counter() + 1.0
            idle_gap = max_gap(app, lambda: time.perf_counter() > idle_until)
            start = time.perf_counter()
            view.open_map_file(str(path))
            gap = max_gap(app, lambda: time.perf_counter() - start > 0.5 and not view.loading)
            seconds = time.perf_counter() - start
            scene = view.scene
            shown = scene is not None and scene.decoding.depth.shape == (HEIGHT, WIDTH)
    if not shown:
        raise RuntimeError("the Depth view did not show the 12 MP map")
    return stall_figure(
        "depth_gui_max_stall",
        f"while the Depth view decodes a {WIDTH}x{HEIGHT} Vision Banana map ({seconds:.1f} s)",
        gap,
        idle_gap,
    )


def run() -> list[dict]:
    return [*metrics_stall(), depth_stall()]
