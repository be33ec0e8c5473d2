"""Starting the GUI: the Qt environment, the application object, the window, the screenshot mode."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from core.errors import IrisError

SCREENSHOT_TIMEOUT_S = 60.0
STARTUP_PROBE_ENV = "IRIS_STARTUP_PROBE"


def prepare_qt_environment(headless_ok: bool) -> None:
    """Fix the environment before the QApplication exists.

    opencv-python (pulled in by pyiqa's dependencies) points
    ``QT_QPA_PLATFORM_PLUGIN_PATH`` at its own Qt 5 plugins when imported;
    Qt 6 must not load those. Without a display, ``headless_ok`` selects the
    offscreen platform (screenshots, smoke tests); otherwise it is an error.
    """
    plugin_path = os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "")
    if "cv2" in plugin_path:
        del os.environ["QT_QPA_PLATFORM_PLUGIN_PATH"]
    has_display = bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if (
        sys.platform.startswith("linux")
        and not has_display
        and not os.environ.get("QT_QPA_PLATFORM")
    ):
        if not headless_ok:
            raise IrisError(
                "no display found (DISPLAY is unset); use --screenshot, or set QT_QPA_PLATFORM=offscreen"
            )
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def application():
    """The one QApplication, created on first use with IRIS's names and icon.

    Triton is blocked first, before any GL surface can exist (see app/triton_guard.py), and
    PySide6's per-import source scan is replaced by a faster one (app/pyside_import_check.py).
    """
    from app.triton_guard import block_triton

    block_triton()
    import PySide6.QtCore  # noqa: F401  (loads the import hook the next line speeds up)

    from app import pyside_import_check

    pyside_import_check.install()
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("IRIS")
        app.setOrganizationName("IRIS")
        app.setApplicationDisplayName("IRIS")
        from resources import resource_path

        app.setWindowIcon(QIcon(str(resource_path("icons", "iris.svg"))))
    return app


def open_initial_project(window, explicit: str | None, sample: bool = False) -> bool:
    """Open the project asked for, else the last one, else the sample project (built on first use)."""
    from core.paths import is_project

    if sample:
        return window.open_sample_project(background=True)
    if explicit:
        return window.open_project(explicit)
    last = window.settings.last_project
    if last and is_project(last) and window.open_project(last):
        return True
    return window.open_sample_project(background=True)  # built on the worker, window live


def launch(
    project: str | None = None,
    view: str | None = None,
    screenshot: str | None = None,
    sample: bool = False,
) -> int:
    """Open IRIS; with ``screenshot`` save the window once everything has loaded, then exit."""
    prepare_qt_environment(
        headless_ok=screenshot is not None or bool(os.environ.get(STARTUP_PROBE_ENV))
    )
    app = application()
    from PySide6.QtCore import QTimer

    from app.main_window import MainWindow
    from app.settings import Settings
    from app.worker import ComputeWorker

    settings = Settings()
    worker = ComputeWorker()
    # The window is shown first; its project dock, shortcuts and first view come just after.
    window = MainWindow(settings, worker, build_first_view=False, complete=False)
    undo_excepthook: list[Callable[[], None]] = []
    exit_code = 0
    failed: list[str] = []

    def fill_window() -> None:
        # The window is already on screen; the dock and the first view, then the project
        # (SQLite, numpy, Pillow) load next.
        from app.excepthook import install

        undo_excepthook.append(install(window.report_error))  # logged, one line shown
        window.complete()
        window.current_view()
        if not open_initial_project(window, project, sample) and (project or sample):
            failed.append(window.last_error or f"cannot open {project}")
            app.exit(1)
            return
        if os.environ.get(STARTUP_PROBE_ENV):
            QTimer.singleShot(0, lambda: (report_startup("IRIS_PROJECT_SHOWN"), app.quit()))
        else:
            worker.prepare_compute(settings.device)

    try:
        if view:
            window.show_view(view)
        window.show()
        if os.environ.get(STARTUP_PROBE_ENV):
            QTimer.singleShot(0, lambda: report_startup("IRIS_WINDOW_SHOWN"))
        QTimer.singleShot(0, fill_window)
        shooter = ScreenshotWhenIdle(window, worker, Path(screenshot), app) if screenshot else None
        if shooter:
            shooter.start()
        exit_code = app.exec()
        if failed:
            raise IrisError(failed[0])
        if screenshot and not Path(screenshot).is_file():
            exit_code = 1
    finally:
        window.close()
        stopped = worker.shutdown(QUIT_GRACE_MS)
        for undo in undo_excepthook:
            undo()
    if not stopped:
        leave_now(exit_code)
    return exit_code


# How long quitting waits for the compute thread. A job that does not reach a cancel
# point in time (importing torch takes seconds) is not waited for: every result is
# committed in its own transaction, so leaving mid-job loses nothing reported done.
QUIT_GRACE_MS = 1500


def leave_now(exit_code: int) -> None:
    """End the process at once, without waiting for the compute thread to finish its step."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(exit_code)


HEAVY_MODULES = ("torch", "pyiqa", "open3d", "google.genai", "spandrel", "cv2", "scipy")


def report_startup(marker: str) -> None:
    """For the startup benchmark: print ``marker`` and the heavy modules loaded so far."""
    loaded = [name for name in HEAVY_MODULES if name in sys.modules]
    print(f"{marker} {' '.join(loaded)}".strip(), flush=True)


class ScreenshotWhenIdle:
    """Waits until previews, images and jobs are done, then grabs the window and quits."""

    def __init__(self, window, worker, path: Path, app) -> None:
        self.window, self.worker, self.path, self.app = window, worker, path, app
        self.started = time.monotonic()

    def start(self) -> None:
        from PySide6.QtCore import QTimer

        self.timer = QTimer()
        self.timer.setInterval(100)
        self.timer.timeout.connect(self._poll)
        self.timer.start()

    def _poll(self) -> None:
        waited = time.monotonic() - self.started
        busy = self.window.is_busy() or bool(self.worker.active_jobs())
        if (busy or waited < 0.5) and waited < SCREENSHOT_TIMEOUT_S:
            return
        self.timer.stop()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.window.grab().save(str(self.path)):
            print(f"iris: error: could not write the screenshot {self.path}", file=sys.stderr)
        self.app.quit()
