"""Grabs the Compare view at 1366x768 (a common laptop) on the sample project.

Run: ``QT_QPA_PLATFORM=offscreen python -m tests.app.shoot_compare_view [OUT.png] [MODE]``
(with throwaway ``IRIS_DATA_DIR`` / ``IRIS_CONFIG_DIR``). It opens the sample
project, selects an input and two steps of one of its runs in the browser
(as a user's Ctrl+click would), puts the view in MODE (``side``, ``difference``
or ``swipe``; default ``difference``) and saves the whole window. MODE ``picker``
saves the Add image picker filtered by "r2 1"; ``empty`` the view on an empty
project. The default output is /tmp/compare-1366.png: this script never writes
resources/screenshots/.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.app.screenshots import pump, sample_window, save_screenshot

OUT = Path("/tmp/compare-1366.png")


def main(out: Path = OUT, mode: str = "difference", width: int = 1366, height: int = 768) -> None:
    with sample_window(width, height) as (app, window):
        view = window.show_view("compare")
        pump(app, 0.5)
        if mode == "empty":
            window.open_project(Path(tempfile.mkdtemp()) / "empty", create=True)
            pump(app, 0.5)
            save_screenshot(window, out)
            return
        steps = [r for r in window.project.images() if r.kind == "step"]
        first = window.project.image(steps[0].parent_id) if steps else None
        chosen = [
            r for r in (first, steps[4] if steps else None, steps[14] if steps else None) if r
        ]
        window.browser.select_images([r.id for r in chosen])
        pump(app, 10, until=lambda: view.compare.count == len(chosen) and not window.is_busy())
        if mode == "picker":
            picker = view.open_picker()
            picker.filter.setText("r2 1")
            pump(app, 0.5)
            save_screenshot(picker, out)
            picker.reject()
            return
        if mode == "swipe":
            view.controls.mode_actions["swipe"].trigger()
        else:
            view.compare.set_mode(mode)
        pump(app, 1.0, until=lambda: not window.is_busy())
        pump(app, 0.3)
        save_screenshot(window, out)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(Path(args[0]) if args else OUT, args[1] if len(args) > 1 else "difference")
