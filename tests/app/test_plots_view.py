"""The Metrics view: runs scored on the worker, curves, heatmap, table, click to compare."""

from __future__ import annotations

import pytest

from app.main_window import MainWindow
from app.settings import Settings
from tests.core.metrics.make_runs import build_iterative_project


@pytest.fixture
def window(qtbot, worker, tmp_path, monkeypatch):
    monkeypatch.setenv("IRIS_WEIGHTS_DIR", str(tmp_path / "weights"))
    build_iterative_project(tmp_path / "p", runs=3, steps=20, size=32).close()
    settings = Settings()
    settings.device = "cpu"
    settings.weights_dir = str(tmp_path / "weights")
    win = MainWindow(settings, worker)
    qtbot.addWidget(win)
    win.show()
    assert win.open_project(tmp_path / "p")
    yield win
    win.close()


def test_scores_a_group_and_opens_a_clicked_step_beside_step_1(qtbot, window):
    view = window.show_view("plots")
    assert view.runs.item(0).text() == "group: jpeg-replicate" and view.runs.count() == 4
    view.metric_edit.setText("entropy,psnr")
    view.reference.setCurrentText("input")
    view.score()
    qtbot.waitUntil(lambda: view.job.is_finished, timeout=60_000)
    assert view.job.state == "done", view.job.error
    assert len(view.plot.curves) == 2 * 3  # two metrics x three runs
    view.band.setChecked(True)
    assert [c.run for c in view.plot.curves] == ["jpeg-replicate", "jpeg-replicate"]
    assert view.plot.curves[0].spread is not None
    assert view.heatmap.rows[0].startswith("entropy (") and view.heatmap.columns == ["input0.png"]
    assert view.table.proxy.rowCount() == 2 * 3 * 21
    view.open_step("jpeg-replicate", 7)
    compare = window.views["compare"]
    assert window.current_view() is compare
    assert [r.step_index for r in compare.records] == [1, 7]


def test_missing_weights_reach_the_status_line(qtbot, window):
    view = window.show_view("plots")
    view.metric_edit.setText("musiq")
    view.score()
    qtbot.waitUntil(lambda: view.job.is_finished, timeout=30_000)
    assert view.job.state == "failed" and "musiq_koniq_ckpt-e95806b9.pth" in view.status.text()


def test_download_setting_reaches_the_weights_config(tmp_path):
    settings = Settings()
    assert settings.allow_downloads is False
    settings.weights_dir = str(tmp_path / "w")
    settings.allow_downloads = True
    settings.sync()
    config = Settings().weights_config()
    assert config.allow_downloads and config.pyiqa_dir == tmp_path / "w" / "pyiqa"


def test_stored_scores_fill_the_table_without_computing(qtbot, window):
    from core.project import Project

    with Project.open(window.project.path) as project:
        image = project.images()[0]
        project.put_score(image.sha256, "niqe", "pyiqa-test", 4.5)
        project.put_score("f" * 64, "psnr", "pyiqa-test", 31.0, reference_sha256=image.sha256)
    view = window.show_view("plots")
    view.show_stored()
    qtbot.waitUntil(lambda: view.job.is_finished, timeout=30_000)
    assert view.job.state == "done", view.job.error
    rows = {tuple(row[:5]) for row in view.table.visible_rows()}
    assert (image.name, str(image.id), image.kind, "niqe", "4.5") in rows
    assert ("ffffffffffff", "", "", "psnr", "31") in rows
    assert "2 stored scores" in view.status.text()
