"""Makes resources/screenshots/annotate-view.png: the review queue on the sample project.

Run: ``QT_QPA_PLATFORM=offscreen python -m tests.app.shoot_annotate_view [OUT.png]``
(with throwaway ``IRIS_DATA_DIR`` / ``IRIS_CONFIG_DIR``). It builds the sample
project, flags a few regions as two annotators, and grabs the main window.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from core.annotations import add, mark_reviewed
from core.annotations.rle import encode
from core.project import Project
from tests.app.screenshots import SCREENSHOTS, pump, sample_window, save_screenshot

OUT = SCREENSHOTS / "annotate-view.png"


def annotate_sample(path: Path) -> None:
    with Project.open(path) as project:
        images = {image.name: image for image in project.images()}
        noisy = images["fabric (gaussian noise)"]
        add(project, noisy, label="amplified_texture", annotator="alice", region_kind="rect",
            region={"x": 40, "y": 60, "w": 180, "h": 140}, severity=2,
            note="grain turned into weave", compared_with={"kind": "input"})  # fmt: skip
        add(project, noisy, label="shape_distortion", annotator="alice", region_kind="polygon",
            region={"points": [[300, 250], [470, 290], [430, 460], [280, 420]]}, severity=3,
            compared_with={"kind": "input"})  # fmt: skip
        yy, xx = np.mgrid[:512, :512]
        mask = ((xx - 140) ** 2 / 70**2 + (yy - 380) ** 2 / 45**2) <= 1
        add(project, noisy, label="colour_shift", annotator="alice", region_kind="mask",
            region=encode(mask), compared_with={"kind": "input"})  # fmt: skip
        add(project, noisy, label="dense_hair", annotator="bob", region_kind="rect",
            region={"x": 250, "y": 30, "w": 200, "h": 120}, compared_with={"kind": "input"})  # fmt: skip
        add(project, images["text (gaussian blur)"], label="semantic_drift", annotator="bob")
        add(project, images["gradient (JPEG q10)"], label="colour_shift", annotator="alice")
        for image in images.values():
            mark_reviewed(project, image.id, "bob")
        mark_reviewed(project, noisy.id, "alice")


def main(out: Path = OUT) -> None:
    from PySide6.QtCore import QPointF

    with sample_window(1400, 740, prepare=annotate_sample) as (app, window):
        view = window.show_view("annotate")
        view.annotator_edit.setText("alice")
        view.count_by.setCurrentIndex(2)  # per annotator
        pump(app, 0.3)
        pump(app, 20, until=lambda: not window.is_busy())
        noisy = next(i for i in window.project.images() if i.name == "fabric (gaussian noise)")
        window.browser.select_image(noisy.id)
        app.processEvents()
        view.annotations_list.setCurrentRow(0)
        view.set_tool("polygon")  # a polygon being drawn: three points placed
        pump(app, 20, until=lambda: not view.loading and view.canvas.has_image())
        for x, y in ((60, 300), (110, 260), (170, 300)):
            view.canvas._points.append(QPointF(x, y))
        view.canvas._hover = QPointF(150, 330)
        view.canvas.update()
        view.status_label.setText("polygon: 3 points, Enter closes it, 1-9 labels it")
        pump(app, 0.4)
        save_screenshot(view, out)  # the review queue itself, not the browser beside it


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
