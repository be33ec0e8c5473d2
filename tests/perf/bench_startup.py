"""Time from process start to the main window shown, against a bare PySide6 window."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPEATS = 11  # medians of 11: a 2-core machine's noise moved medians of 5 by 0.2x

BARE_WINDOW = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1400, 860)
window.show()
QTimer.singleShot(0, lambda: (print("IRIS_WINDOW_SHOWN", flush=True), app.quit()))
app.exec()
"""


def _time_markers(command: list[str], env: dict[str, str]) -> dict[str, tuple[float, list[str]]]:
    """Seconds from spawning ``command`` to each marker line it prints, with the modules it lists."""
    start = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    marks = {}
    for line in child.stdout:
        if line.startswith("IRIS_"):
            name, *modules = line.split()
            marks[name] = (time.perf_counter() - start, modules)
    child.wait(60)
    if "IRIS_WINDOW_SHOWN" not in marks:
        raise RuntimeError(f"{command} exited ({child.returncode}) without showing a window")
    return marks


def run() -> list[dict]:
    from core.sample_project import ensure_sample_project

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", IRIS_STARTUP_PROBE="1")
        env.update(IRIS_CONFIG_DIR=str(Path(tmp) / "config"), IRIS_DATA_DIR=str(Path(tmp) / "data"))
        env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
        # An installed IRIS starts from compiled bytecode (pip compiles on install); a shell
        # with PYTHONDONTWRITEBYTECODE would recompile every module at every start instead.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["IRIS_DATA_DIR"] = env["IRIS_DATA_DIR"]
        sample = ensure_sample_project()
        iris_cmd = [sys.executable, "-m", "app", "gui", "--project", str(sample)]
        bare_cmd = [sys.executable, "-c", BARE_WINDOW]
        _time_markers(iris_cmd, env)  # warm the file cache once
        bare, iris, content, heavy = [], [], [], set()
        for _ in range(REPEATS):  # interleaved so both see the same machine load
            bare.append(_time_markers(bare_cmd, env)["IRIS_WINDOW_SHOWN"][0])
            marks = _time_markers(iris_cmd, env)
            iris.append(marks["IRIS_WINDOW_SHOWN"][0])
            content.append(marks["IRIS_PROJECT_SHOWN"][0])
            heavy.update(marks["IRIS_WINDOW_SHOWN"][1])
    iris_median, bare_median = statistics.median(iris), statistics.median(bare)
    content_median = statistics.median(content)
    return [
        {
            "bench": "startup",
            "metric": "window_shown_s",
            "value": round(iris_median, 3),
            "unit": "s",
            "baseline": round(bare_median, 3),
            "ratio": round(iris_median / bare_median, 2),
            "aim": "ratio < 1.5 (issue 21) and value < 1.5 s",
            "repeats": REPEATS,
        },
        {
            "bench": "startup",
            "metric": "project_shown_s",
            "value": round(content_median, 3),
            "unit": "s",
            "baseline": round(bare_median, 3),
            "ratio": round(content_median / bare_median, 2),
            "aim": "ratio < 2.5 (issue 21): the sample's browser filled",
            "repeats": REPEATS,
        },
        {
            "bench": "startup",
            "metric": "heavy_modules_loaded_before_window_shown",
            "value": len(heavy),
            "unit": "modules",
            "baseline": None,
            "ratio": None,
            "aim": "0 (torch, pyiqa, open3d, google.genai, spandrel, cv2, scipy stay unloaded)",
            "loaded": sorted(heavy),
        },
    ]
