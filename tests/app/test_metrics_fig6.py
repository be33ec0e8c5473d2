"""The Metrics view's Fig. 6 mode: failure counts per metric x image and failures per metric."""

from __future__ import annotations

from statistics import fmean

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFileDialog

from app.plots_view import FIG6
from core.metrics.normalize import normalize
from tests.app.metrics_window import cpu_window
from tests.core.metrics.make_runs import build_iterative_project


@pytest.fixture
def window(qtbot, worker, tmp_path, monkeypatch):
    monkeypatch.setenv("IRIS_WEIGHTS_DIR", str(tmp_path / "weights"))
    project = build_iterative_project(tmp_path / "p", runs=3, steps=20, size=16, images=2)
    store_designed_scores(project)
    project.close()
    yield from cpu_window(qtbot, worker, tmp_path / "p", tmp_path / "weights")


def designed(image: int, run: int, step: int) -> float:
    """Entropy by step, designed so the cells differ: input0's chains rise after step 1 (on
    run 0 only after step 10), input1's run 2 rises at step 5 alone, the others decay."""
    if step <= 1:
        return 5.0
    rising = {(0, 0): step > 10, (0, 1): True, (0, 2): True, (1, 2): step == 5}
    return 5.0 + (0.5 if rising.get((image, run), False) else -0.5) * (1 + step / 20)


def store_designed_scores(project) -> None:
    from core.metrics.engine import metric_version

    version = metric_version("entropy")
    for run in project.runs():
        _, image, number = run.name.split("-")
        for result in project.results(run.id):
            record = project.image(result.output_image_id)
            value = designed(int(image), int(number) - 1, int(result.step_index))
            project.put_score(record.sha256, "entropy", version, value)


def choose(qtbot, combo: QComboBox, text: str) -> None:
    """Open ``combo`` with a click and pick ``text`` with the keyboard, as a user does."""
    qtbot.mouseClick(combo, Qt.MouseButton.LeftButton)
    popup = combo.view()
    qtbot.waitUntil(popup.isVisible)
    target = combo.findText(text)
    for _ in range(combo.count()):
        if popup.currentIndex().row() == target:
            break
        step = Qt.Key.Key_Down if popup.currentIndex().row() < target else Qt.Key.Key_Up
        qtbot.keyClick(popup, step)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not popup.isVisible())
    assert combo.currentText() == text


def scored_view(qtbot, window):
    view = window.show_view("plots")
    view.metric_edit.setText("entropy")
    qtbot.mouseClick(view.runs.viewport(), Qt.MouseButton.LeftButton,
                     pos=view.runs.visualItemRect(view.runs.item(0)).center())  # fmt: skip
    qtbot.keyClick(view.runs, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: len([s for s in view.series if s.kind == "iterate"]) == 6,
                    timeout=30_000)  # the stored scores, read on the worker  # fmt: skip
    return view


def hand_count(view, image: str, *, runs: bool = False) -> int:
    """Fig. 6 by hand: steps of 5, 10, 20 whose mean gap over the image's runs is > 0
    (or, ``runs``, the image's runs with any gap > 0)."""
    chains = [s for s in view.series if s.image == image and s.kind == "iterate"]

    def gap(s, step):
        values = s.by_key("entropy")
        return normalize(values[step], "entropy") - normalize(values[1], "entropy")

    if runs:
        return sum(any(gap(s, step) > 0 for step in (5, 10, 20)) for s in chains)
    return sum(fmean(gap(s, step) for s in chains) > 0 for step in (5, 10, 20))


def test_fig6_mode_counts_failures_and_shows_the_bars(qtbot, window, tmp_path, monkeypatch):
    view = scored_view(qtbot, window)
    assert not view.bars.isVisible() and not view.count_runs.isVisible()
    choose(qtbot, view.gap_step, FIG6)
    assert view.heatmap.scale == "counts" and view.bars.isVisible()
    assert view.heatmap.columns == ["input0.png", "input1.png"]
    (row,) = view.heatmap.values
    assert row == [hand_count(view, "input0.png"), hand_count(view, "input1.png")]
    assert all(isinstance(v, int) and 0 <= v <= 3 for v in row)
    labels = sorted(item.textItem.toPlainText() for item in view.heatmap._labels)
    assert labels == sorted(str(v) for v in row)  # integer labels, no sign or decimals
    assert row == [3, 0]  # input0: every mean gap > 0; input1: run 2's rise is outvoted
    assert "failing steps of 5, 10, 20 (of 3)" in view.heatmap.caption.text()
    assert view.bars.metrics == ["entropy"]
    assert view.bars.counts == [sum(1 for v in row if v)] and view.bars.totals == [2]
    # the per-run count instead: a click on the option
    qtbot.mouseClick(view.count_runs, Qt.MouseButton.LeftButton)
    assert view.count_runs.isChecked()
    (row,) = view.heatmap.values
    assert row == [hand_count(view, "input0.png", runs=True),
                   hand_count(view, "input1.png", runs=True)]  # fmt: skip
    assert row == [3, 1] and "failing runs (of 3)" in view.heatmap.caption.text()
    assert view.bars.counts == [sum(row)] and view.bars.totals == [6]
    # both export like the heatmap
    saved = []

    def dialog(parent, title, suggested, filters, *args):
        saved.append(suggested)
        return str(tmp_path / f"out{len(saved)}.png"), "PNG (*.png)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    qtbot.mouseClick(view.export_bars, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.export_map, Qt.MouseButton.LeftButton)
    assert (tmp_path / "out1.png").stat().st_size > 1000 and (tmp_path / "out2.png").exists()
    assert "failures" in saved[0]
    # back to a gap mode: the bars go, the diverging scale returns
    choose(qtbot, view.gap_step, "10")
    assert view.heatmap.scale == "gaps" and not view.bars.isVisible()
    assert not view.export_bars.isVisible()


def test_fig6_at_1366x768_keeps_every_part_on_screen(qtbot, window):
    view = scored_view(qtbot, window)
    choose(qtbot, view.gap_step, FIG6)
    qtbot.wait(50)
    for part in (view.heatmap, view.bars, view.table, view.count_runs, view.export_bars):
        top_left = part.mapTo(window, part.rect().topLeft())
        assert window.rect().contains(part.rect().translated(top_left)), part
        assert part.width() >= min(part.minimumSizeHint().width(), 180), part
    view.grab().save(str(__import__("pathlib").Path("/tmp/h11/metrics-fig6.png")))
