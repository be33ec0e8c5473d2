"""Screenshots of the Depth view's evaluation and segmentation modes on the sample, 1366x768.

``xvfb-run -s "-screen 0 1920x1080x24" python -m tests.app.shoot_depth_modes [FOLDER]``
(under Xvfb the 3D panel draws the cloud; offscreen it says it has no OpenGL) writes ``depth-evaluation.png`` (the sample's depth map scored against its
shipped truth, with the error map) and ``depth-segmentation.png`` (the painted label map
decoded with its classes, overlaid on the photo), by default into resources/screenshots.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from tests.app.screenshots import SCREENSHOTS


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv)
    from app.depth_view import DepthView
    from app.views import ViewContext
    from app.worker import ComputeWorker
    from core.project import Project
    from core.sample_project import build_sample_project

    def pump(done, seconds: float = 240) -> None:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents()
            if done():
                return
            time.sleep(0.02)
        raise SystemExit("the Depth view did not finish in time")

    def settle(seconds: float = 0.5) -> None:
        end = time.time() + seconds
        while time.time() < end:
            app.processEvents()
            time.sleep(0.02)

    worker = ComputeWorker()
    path = build_sample_project(Path(tempfile.mkdtemp()) / "sample", scores=False)
    project = Project.open(path)
    view = DepthView(ViewContext(worker=worker, settings=None, show_status=print))
    view.resize(1366, 768)
    view.show()
    view.set_project(project)
    pump(lambda: view.scene is not None and not view.loading)
    panel = view.evaluation_panel
    panel.evaluate.click()
    pump(lambda: panel.result is not None)
    settle()
    view.grab().save(str(out / "depth-evaluation.png"))
    segmentation = next(i for i in project.images() if i.name == "scene_segmentation")
    view.show_images([segmentation])
    pump(lambda: view.seg_scene is not None and not view.loading)
    view._on_hover(100, 200)  # the class readout a user sees with the pointer there
    settle()
    view.grab().save(str(out / "depth-segmentation.png"))
    project.close()
    worker.shutdown(10_000)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else SCREENSHOTS)
