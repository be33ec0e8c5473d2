"""Makes resources/screenshots/runs-view.png: the Runs view while a run grows on the sample.

Run: ``QT_QPA_PLATFORM=offscreen python -m tests.app.shoot_runs_view [OUT.png]``
(with throwaway ``IRIS_DATA_DIR`` / ``IRIS_CONFIG_DIR``). It builds the sample
project (with its generation-loss run group), starts a slow 30-step mirror run
on the fabric image and grabs the window when the filmstrip shows 14 steps.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "resources" / "screenshots" / "runs-view.png"


def main(out: Path = OUT) -> None:
    from app.gui import application, prepare_qt_environment

    prepare_qt_environment(headless_ok=True)
    app = application()
    from app.main_window import MainWindow
    from app.settings import Settings
    from app.worker import ComputeWorker
    from core.sample_project import ensure_sample_project

    path = ensure_sample_project()
    worker = ComputeWorker()
    window = MainWindow(Settings(), worker)
    window.resize(1500, 900)
    window.show()
    window.open_project(path)
    view = window.show_view("runs")
    for i in range(view.settings_form.image_combo.count()):
        if view.settings_form.image_combo.itemText(i).startswith("fabric "):
            view.settings_form.image_combo.setCurrentIndex(i)
    view.settings_form.editor.setCurrentIndex(view.settings_form.editor.findData("generation-loss"))
    view.settings_form.form.set_value("quality", 40)
    view.settings_form.form.set_value("colour_drift", 0.03)
    view.settings_form.form.set_value("delay_s", 0.25)
    view.settings_form.schedule.setCurrentText("mirror")
    view.settings_form.steps.setValue(30)
    view.settings_form.runs.setValue(2)
    view.settings_form.seed_policy.setCurrentText("per-step")
    view.settings_form.seed.setValue(7)
    view.settings_form.group.setText("fabric-mirror")
    handle = view.start()
    deadline = time.monotonic() + 60
    while view.filmstrip.count() < 15 and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)
    view.follow = False  # freeze the strip on the frame we shoot
    view.filmstrip.select_step(13)
    for _ in range(30):
        app.processEvents()
        time.sleep(0.02)
    from PIL import Image

    from widgets.qimage import qimage_to_rgb

    rgb = qimage_to_rgb(window.grab().toImage())
    handle.cancel()
    while not handle.is_finished:
        app.processEvents()
        time.sleep(0.02)
    out.parent.mkdir(parents=True, exist_ok=True)
    quantized = Image.fromarray(rgb).quantize(
        colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    quantized.save(out, optimize=True)
    print(out, out.stat().st_size)
    worker.shutdown()
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
