"""Screenshots of the Metrics view at 1366x768 (the common laptop), to look at.

Run: ``QT_QPA_PLATFORM=offscreen python -m tests.app.shoot_metrics_1366 [OUT_DIR]``
(with throwaway ``IRIS_DATA_DIR`` / ``IRIS_CONFIG_DIR``). Before the window
opens, the sample project gets a restore run (a classical denoiser on three
images) and the scores of both are stored. Then, inside the real main window
resized to 1366x768: ``metrics-1366.png`` has the run group selected and the
Score button pressed (curves, heatmap, table); ``metrics-restore.png`` has the
restore run selected, drawn per input image; ``metrics-first-open.png`` is the
view as first opened on a project with no scores.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt

from tests.app.screenshots import pump, sample_window

METRICS = "entropy,psnr"
REFERENCE = "input"


def add_restore_run(project_dir: Path) -> None:
    """A restore run (a classical method on three images) unless the sample has one already."""
    from core.methods.runner import restore_images
    from core.project import Project

    with Project.open(project_dir) as project:
        if any(r.kind == "restore" for r in project.runs()):
            return
        inputs = [i.id for i in project.images(kind="degraded")][:3]
    restore_images(project_dir, inputs, "gamma", device="cpu")


def score(app, view) -> None:
    """Press Score with the mouse and wait for the job."""
    from PySide6.QtTest import QTest

    QTest.mouseClick(view.score_button, Qt.MouseButton.LeftButton)
    pump(app, 600, until=lambda: view.job.is_finished)
    if view.job.state != "done":
        raise SystemExit(f"scoring ended {view.job.state}: {view.job.error}")
    pump(app, 1.0)


def select(view, wanted) -> None:
    """Click the first list row whose text satisfies ``wanted`` (a real mouse click)."""
    from PySide6.QtTest import QTest

    for row in range(view.runs.count()):
        item = view.runs.item(row)
        if wanted(item.text()):
            view.runs.scrollToItem(item)
            rect = view.runs.visualItemRect(item)
            QTest.mouseClick(view.runs.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise SystemExit("no such run in the list")


def main(out_dir: Path = Path("/tmp")) -> None:
    with sample_window(1366, 768, prepare=add_restore_run) as (app, window):
        view = window.show_view("plots")
        pump(app, 3.0, until=lambda: not view.reading.busy)
        pump(app, 0.5)
        window.grab().save(str(out_dir / "metrics-first-open.png"))
        view.metric_edit.setText(METRICS)
        view.reference.setCurrentText(REFERENCE)
        select(view, lambda text: text.startswith("group:"))
        score(app, view)
        window.grab().save(str(out_dir / "metrics-1366.png"))
        select(view, lambda text: text.endswith("(restore)"))
        score(app, view)
        window.grab().save(str(out_dir / "metrics-restore.png"))
        print(out_dir / "metrics-1366.png", out_dir / "metrics-restore.png")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp"))
