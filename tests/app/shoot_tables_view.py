"""Screenshot of the Tables view at 1366x768 on the sample project (seed 000's Table 4 layout).

``IRIS_DATA_DIR=$(mktemp -d) IRIS_CONFIG_DIR=$(mktemp -d) python -m tests.app.shoot_tables_view
[OUT.png]``: on the sample (its inputs are tagged with their scene and degradation), builds the table
per scene and method (restored images, PSNR/SSIM against the clean image, NIQE, BRISQUE)
and saves the window (default ``resources/screenshots/tables-view.png``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from tests.app.screenshots import SCREENSHOTS, pump, sample_window, save_screenshot


def main(out: Path) -> None:
    with sample_window(1366, 768) as (app, window):  # the sample carries its tags
        idle = lambda: not window.is_busy() and not window.worker.active_jobs()  # noqa: E731
        pump(app, 20, until=idle)
        view = window.show_view("tables")
        pump(app, 20, until=idle)
        for row in range(view.rows.count()):
            item = view.rows.item(row)
            item.setSelected(item.text() in ("scene", "method"))
        view.metric_edit.setText("psnr,ssim,niqe,brisque")
        view.where_edit.setText("kind=restored")
        view.stat_boxes["n"].setChecked(True)
        view.build()
        pump(app, 20, until=lambda: view.job.is_finished)
        pump(app, 1.0)
        save_screenshot(window, out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SCREENSHOTS / "tables-view.png")
