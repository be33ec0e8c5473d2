"""The Metrics view: runs scored on the worker, curves, heatmap, table, click to compare."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QFileDialog, QWidget

from app.main_window import MainWindow
from app.metrics_data import TABLE_COLUMNS
from app.settings import Settings
from tests.app.metrics_window import click_run, cpu_window
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


# -- readable at 1366x768, restore runs, empty states, export ------------------------------------


@pytest.fixture
def restore_window(qtbot, worker, tmp_path, monkeypatch):
    """The iterative project plus a restore run (gamma on the input): a run with no steps."""
    from core.methods.runner import restore_images

    monkeypatch.setenv("IRIS_WEIGHTS_DIR", str(tmp_path / "weights"))
    project = build_iterative_project(tmp_path / "p", runs=3, steps=20, size=32)
    source = project.images(kind="imported")[0].id
    project.close()
    restore_images(tmp_path / "p", [source], "gamma", device="cpu")
    yield from cpu_window(qtbot, worker, tmp_path / "p", tmp_path / "weights")


def press_score(qtbot, view) -> None:
    qtbot.mouseClick(view.score_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.job.is_finished, timeout=120_000)
    assert view.job.state == "done", view.job.error


def inside(widget, window) -> bool:
    """``widget`` is shown and its whole rectangle lies inside ``window``."""
    top_left = widget.mapTo(window, widget.rect().topLeft())
    rect = widget.rect().translated(top_left)
    return widget.isVisible() and window.rect().contains(rect)


def test_first_open_says_what_to_do_instead_of_blank_axes(qtbot, restore_window):
    view = restore_window.show_view("plots")
    qtbot.waitUntil(lambda: not view.reading.busy, timeout=30_000)
    assert view.plot.showing_message and not view.plot.plot.isVisible()
    assert "press Score" in view.plot.message.text()
    assert "Stored scores show here automatically" in view.plot.message.text()
    assert view.heatmap.showing_message and "iterative runs" in view.heatmap.message.text()


def test_at_1366x768_every_part_of_the_view_is_on_screen_and_usable(qtbot, restore_window):
    window = restore_window
    view = window.show_view("plots")
    view.metric_edit.setText("entropy")
    press_score(qtbot, view)
    qtbot.wait(50)
    assert window.width() == 1366 and window.height() == 768
    for part in (view.controls, view.plot, view.heatmap, view.table):
        assert inside(part, window), part
    controls = view.controls.findChildren(QWidget)
    for child in controls:
        if child.isVisible() and child.parent() is view.controls:
            assert view.controls.rect().contains(child.geometry()), child
    for button in (view.score_button, view.stored_button, view.export_plot, view.export_csv):
        assert inside(button, window) and button.width() >= button.minimumSizeHint().width()
    assert view.plot.plot.width() >= 380 and view.plot.plot.height() >= 200
    assert view.heatmap.width() >= 200 and view.table.width() >= 300
    assert not view.plot.legend.geometry().intersects(view.plot.pages.geometry())
    # the table uses its width: columns fit their content and the last one stretches
    header = view.table.view.horizontalHeader()
    assert header.stretchLastSection()
    assert header.length() >= view.table.view.viewport().width() - 2
    assert view.table.view.columnWidth(0) >= view.table.fontMetrics().horizontalAdvance("replicate")
    metric = TABLE_COLUMNS.index("value")
    x = view.table.view.columnViewportPosition(metric) + view.table.view.columnWidth(metric)
    assert x <= view.table.view.viewport().width()  # metric and value are in sight, no scrolling


def test_a_restore_run_is_drawn_per_input_image_and_has_no_black_heatmap(qtbot, restore_window):
    window = restore_window
    view = window.show_view("plots")
    view.metric_edit.setText("entropy")
    click_run(qtbot, view, lambda text: text.endswith("(restore)"))
    assert view.selected_runs() and view.selected_runs()[0].startswith("restore")
    press_score(qtbot, view)
    assert view.plot.categories == ["input0.png"]
    assert view.plot.plot.getAxis("bottom").labelText == "input image"
    assert view.plot.axis._tickLevels[0] == [(0.0, "input0.png")]
    assert "step" not in view.plot.describe(view.plot._points[0])
    assert view.heatmap.showing_message and view.heatmap.message.text().startswith("No gaps")
    rows = view.table.visible_rows()
    step, source = TABLE_COLUMNS.index("step"), TABLE_COLUMNS.index("input")
    assert rows and all(r[step] == "" and r[source] == "input0.png" for r in rows)
    # clicking the point opens the output beside its input
    x, y = view.plot._points[0][:2]
    vb = view.plot.plot.plotItem.vb
    pos = view.plot.plot.mapFromScene(vb.mapViewToScene(QPointF(x, y)))
    qtbot.mouseClick(view.plot.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: window.current_view() is window.views.get("compare"), timeout=5000)
    records = window.views["compare"].records
    restore = next(r for r in window.project.runs() if r.kind == "restore")
    assert records[0].name == "input0.png" and records[1].run_id == restore.id


def test_iterative_runs_plot_on_whole_steps(qtbot, restore_window):
    view = restore_window.show_view("plots")
    view.metric_edit.setText("entropy")
    click_run(qtbot, view, lambda text: text.startswith("group:"))
    press_score(qtbot, view)
    assert view.plot.categories is None and len(view.plot.curves) == 3
    levels = view.plot.axis.tickValues(*view.plot.plot.viewRange()[0], 600)
    assert all(v == int(v) for _s, vs in levels for v in vs)
    assert not view.heatmap.showing_message and view.heatmap.caption.isVisible()


def test_exports_suggest_a_name_and_offer_png_svg_and_pdf(
    qtbot, restore_window, tmp_path, monkeypatch
):
    view = restore_window.show_view("plots")
    view.metric_edit.setText("entropy")
    click_run(qtbot, view, lambda text: text.startswith("group:"))
    press_score(qtbot, view)
    asked = []

    def dialog(parent, title, suggested, filters, *args):
        asked.append((suggested, filters))
        return str(tmp_path / "figure"), "PDF document (*.pdf)"  # a name typed without suffix

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    qtbot.mouseClick(view.export_plot, Qt.MouseButton.LeftButton)
    suggested, filters = asked[-1]
    assert Path(suggested).name == "metrics-jpeg-replicate-entropy.png"
    assert all(f in filters for f in ("*.png", "*.svg", "*.pdf"))
    assert (tmp_path / "figure.pdf").read_bytes()[:5] == b"%PDF-"
    assert "Exported" in view.status.text()
    qtbot.mouseClick(view.export_map, Qt.MouseButton.LeftButton)
    assert Path(asked[-1][0]).name == "gaps-jpeg-replicate-entropy.png"
    qtbot.mouseClick(view.export_csv, Qt.MouseButton.LeftButton)
    assert Path(asked[-1][0]).name == "scores-jpeg-replicate-entropy.csv"
