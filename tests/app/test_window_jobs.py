"""The window's seams as a user meets them: the status bar's Cancel stops the job it shows and
no other, the browser keeps the selection when the project changes, and the Metrics view
shows new runs and stored scores without a restart."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.main_window import MainWindow
from app.session import ProjectChange
from app.settings import Settings
from core.imageio import encode_png
from tests.app.test_job_owner import slow_job
from tests.core.metrics.make_runs import build_iterative_project


@pytest.fixture
def window(qtbot, worker, tmp_path):
    build_iterative_project(tmp_path / "p", runs=2, steps=4, size=24).close()
    settings = Settings()
    settings.device = "cpu"
    win = MainWindow(settings, worker)
    qtbot.addWidget(win)
    win.show()
    assert win.open_project(tmp_path / "p")
    yield win
    win.close()


def test_status_bar_cancel_stops_the_job_it_shows_only(qtbot, window):
    owner_a, owner_b = window.job_owner("a"), window.job_owner("b")
    shown = owner_a.start(slow_job, 1, name="Shown job", seconds=5.0)
    qtbot.waitUntil(lambda: window.job_label.text().startswith("Shown job"), timeout=5000)
    queued = owner_b.start(slow_job, 2, name="Queued job")
    qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(queued.finished, timeout=15_000):
        pass
    assert shown.state == "cancelled" and queued.state == "done"


def test_browser_keeps_the_selection_when_the_project_changes(qtbot, window):
    images = window.project.images()
    window.browser.select_images([images[1].id, images[2].id])
    assert [r.id for r in window._selection] == [images[1].id, images[2].id]
    window.project.add_image_bytes(
        encode_png(np.full((8, 8, 3), 0.3, np.float32)), name="new", kind="imported"
    )
    window.session.notify(ProjectChange.IMAGES)
    qtbot.waitUntil(lambda: window.browser.grid.count() == len(images) + 1, timeout=5000)
    assert [r.id for r in window._selection] == [images[1].id, images[2].id]
    assert sorted(window.browser.grid.selected_keys()) == sorted([images[1].id, images[2].id])


def test_metrics_view_shows_a_new_run_and_stored_scores_without_a_restart(qtbot, window):
    from core.iterate.runner import IterateSpec, iterate

    view = window.show_view("plots")
    before = view.runs.count()
    image = window.project.images(kind="imported")[0]
    owner = window.job_owner("test-iterate")
    handle = owner.start(
        iterate, window.project.path, image.id, IterateSpec("generation-loss", 2),
        group="late", name="Iterate", changes=ProjectChange.RUNS | ProjectChange.IMAGES,
    )  # fmt: skip
    with qtbot.waitSignal(handle.finished, timeout=30_000):
        pass
    qtbot.waitUntil(lambda: view.runs.count() > before, timeout=5000)
    names = [view.runs.item(i).data(Qt.ItemDataRole.UserRole) for i in range(view.runs.count())]
    assert "late" in names and "late-r1" in names
    # a score stored by another job (an import, the CLI) shows as soon as it is announced
    from core.metrics.engine import metric_version

    step = window.project.images(kind="step")[0]
    window.project.put_score(step.sha256, "entropy", metric_version("entropy"), 7.25)
    view.metric_edit.setText("entropy")
    for i in range(view.runs.count()):
        item = view.runs.item(i)
        item.setSelected(item.data(Qt.ItemDataRole.UserRole) == step_run(window, step))
    window.session.notify(ProjectChange.SCORES)
    qtbot.waitUntil(lambda: bool(view.series), timeout=10_000)
    values = [v for s in view.series for v in s.values.get("entropy", []) if v is not None]
    assert values == [7.25]


def step_run(window, step) -> str:
    return next(r.name for r in window.project.runs() if r.id == step.run_id)
