"""Screenshots of every view at 1366x768 on the sample project, for the README.

Run under Xvfb (the Depth and 3D view needs OpenGL):
``QT_QPA_PLATFORM=xcb DISPLAY=:N python -m tests.app.shoot_views_1366`` with throwaway
``IRIS_DATA_DIR`` / ``IRIS_CONFIG_DIR``. Writes ``resources/screenshots/<view>.png``.
"""

from __future__ import annotations

from tests.app.screenshots import SCREENSHOTS, pump, sample_window, save_screenshot

SHOTS = {
    "images": "main-window.png",
    "compare": "compare-view.png",
    "runs": "runs-view.png",
    "plots": "metrics-view.png",
    "depth": "depth-view.png",
    "annotate": "annotate-view.png",
}


def main() -> None:
    with sample_window(1366, 768) as (app, window):
        pump(app, 20, until=lambda: not window.is_busy() and not window.worker.active_jobs())
        for name, file in SHOTS.items():
            window.show_view(name)
            pump(app, 20, until=lambda: not window.is_busy() and not window.worker.active_jobs())
            pump(app, 1.0)
            save_screenshot(window, SCREENSHOTS / file)


if __name__ == "__main__":
    main()
