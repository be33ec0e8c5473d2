"""Makes resources/screenshots/runs-view.png: the Runs view while a run grows on the sample.

Run: ``QT_QPA_PLATFORM=offscreen python -m tests.app.shoot_runs_view [OUT.png]``
(with throwaway ``IRIS_DATA_DIR`` / ``IRIS_CONFIG_DIR``). It builds the sample
project (with its generation-loss run group), starts a slow 30-step mirror run
on the fabric image and grabs the window when the filmstrip shows 14 steps.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.app.screenshots import SCREENSHOTS, pump, sample_window, save_screenshot

OUT = SCREENSHOTS / "runs-view.png"


def main(out: Path = OUT) -> None:
    with sample_window(1500, 900) as (app, window):
        view = window.show_view("runs")
        form = view.settings_form
        for i in range(form.image_combo.count()):
            if form.image_combo.itemText(i).startswith("fabric "):
                form.image_combo.setCurrentIndex(i)
        form.editor.setCurrentIndex(form.editor.findData("generation-loss"))
        form.form.set_value("quality", 40)
        form.form.set_value("colour_drift", 0.03)
        form.form.set_value("delay_s", 0.25)
        form.schedule.setCurrentText("mirror")
        form.steps.setValue(30)
        form.runs.setValue(2)
        form.seed_policy.setCurrentText("per-step")
        form.seed.setValue(7)
        form.group.setText("fabric-mirror")
        handle = view.start()
        pump(app, 60, until=lambda: view.filmstrip.count() >= 15)
        view.follow = False  # freeze the strip on the frame we shoot
        view.filmstrip.select_step(13)
        pump(app, 0.6)
        save_screenshot(window, out)
        handle.cancel()
        pump(app, 30, until=lambda: handle.is_finished)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
