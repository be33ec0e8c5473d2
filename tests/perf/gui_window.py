"""The real IRIS window on a fresh copy of the sample project, for the GUI benchmarks.

``sample_window()`` yields ``(app, window, worker)`` with private data and config folders
(so the user's own are never touched); ``max_gap`` is the event-loop gap measure every GUI
benchmark reports: the longest interval between ticks of a 5 ms timer while the loop runs.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

TICK_MS = 5


def max_gap(app, until: Callable[[], bool]) -> float:
    """Run the event loop until ``until()``; the longest gap between timer ticks, seconds."""
    from PySide6.QtCore import QTimer

    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    while not until():
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    gaps = np.diff(ticks) if len(ticks) > 1 else np.array([0.0])
    return float(gaps.max())


@contextlib.contextmanager
def sample_window(size: tuple[int, int], *, device: str | None = None) -> Iterator[tuple]:
    """The main window, shown at ``size`` on the sample project; closed and joined after."""
    from app.gui import application, prepare_qt_environment

    prepare_qt_environment(headless_ok=True)
    app = application()
    from app.main_window import MainWindow
    from app.settings import Settings
    from app.worker import ComputeWorker
    from core.sample_project import ensure_sample_project

    with tempfile.TemporaryDirectory() as folder:
        os.environ["IRIS_DATA_DIR"] = str(Path(folder) / "data")
        os.environ["IRIS_CONFIG_DIR"] = str(Path(folder) / "config")
        sample = ensure_sample_project()
        worker = ComputeWorker()
        settings = Settings()
        if device is not None:
            settings.device = device
        window = MainWindow(settings, worker)
        try:
            window.resize(*size)
            window.show()
            window.open_project(sample)
            yield app, window, worker
        finally:
            window.close()
            worker.shutdown(10_000)


def stall_figure(
    bench: str, metric: str, gap: float, idle_gap: float, aim: str = "value < 50 ms"
) -> dict:
    """One JSON line of a GUI-stall benchmark: the gap against the idle window's, in ms."""
    return {
        "bench": bench,
        "metric": f"longest GUI event-loop gap (ms) {metric}",
        "value": round(gap * 1000, 1),
        "unit": "ms",
        "baseline": round(idle_gap * 1000, 1),
        "ratio": round(gap / idle_gap, 2) if idle_gap else None,
        "aim": aim,
    }
