"""The Tables view's Stability (Friedman) and Correlation modes, driven like a user.

A tiny project: 5 inputs restored with ``repeat=3`` by a classical method whose
repeats differ (two prompts), every output rated by two raters. The values the
view shows equal ``friedman_table`` / ``correlate`` run on the same project.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.main_window import MainWindow
from app.settings import Settings
from core.methods.runner import restore_images
from core.project import Project
from core.studies.correlate import correlate
from core.studies.stability import friedman_table
from core.studies.stat_formats import render_correlation, render_stability
from tests.core.studies.conftest import VARYING, make_inputs

PROMPTS = ("S1", "LF1")


def _open(qtbot, worker, path):
    settings = Settings()
    settings.device = "cpu"
    win = MainWindow(settings, worker)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_project(path)
    return win


@pytest.fixture
def window(qtbot, worker, tmp_path, monkeypatch):
    monkeypatch.setenv("IRIS_WEIGHTS_DIR", str(tmp_path / "weights"))
    path, ids = make_inputs(tmp_path, count=5)
    for prompt in PROMPTS:
        params = {**VARYING, "prompt": prompt}
        restore_images(path, ids, "generation-loss", params, repeat=3, run_name=f"{prompt} x3")
    with Project.open(path) as project:
        outputs = [i.id for i in project.images(kind="restored")]
        ratings = [(i, "ann", n % 6) for n, i in enumerate(outputs)]
        ratings += [(i, "bo", (n * 7) % 6) for n, i in enumerate(outputs)]
        project.put_ratings(ratings)
    win = _open(qtbot, worker, path)
    win.project_path = path
    yield win
    win.close()


def choose(qtbot, combo, text: str) -> None:
    """Open ``combo`` with a click and pick ``text`` with the keyboard, as a user does."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    popup = combo.view()
    qtbot.waitUntil(popup.isVisible)
    target = combo.findText(text)
    assert target >= 0, text
    for _ in range(combo.count()):
        if popup.currentIndex().row() == target:
            break
        step = Qt.Key.Key_Down if popup.currentIndex().row() < target else Qt.Key.Key_Up
        qtbot.keyClick(popup, step)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert combo.currentText() == text


def type_into(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


def wait_done(qtbot, panel) -> None:
    qtbot.waitUntil(lambda: panel.job is not None and panel.job.is_finished, timeout=60_000)
    assert panel.job.state == "done", panel.job.error


def exported(monkeypatch, tmp_path, qtbot, button, suffix: str) -> str:
    def dialog(parent, title, suggested, filters, *args):
        dialog.suggested = suggested
        return str(tmp_path / "export"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return Path(dialog.suggested).name, (tmp_path / f"export{suffix}").read_text()


def test_stability_mode_shows_table3_equal_to_friedman_table(qtbot, window, tmp_path, monkeypatch):
    view = window.show_view("tables")
    qtbot.mouseClick(view.mode_buttons["stability"], Qt.MouseButton.LeftButton)
    panel = view.stability
    assert view.modes.currentWidget() is panel and panel.stack.currentWidget() is panel.message
    assert "Repeat 3" in panel.message.text()
    choose(qtbot, panel.group_by, "prompt")
    type_into(qtbot, panel.metric_edit, "entropy, psnr")
    choose(qtbot, panel.reference, "input")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert panel.bar.isVisible()  # progress and Cancel while the worker tests
    wait_done(qtbot, panel)
    assert not panel.bar.isVisible()
    table = panel.table
    assert panel.stack.currentWidget() is table
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Prompt", "Type", "entropy", "psnr"]
    expected = friedman_table(
        window.project_path, "prompt", ["entropy", "psnr"], "input", compute=False
    )
    assert [r.group for r in expected] == ["LF1", "LF1", "S1", "S1"]
    assert all(r.p_value is not None and (r.blocks, r.treatments) == (5, 3) for r in expected)
    for g, group in enumerate(("LF1", "S1")):
        assert table.item(2 * g, 0).text() == group and table.item(2 * g + 1, 1).text() == "p-val"
        for m, metric in enumerate(("entropy", "psnr")):
            row = next(r for r in expected if (r.group, r.metric) == (group, metric))
            stat, p = table.item(2 * g, 2 + m), table.item(2 * g + 1, 2 + m)
            assert table.value_at(2 * g, 2 + m) == row.statistic
            assert table.value_at(2 * g + 1, 2 + m) == row.p_value
            assert stat.text() == f"{row.statistic:.3f}" and p.text() == f"{row.p_value:.3f}"
            assert p.font().bold() == bool(row.significant)
            assert ((2 * g + 1, 2 + m) in table.significant_cells) == bool(row.significant)
    tests = len(expected)
    significant = sum(1 for r in expected if r.significant)
    assert panel.status.text() == f"{tests} tests, {significant} significant at p < 0.05."
    assert f"{significant} of {tests} tests significant" in panel.notes.text()

    name, text = exported(monkeypatch, tmp_path, qtbot, panel.export_buttons["md"], ".md")
    assert name == "friedman-prompt-entropy-psnr.md"
    assert text == render_stability(expected, "prompt", ["entropy", "psnr"], "md")
    _, text = exported(monkeypatch, tmp_path, qtbot, panel.export_buttons["latex"], ".tex")
    assert text.startswith("\\begin{tabular}{llrr}")
    _, text = exported(monkeypatch, tmp_path, qtbot, panel.export_buttons["csv"], ".csv")
    assert text.startswith("prompt,metric,statistic,p_value")

    # one run per group has one repeat: the table says so and the status says what to do
    choose(qtbot, panel.group_by, "run")
    type_into(qtbot, panel.runs_edit, "S1 x3")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, panel)
    assert table.rowCount() == 2 and table.item(0, 0).text() == "S1 x3"


def test_correlation_mode_shows_table8_and_the_pairs(qtbot, window, tmp_path, monkeypatch):
    view = window.show_view("tables")
    qtbot.mouseClick(view.mode_buttons["correlation"], Qt.MouseButton.LeftButton)
    panel = view.correlation
    assert view.mode() == "correlation" and "rating mode" in panel.message.text()
    type_into(qtbot, panel.metric.lineEdit(), "entropy")
    assert panel.human.isChecked()
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, panel)
    expected = correlate(window.project_path, "entropy", human=True, compute=False)
    chart = panel.chart
    assert panel.stack.currentWidget() is chart and expected.n == 30
    titles = [chart.table.item(r, 0).text() for r in range(3)]
    assert titles == ["Kendall's tau-b", "SRCC", "PLCC"]
    for r, c in enumerate(expected.coefficients):
        assert chart.table.item(r, 1).text() == f"{c.value:.4f}"
        assert chart.table.item(r, 2).text() == f"{c.p_value:.3g}"
    assert chart.points() == list(zip(expected.x, expected.y, strict=True))
    assert chart.plot.getAxis("bottom").labelText == "entropy"
    name, text = exported(monkeypatch, tmp_path, qtbot, panel.export_buttons["md"], ".md")
    assert name == "correlation-entropy-human-image.md"
    assert text == render_correlation(expected, "md")

    # by method: one method made every output, one pair is too few, and the view says so
    choose(qtbot, panel.by, "method")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.job.is_finished, timeout=30_000)
    assert panel.stack.currentWidget() is panel.message
    assert "Too few pairs" in panel.message.text() and "got 1" in panel.message.text()
    assert not panel.export_buttons["md"].isEnabled()

    # a second metric per image: the pairs are (entropy, psnr against the input)
    choose(qtbot, panel.by, "rating")
    qtbot.mouseClick(panel.second, Qt.MouseButton.LeftButton)
    assert panel.by.currentText() == "image"  # per rating needs the human ratings
    assert panel.metric2.isEnabled()
    type_into(qtbot, panel.metric2.lineEdit(), "psnr")
    choose(qtbot, panel.reference, "input")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, panel)
    second = correlate(window.project_path, "entropy", "input", metric2="psnr", compute=False)
    assert chart.points() == list(zip(second.x, second.y, strict=True))
    assert chart.table.item(2, 1).text() == f"{second.coefficients[2].value:.4f}"
    assert chart.plot.getAxis("left").labelText == "psnr" and not chart.labels
    _, text = exported(monkeypatch, tmp_path, qtbot, panel.export_buttons["csv"], ".csv")
    assert text.splitlines()[3].startswith("entropy,psnr,image,30,plcc,")


def test_empty_projects_say_what_to_do_and_cancel_stops(qtbot, worker, tmp_path, monkeypatch):
    monkeypatch.setenv("IRIS_WEIGHTS_DIR", str(tmp_path / "weights"))
    path, _ids = make_inputs(tmp_path, count=3, size=32)
    win = _open(qtbot, worker, path)
    view = win.show_view("tables")
    qtbot.mouseClick(view.mode_buttons["stability"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.stability.run_button, Qt.MouseButton.LeftButton)
    panel = view.stability
    qtbot.waitUntil(lambda: panel.job.is_finished, timeout=30_000)
    assert panel.stack.currentWidget() is panel.message
    assert "No restore outputs" in panel.message.text() and "Repeat 3" in panel.message.text()
    assert not panel.export_buttons["csv"].isEnabled()

    qtbot.mouseClick(view.mode_buttons["correlation"], Qt.MouseButton.LeftButton)
    corr = view.correlation
    type_into(qtbot, corr.metric.lineEdit(), "entropy")
    qtbot.mouseClick(corr.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: corr.job.is_finished, timeout=30_000)
    assert "No human ratings" in corr.message.text() and "rating mode" in corr.message.text()

    # a slow run is cancelled from its bar: nothing is shown from it
    restore_images(path, _ids, "generation-loss", VARYING, repeat=3)
    qtbot.mouseClick(view.mode_buttons["stability"], Qt.MouseButton.LeftButton)
    type_into(qtbot, panel.metric_edit, "entropy,piqe,gmsd")
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    assert panel.bar.isVisible()
    qtbot.mouseClick(panel.bar.cancel_button, Qt.MouseButton.LeftButton)
    assert not panel.bar.isVisible() and panel.status.text() == "Cancelled."
    qtbot.waitUntil(lambda: panel.job.is_finished, timeout=30_000)
    qtbot.wait(50)
    assert panel.rows is None and panel.stack.currentWidget() is panel.message
    win.close()
