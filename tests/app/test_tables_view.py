"""The Tables view, driven like a user: choose rows, see the table, double-click, export."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from app.main_window import MainWindow
from app.session import ProjectChange
from app.settings import Settings
from tests.core.studies.make_study import PER_SCENE, build_study, niqe_value


@pytest.fixture
def window(qtbot, worker, tmp_path, monkeypatch):
    monkeypatch.setenv("IRIS_WEIGHTS_DIR", str(tmp_path / "weights"))
    study = build_study(tmp_path / "p", skip_niqe=(0, 0, 0, 1))
    settings = Settings()
    settings.device = "cpu"
    win = MainWindow(settings, worker)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    qtbot.waitExposed(win)
    assert win.open_project(study.path)
    win.study = study
    yield win
    win.close()


def click_item(qtbot, widget, text: str) -> None:
    item = widget.findItems(text, Qt.MatchFlag.MatchExactly)[0]
    widget.scrollToItem(item)
    rect = widget.visualItemRect(item)
    qtbot.mouseClick(widget.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def wait_built(qtbot, view) -> None:
    qtbot.waitUntil(lambda: view.job is not None and view.job.is_finished, timeout=30_000)
    assert view.job.state == "done", view.job.error


def cell_pos(view, row: int, column: int):
    table = view.pivot
    table.scrollToItem(table.item(row, column))
    return table.visualItemRect(table.item(row, column)).center()


def test_choose_rows_see_the_table_open_a_cell_in_compare_and_export(
    qtbot, window, tmp_path, monkeypatch
):
    view = window.show_view("tables")
    study = window.study
    # a user types the metric and the filter, picks the rows, presses Build Table
    view.metric_edit.clear()
    qtbot.keyClicks(view.metric_edit, "niqe")
    qtbot.keyClicks(view.where_edit, "kind=restored")
    click_item(qtbot, view.rows, "method")  # was chosen: now off
    click_item(qtbot, view.rows, "scene")
    click_item(qtbot, view.rows, "prompt")
    assert view.row_keys() == ["prompt", "scene"]
    qtbot.mouseClick(view.stat_boxes["n"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.build_button, Qt.MouseButton.LeftButton)
    wait_built(qtbot, view)
    pivot = view.pivot
    assert view.stack.currentWidget() is pivot
    headers = [pivot.horizontalHeaderItem(c).text() for c in range(pivot.columnCount())]
    assert headers == ["prompt", "scene", "niqe mean", "niqe n", "niqe missing"]
    labels = [(pivot.item(r, 0).text(), pivot.item(r, 1).text()) for r in range(pivot.rowCount())]
    assert labels[:2] == [("L1", "face"), ("L1", "text")]
    s1_text = labels.index(("S1", "text"))
    values = [
        niqe_value(m, 0, 0, k) for m in range(2) for k in range(PER_SCENE) if (m, k) != (0, 1)
    ]
    assert float(pivot.item(s1_text, 2).text()) == pytest.approx(statistics.fmean(values), abs=5e-4)
    assert pivot.item(s1_text, 3).text() == "7" and pivot.item(s1_text, 4).text() == "1"
    assert "missing: Compute Missing" in view.status.text()
    # niqe: lower is better; the best mean is bold on the tint
    means = [float(pivot.item(r, 2).text()) for r in range(pivot.rowCount())]
    best_row = means.index(min(means))
    assert (best_row, 2) in pivot.best_cells and pivot.item(best_row, 2).font().bold()
    assert not pivot.item((best_row + 1) % len(means), 2).font().bold()

    # double-click a cell: Compare shows the images behind it
    l1_face = labels.index(("L1", "face"))
    pos = cell_pos(view, l1_face, 2)
    # a double-click is a click, then the second press Qt reports as a double-click
    qtbot.mouseClick(pivot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(pivot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    compare = window.views["compare"]
    assert window.current_view() is compare
    expected = sorted(study.outputs[(m, 2, 1, k)] for m in range(2) for k in range(PER_SCENE))
    assert sorted(r.id for r in compare.records) == expected

    # export: the dialog suggests a name, the file holds the table
    window.show_view("tables")
    asked = []

    def dialog(parent, title, suggested, filters, *args):
        asked.append((suggested, filters))
        return str(tmp_path / "out"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    qtbot.mouseClick(view.export_buttons["md"], Qt.MouseButton.LeftButton)
    assert Path(asked[-1][0]).name == "table-prompt-scene-niqe.md"
    text = (tmp_path / "out.md").read_text()
    assert text.startswith("| prompt | scene | niqe mean | niqe n | niqe missing |")
    qtbot.mouseClick(view.export_buttons["latex"], Qt.MouseButton.LeftButton)
    assert (tmp_path / "out.tex").read_text().startswith("\\begin{tabular}")
    qtbot.mouseClick(view.export_buttons["csv"], Qt.MouseButton.LeftButton)
    assert (tmp_path / "out.csv").read_text().startswith("prompt,scene,niqe mean")


def test_new_scores_rebuild_the_table_and_subtotals_show(qtbot, window):
    from core.metrics.engine import metric_version
    from core.project import Project

    view = window.show_view("tables")
    wait_built(qtbot, view)  # opening builds the default table
    view.metric_edit.setText("niqe")
    view.where_edit.setText("kind=restored")
    view.subtotals.setCurrentText("prompt_group")
    qtbot.mouseClick(view.build_button, Qt.MouseButton.LeftButton)
    wait_built(qtbot, view)
    pivot = view.pivot
    labels = [(pivot.item(r, 0).text(), pivot.item(r, 1).text()) for r in range(pivot.rowCount())]
    assert ("SF", "Avg") in labels and labels[0] == ("L", "hypir")
    before = view.table.missing_total()
    assert before == 1
    first_job = view.job
    study = window.study
    with Project.open(study.path) as project:
        image = project.image(study.outputs[(0, 0, 0, 1)])
        project.put_score(image.sha256, "niqe", metric_version("niqe"), 4.0)
    window.session.notify(ProjectChange.SCORES)  # what a scoring job announces when it ends
    qtbot.waitUntil(lambda: view.job is not first_job and view.job.is_finished, timeout=30_000)
    assert view.table.missing_total() == 0


def test_an_empty_project_says_what_to_do(qtbot, worker, tmp_path):
    from core.project import Project

    Project.create(tmp_path / "empty").close()
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.show()
    assert win.open_project(tmp_path / "empty")
    view = win.show_view("tables")
    assert view.stack.currentWidget() is view.message
    assert "no scores yet" in view.message.text() and "Build Table" in view.message.text()
    win.close()
