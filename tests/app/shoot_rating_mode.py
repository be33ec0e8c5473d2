"""Makes resources/screenshots/rating-mode.png: the Annotate view's blind rating mode at 1366x768.

Run: ``QT_QPA_PLATFORM=offscreen python -m tests.app.shoot_rating_mode [OUT.png]``
(with throwaway ``IRIS_DATA_DIR`` / ``IRIS_CONFIG_DIR``). It rates the sample
project's images as two raters, then grabs the main window in rating mode.
"""

from __future__ import annotations

import sys
from pathlib import Path

from core.project import Project
from tests.app.screenshots import SCREENSHOTS, pump, sample_window, save_screenshot

OUT = SCREENSHOTS / "rating-mode.png"


def rate_sample(path: Path) -> None:
    with Project.open(path) as project:
        rows = []
        for n, image in enumerate(project.images()):
            rows += [(image.id, "bob", (n * 3 + 1) % 6), (image.id, "carol", (n * 2 + 2) % 6)]
        project.put_ratings(rows)


def main(out: Path = OUT) -> None:
    with sample_window(1366, 768, prepare=rate_sample) as (app, window):
        view = window.show_view("annotate")
        view.annotator_edit.setText("alice")
        pump(app, 20, until=lambda: not window.is_busy())
        view.rating.toggle.setChecked(True)
        pump(app, 20, until=lambda: not view.loading and view.canvas.has_image())
        view.rate(4)
        pump(app, 20, until=lambda: not view.loading and view.canvas.has_image())
        pump(app, 0.5)
        save_screenshot(window, out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
