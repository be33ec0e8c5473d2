"""Benchmark: the iterative runner's own cost per step, and GUI stalls while a run proceeds.

1. Runner overhead: an instant editor (it changes one pixel) runs 12 steps on a
   2048x2048 image. Overhead per step = the time from one step's commit to the
   next (steady state: opening the project and decoding the input are left
   out) minus the editor's time and PNG encoding (both timed by the runner). The baseline is
   one PNG encoding of the same image at the runner's level, timed here.
2. GUI stall: the Runs view starts a 100-step generation-loss run on the
   sample's 512x512 gradient; a 5 ms timer on the GUI thread records the
   longest gap between its ticks until the run ends and the project browser
   lists its steps. The baseline is the same
   measurement with the loop idle for as long.

Run: ``QT_QPA_PLATFORM=offscreen python -m tests.perf iterate``
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np

from tests.perf.gui_window import max_gap, sample_window, stall_figure

SIZE = 2048
OVERHEAD_STEPS = 12
GUI_STEPS = 100


def _instant_editor():
    from core.methods.base import Method, MethodOutput

    def run(pixels, params, *, progress, cancel, context):
        pixels[0, 0, 0] = (pixels[0, 0, 0] + 1 / 255) % 1.0  # a new image, so a new file
        return MethodOutput(pixels, thoughts="done")

    return Method("bench-instant", "classical", "Instant", "returns its input", (), run)


def runner_overhead() -> dict:
    from core.imageio import encode_png
    from core.iterate.chain import STEP_PNG_LEVEL
    from core.iterate.runner import IterateSpec, iterate
    from core.methods.registry import METHODS
    from core.project import Project

    if "bench-instant" not in METHODS:
        METHODS.register("bench-instant", _instant_editor())
    rng = np.random.default_rng(0)
    small = rng.uniform(0, 1, (SIZE // 16, SIZE // 16, 3)).astype(np.float32)
    pixels = np.kron(small, np.ones((16, 16, 1), np.float32))  # compressible, like a photo
    with tempfile.TemporaryDirectory() as folder:
        with Project.create(Path(folder) / "p") as project:
            image = project.add_image_array(pixels, name="2k", kind="imported")
        iterate(
            Path(folder) / "p", image.id, IterateSpec("bench-instant", OVERHEAD_STEPS), group="b"
        )
        with Project.open(Path(folder) / "p") as project:
            results = project.results(project.run("b-r1").id)[2:]  # step 1 pays the imports
        # steady state: from one step's commit to the next, setup (opening, decoding) left out
        stamps = [datetime.fromisoformat(r.finished_at).timestamp() for r in results]
        wall = (stamps[-1] - stamps[0]) / (len(stamps) - 1)
        edit = statistics.mean(r.meta["timings"]["edit_s"] for r in results[1:])
        encode = statistics.mean(r.meta["timings"]["encode_s"] for r in results[1:])
    encodings = []
    for _ in range(3):
        t = time.perf_counter()
        encode_png(pixels, compress_level=STEP_PNG_LEVEL)
        encodings.append(time.perf_counter() - t)
    baseline = min(encodings)
    overhead = wall - edit - encode
    return {
        "bench": "iterate_runner_overhead_2k",
        "metric": f"runner seconds per step beyond the editor and PNG encoding ({SIZE}x{SIZE}, "
        f"{OVERHEAD_STEPS} steps; wall {wall:.4f} s, editor {edit:.4f} s, encoding {encode:.4f} s)",
        "value": round(overhead, 4),
        "unit": "s",
        "baseline": round(baseline, 4),
        "ratio": round(overhead / baseline, 3),
        "aim": "value < 0.030 s (plus PNG encoding, the baseline)",
    }


def gui_stall() -> dict:
    with sample_window((1400, 860)) as (app, window, _worker):
        view = window.show_view("runs")
        idle_until = time.perf_counter() + 1.0
        idle_gap = max_gap(app, lambda: time.perf_counter() > idle_until)
        for i in range(view.settings_form.image_combo.count()):
            if view.settings_form.image_combo.itemText(i).startswith("gradient "):
                view.settings_form.image_combo.setCurrentIndex(i)
        view.settings_form.steps.setValue(GUI_STEPS)
        view.settings_form.seed_policy.setCurrentText("per-step")
        view.settings_form.group.setText("bench")
        start = time.perf_counter()
        handle = view.start()
        # until the browser shows the run's steps too (it reads them in a pool thread)
        gap = max_gap(app, lambda: handle.is_finished and not window.browser.refresh_pending)
        seconds = time.perf_counter() - start
        frames = view.filmstrip.count()
        listed = window.browser.grid.count()
        state = handle.state
    if state != "done" or frames != GUI_STEPS + 1:
        raise RuntimeError(f"the benchmark run ended {state} with {frames} frames")
    if listed < GUI_STEPS + 1:
        raise RuntimeError(f"the browser lists {listed} images after the run")
    return stall_figure(
        "iterate_gui_max_stall",
        f"during a {GUI_STEPS}-step generation-loss run on 512x512 in the Runs view "
        f"({seconds:.1f} s, {frames} frames shown live)",
        gap,
        idle_gap,
    )


def run() -> list[dict]:
    return [runner_overhead(), gui_stall()]


if __name__ == "__main__":
    import json

    for figure in run():
        print(json.dumps(figure))
