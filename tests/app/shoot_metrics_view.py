"""Makes resources/screenshots/metrics-view.png: the Metrics view on an iterative run group.

Run: ``QT_QPA_PLATFORM=offscreen python -m tests.app.shoot_metrics_view [OUT.png]``
(with throwaway ``IRIS_DATA_DIR`` / ``IRIS_CONFIG_DIR``). It opens the sample
project, scores its run group (three 20-step generation-loss runs) on the
compute worker, and grabs the main window showing the group's normalized
curves with their spread band, the failure heatmap and the score table.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.app.screenshots import SCREENSHOTS, pump, sample_window, save_screenshot

OUT = SCREENSHOTS / "metrics-view.png"
METRICS = "niqe,brisque,piqe,entropy"


def main(out: Path = OUT) -> None:
    with sample_window(1500, 900) as (app, window):
        view = window.show_view("plots")
        view.metric_edit.setText(METRICS)
        for row in range(view.runs.count()):
            item = view.runs.item(row)
            item.setSelected(item.text().startswith("group:"))
        view.normalized.setChecked(True)
        view.band.setChecked(True)
        view.score()
        pump(app, 600, until=lambda: view.job.is_finished)
        if view.job.state != "done":
            raise SystemExit(f"scoring failed: {view.job.error}")
        pump(app, 1.0)
        save_screenshot(window, out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
