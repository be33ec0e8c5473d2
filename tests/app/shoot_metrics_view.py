"""Makes resources/screenshots/metrics-view.png: the Metrics view on an iterative run group.

Run: ``QT_QPA_PLATFORM=offscreen python -m tests.app.shoot_metrics_view [OUT.png]``
(with throwaway ``IRIS_DATA_DIR`` / ``IRIS_CONFIG_DIR``). It opens the sample
project, scores its run group (three 20-step generation-loss runs) on the
compute worker, and grabs the main window showing the group's normalized
curves with their spread band, the failure heatmap and the score table.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parents[2] / "resources" / "screenshots" / "metrics-view.png"
METRICS = "niqe,brisque,piqe,entropy"


def main(out: Path = OUT) -> None:
    from app.gui import application, prepare_qt_environment

    prepare_qt_environment(headless_ok=True)
    app = application()
    from PySide6.QtCore import QEventLoop

    from app.main_window import MainWindow
    from app.settings import Settings
    from app.worker import ComputeWorker
    from core.sample_project import ensure_sample_project

    folder = ensure_sample_project()
    worker = ComputeWorker()
    window = MainWindow(Settings(), worker)
    window.resize(1500, 900)
    try:
        window.show()
        window.open_project(folder)
        view = window.show_view("plots")
        view.metric_edit.setText(METRICS)
        for row in range(view.runs.count()):
            item = view.runs.item(row)
            item.setSelected(item.text().startswith("group:"))
        view.normalized.setChecked(True)
        view.band.setChecked(True)
        view.score()
        deadline = time.monotonic() + 600
        while not view.job.is_finished and time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if view.job.state != "done":
            raise SystemExit(f"scoring failed: {view.job.error}")
        for _ in range(20):
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        out.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(out))
        print(out)
    finally:
        worker.shutdown()
        window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
