"""Screenshots of the Tables view's three modes at 1366x768 on a small generated study.

``IRIS_DATA_DIR=$(mktemp -d) IRIS_CONFIG_DIR=$(mktemp -d) python -m tests.app.shoot_tables_stats
[OUT_DIR]``: 6 synthetic inputs restored with ``repeat=3`` by generation-loss (its repeats
differ, no model needed) for prompts S1 and LF1, plus one unsharp and one gamma run; every
output gets two *generated* ratings (a rule on the output's entropy plus noise, seeded: a
stand-in for a user study, not people). Saves ``tables-pivot.png``, ``tables-stability.png``
and ``tables-correlation.png`` (default folder ``resources/screenshots``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from tests.app.screenshots import SCREENSHOTS, pump, save_screenshot

PROMPTS = ("S1", "LF1")


def build_project(folder: Path) -> Path:
    import numpy as np

    from core.imageio import save_png
    from core.methods.runner import restore_images
    from core.metrics.scoring import score_project
    from core.project import Project
    from core.project.importer import import_paths
    from tests.core.methods.synthetic import scene

    inputs = folder / "inputs"
    inputs.mkdir(parents=True)
    for i in range(6):
        save_png(inputs / f"img{i}.png", scene(64, seed=i))
    path = folder / "study"
    Project.create(path).close()
    ids = list(import_paths(path, sorted(inputs.iterdir())).imported)
    varying = {"quality": 30, "colour_drift": 0.1, "resize_jitter": 0.4, "seed": -1}
    for prompt in PROMPTS:
        params = {**varying, "prompt": prompt}
        restore_images(path, ids, "generation-loss", params, repeat=3, run_name=f"{prompt} x3")
    restore_images(path, ids, "unsharp", {"amount": 2.0})
    restore_images(path, ids, "gamma", {})
    with Project.open(path) as project:
        outputs = [i.id for i in project.images(kind="restored")]
    report = score_project(path, ["entropy"], image_ids=outputs, device="cpu")
    rng = np.random.default_rng(0)
    rows = []
    for image_id in outputs:
        base = (report.value(image_id, "entropy") or 6.0) - 4.0
        for rater in ("ann", "bo"):
            rows.append((image_id, rater, int(np.clip(round(base + rng.normal(0, 0.8)), 0, 5))))
    with Project.open(path) as project:
        project.put_ratings(rows)
    return path


def main(out_dir: Path) -> None:
    from app.gui import application, prepare_qt_environment

    prepare_qt_environment(headless_ok=True)
    app = application()
    from app.main_window import MainWindow
    from app.settings import Settings
    from app.worker import ComputeWorker

    path = build_project(Path(tempfile.mkdtemp()))
    worker = ComputeWorker()
    settings = Settings()
    settings.device = "cpu"
    window = MainWindow(settings, worker)
    window.resize(1366, 768)
    try:
        window.show()
        window.open_project(path)
        idle = lambda: not window.is_busy() and not worker.active_jobs()  # noqa: E731
        pump(app, 20, until=idle)
        view = window.show_view("tables")
        for row in range(view.rows.count()):
            item = view.rows.item(row)
            item.setSelected(item.text() in ("method", "prompt"))
        view.metric_edit.setText("entropy")
        view.where_edit.setText("kind=restored")
        view.stat_boxes["sd"].setChecked(True)
        view.stat_boxes["n"].setChecked(True)
        view.build()
        pump(app, 30, until=lambda: view.job.is_finished)
        pump(app, 0.5)
        save_screenshot(window, out_dir / "tables-pivot.png")

        view.set_mode("stability")
        panel = view.stability
        panel.metric_edit.setText("entropy,psnr,ssim")
        panel.reference.setCurrentText("input")
        panel.runs_edit.setText(",".join(f"{p} x3" for p in PROMPTS))
        panel.run()
        pump(app, 120, until=lambda: panel.job.is_finished)
        pump(app, 0.5)
        save_screenshot(window, out_dir / "tables-stability.png")

        view.set_mode("correlation")
        corr = view.correlation
        corr.metric.setCurrentText("entropy")
        corr.by.setCurrentText("image")
        corr.run()
        pump(app, 60, until=lambda: corr.job.is_finished)
        pump(app, 0.5)
        save_screenshot(window, out_dir / "tables-correlation.png")
    finally:
        worker.shutdown()
        window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SCREENSHOTS)
