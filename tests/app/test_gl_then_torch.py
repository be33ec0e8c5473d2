"""The real window under Xvfb (Mesa GL): the Depth and 3D view renders, then torch loads on the worker.

On Mesa, importing triton after a GL surface exists segfaults (triton's LLVM against Mesa's
libLLVM); app/triton_guard.py keeps triton out of the window process. Both tests run the
window in a subprocess so that a segfault fails a test instead of killing pytest: the first
proves the guarded window survives, the second (the guard switched off) that the first could
fail on this machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.widgets import conftest as gl_conftest

xvfb_display = gl_conftest.xvfb_display  # the GL tests' Xvfb server, one per module

ROOT = Path(__file__).resolve().parents[2]

WINDOW_THEN_TORCH = r"""
import json, sys
import numpy as np

from app.gui import application, prepare_qt_environment

prepare_qt_environment(headless_ok=False)
app = application()  # blocks triton (unless IRIS_ALLOW_TRITON=1), as `iris gui` does
from PySide6.QtCore import QEventLoop, QTimer

from app.main_window import MainWindow
from app.settings import Settings
from app.worker import ComputeWorker
from core.depth.codecs import make_codec
from core.project import Project


def pump(until, timeout_s):
    loop, waited = QEventLoop(), 0.0
    while not until() and waited < timeout_s:
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        waited += 0.05
    return until()


def torch_job(*, progress, cancel):
    import sys
    import importlib.util

    import pyiqa  # noqa: F401
    import spandrel  # noqa: F401
    import torch
    import torch.utils._triton as torch_triton
    import torchvision.models

    from core.metrics.engine import load_metric, score_pixels

    try:
        import triton  # noqa: F401

        triton_import = "imported"
    except ImportError as exc:
        triton_import = type(exc).__name__

    rng = np.random.default_rng(0)
    target = rng.random((32, 32, 3)).astype(np.float32)
    reference = np.clip(target + 0.05, 0, 1).astype(np.float32)
    psnr = score_pixels(load_metric("psnr"), [target], [reference])[0]
    net = torchvision.models.resnet18(weights=None).eval()
    with torch.inference_mode():
        logits = net(torch.rand(1, 3, 32, 32))
    return {
        "psnr": psnr,
        "logits": list(logits.shape),
        "has_triton": torch_triton.has_triton(),
        "triton_spec": importlib.util.find_spec("triton") is not None,
        "triton_loaded": sys.modules.get("triton") is not None,
        "triton_import": triton_import,
    }


folder = sys.argv[1]
depth = np.full((48, 64), 2.0)
depth[:, 32:] = 8.0
colours = make_codec("vision-banana").encode(depth).astype(np.float32) / 255.0
with Project.create(folder, name="gl") as project:
    project.add_image_array(colours, name="room_1.png", kind="imported")  # first: selected
    project.add_image_array(np.full((96, 128, 3), 0.5, np.float32), name="room_0.png",
                            kind="imported")

worker = ComputeWorker()
window = MainWindow(Settings(), worker)
window.resize(1300, 800)
window.show()
assert window.open_project(folder), window.last_error
view = window.show_view("depth")
cloud = view.cloud_view
assert pump(lambda: view.scene is not None and cloud.has_gl and not view.loading, 30), (
    "the Depth and 3D view did not build its GL view: " + cloud.note.text())
pump(lambda: False, 0.3)
frame = cloud.grab_frame()
assert frame is not None and frame.width() > 50, "no GL frame"
from widgets.qimage import qimage_to_rgb

pixels = qimage_to_rgb(frame).astype(int)
drawn = float((np.abs(pixels - [24, 24, 28]).sum(axis=2) > 30).mean())  # off the background
maps = open("/proc/self/maps").read()
print("GL", frame.width(), frame.height(), "drawn", round(drawn, 4),
      "mesa-llvm" if "libLLVM" in maps else "no-llvm", flush=True)

handle = worker.submit(torch_job, name="torch after GL")
results, errors = [], []
handle.succeeded.connect(results.append)
handle.failed.connect(lambda message, trace: errors.append(trace or message))
finished = pump(lambda: handle.is_finished, 120)
worker.shutdown()
window.close()
assert finished and not errors, errors or "the torch job did not finish"
print("RESULT " + json.dumps(results[0]), flush=True)
"""


def run_window(display: str, tmp_path: Path, **env_extra: str) -> subprocess.CompletedProcess:
    """Run the window script on ``display`` (xcb, real GL) in a fresh Python process."""
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
    env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
    env.pop("IRIS_ALLOW_TRITON", None)
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", WINDOW_THEN_TORCH, str(tmp_path / "p")],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


@pytest.mark.gl
def test_torch_job_after_the_depth_view_rendered(xvfb_display, tmp_path):
    result = run_window(xvfb_display, tmp_path)
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr[-3000:])
    gl_line = next(x for x in result.stdout.splitlines() if x.startswith("GL "))
    assert gl_line.endswith("mesa-llvm"), gl_line  # the GL view ran on Mesa, with its libLLVM
    assert float(gl_line.split()[4]) > 0.01, gl_line  # and drew the cloud, not a blank frame
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT "))
    job = json.loads(line.removeprefix("RESULT "))
    assert 25.0 < job["psnr"] < 27.0  # 20*log10(1/0.05) = 26.02 dB, less where clipping
    assert job["logits"] == [1, 1000]
    assert not job["has_triton"] and not job["triton_spec"] and not job["triton_loaded"]
    assert job["triton_import"] == "ModuleNotFoundError"  # "not installed", as torch expects


@pytest.mark.gl
def test_without_the_guard_the_same_window_crashes(xvfb_display, tmp_path):
    """The negative control: with triton let in, the first torchvision import kills the window."""
    result = run_window(xvfb_display, tmp_path, IRIS_ALLOW_TRITON="1")
    assert "mesa-llvm" in result.stdout
    assert result.returncode == -11, (result.returncode, result.stdout, result.stderr[-3000:])
    assert "Segmentation fault" in result.stderr and "triton" in result.stderr
