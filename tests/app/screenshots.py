"""Shared plumbing of the ``shoot_*`` scripts that make the README's screenshots.

Each script opens the main window on the sample project (in the throwaway
``IRIS_DATA_DIR`` it is run with), drives one view into the state to show,
and saves a grab with :func:`save_screenshot`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "resources" / "screenshots"


@contextlib.contextmanager
def sample_window(
    width: int, height: int, prepare: Callable[[Path], None] | None = None
) -> Iterator:
    """``(app, window)``: the main window shown on the sample project, worker stopped after.

    ``prepare(project_dir)`` runs on the sample project before the window opens it.
    """
    from app.gui import application, prepare_qt_environment

    prepare_qt_environment(headless_ok=True)
    app = application()
    from app.main_window import MainWindow
    from app.settings import Settings
    from app.worker import ComputeWorker
    from core.sample_project import ensure_sample_project

    path = ensure_sample_project()
    if prepare is not None:
        prepare(path)
    worker = ComputeWorker()
    window = MainWindow(Settings(), worker)
    window.resize(width, height)
    try:
        window.show()
        window.open_project(path)
        yield app, window
    finally:
        worker.shutdown()
        window.close()


def pump(app, seconds: float = 0.4, until: Callable[[], bool] | None = None) -> None:
    """Process events for ``seconds``, or until ``until()`` holds (then ``seconds`` is a limit)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not (until is not None and until()):
        app.processEvents()
        time.sleep(0.02)


def save_screenshot(widget, out: Path) -> Path:
    """Grab ``widget`` and save it as a 128-colour PNG (small enough for the README)."""
    from PIL import Image

    from widgets.qimage import qimage_to_rgb

    rgb = qimage_to_rgb(widget.grab().toImage())
    out.parent.mkdir(parents=True, exist_ok=True)
    quantized = Image.fromarray(rgb).quantize(
        colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    quantized.save(out, optimize=True)
    print(out, out.stat().st_size)
    return out
