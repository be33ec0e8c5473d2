"""``iris --smoke-test``: prove an installation works, from source or frozen, offline.

It opens the main window (offscreen when there is no display), loads the
sample project, restores one degraded image with a classical method and
scores the result with an offline metric on the compute worker, shows the
result, saves a screenshot, and prints one JSON line per check. It exits 0
only if every check passed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

SMOKE_METHOD = "nlmeans"
SMOKE_METRICS = ("psnr", "niqe")
JOB_TIMEOUT_S = 300


def smoke_job(project_dir: str, *, progress, cancel) -> dict:
    """Restore the sample's noisy fabric and score it against its clean original."""
    from core.methods.runner import restore_images
    from core.metrics.scoring import score_project
    from core.project import Project

    with Project.open(project_dir) as project:
        noisy = next(i for i in project.images(kind="degraded") if i.parent_id is not None)
    (result,) = restore_images(
        project_dir, [noisy.id], SMOKE_METHOD, progress=progress, cancel=cancel
    )
    if result.status != "ok":
        raise RuntimeError(f"{SMOKE_METHOD} failed: {result.error}")
    report = score_project(
        project_dir, list(SMOKE_METRICS), image_ids=[result.output_image_id], reference="input"
    )
    scores = {row.metric: row.value for row in report.rows}
    return {"input": noisy.id, "output": result.output_image_id, "scores": scores}


class SmokeTest:
    """Runs the checks in order inside the Qt event loop and records each outcome."""

    def __init__(self, screenshot: Path) -> None:
        self.screenshot = screenshot
        self.checks: list[dict] = []

    def record(self, name: str, ok: bool, **details) -> bool:
        entry = {"check": name, "ok": bool(ok), **details}
        self.checks.append(entry)
        print(json.dumps(entry), flush=True)
        return ok

    def run(self) -> int:
        from app.gui import application, prepare_qt_environment

        started = time.perf_counter()
        prepare_qt_environment(headless_ok=True)
        app = application()
        from PySide6.QtCore import QEventLoop, QTimer

        from app.main_window import MainWindow
        from app.session import ProjectChange
        from app.settings import Settings
        from app.worker import ComputeWorker

        worker = ComputeWorker()
        settings = Settings()
        window = MainWindow(settings, worker)
        try:
            window.show()
            app.processEvents()
            self.record(
                "window", window.isVisible(), seconds=round(time.perf_counter() - started, 2)
            )
            if not self.record(
                "sample-project", window.open_sample_project(), error=window.last_error
            ):
                return 1
            worker.set_device(settings.device)  # runs first: jobs run in order
            handle = worker.submit(smoke_job, str(window.project.path), name="Smoke test")
            loop = QEventLoop()
            handle.finished.connect(loop.quit)
            QTimer.singleShot(JOB_TIMEOUT_S * 1000, loop.quit)
            loop.exec()
            result = handle.result or {}
            ok = handle.state == "done" and all(
                v is not None for v in result.get("scores", {}).values()
            )
            self.record(
                "restore-and-score",
                ok,
                state=handle.state,
                device=worker.device_name,
                method=SMOKE_METHOD,
                scores=result.get("scores"),
                error=handle.error,
            )
            if ok:
                window.session.notify(ProjectChange.ALL)
                view = window.show_view("images")
                view.show_images([window.project.image(result["output"])])
                deadline = time.monotonic() + 30
                while window.is_busy() and time.monotonic() < deadline:
                    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            self.screenshot.parent.mkdir(parents=True, exist_ok=True)
            saved = window.grab().save(str(self.screenshot))
            self.record("screenshot", saved, path=str(self.screenshot))
        finally:
            worker.shutdown()
            window.close()
        passed = all(check["ok"] for check in self.checks)
        print(
            f"smoke test: {'passed' if passed else 'FAILED'} in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        return 0 if passed else 1


def run_smoke_test(screenshot: str | None = None) -> int:
    from core.paths import user_data_dir

    return SmokeTest(Path(screenshot) if screenshot else user_data_dir() / "smoke-test.png").run()
