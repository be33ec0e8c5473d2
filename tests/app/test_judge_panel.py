"""The judges in the Metrics view: real clicks, the real Gemini client, the fake server."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.metrics_data import FIRST_YES, TABLE_COLUMNS
from core.project import Project
from tests.app.metrics_window import click_run, cpu_window
from tests.app.test_metrics_fig6 import choose, store_designed_scores
from tests.core.metrics.make_runs import build_iterative_project
from tests.fakes.gemini_server import Reply, fake_gemini, text_response

SHOTS = Path("/tmp/h11")


@pytest.fixture
def fake(monkeypatch):
    monkeypatch.setenv("IRIS_JUDGE_MODEL", "fake-judge")
    with fake_gemini(monkeypatch) as server:
        yield server


@pytest.fixture
def window(qtbot, worker, tmp_path, monkeypatch, fake):
    from core.methods.runner import restore_images
    from core.metrics.engine import metric_version

    monkeypatch.setenv("IRIS_WEIGHTS_DIR", str(tmp_path / "weights"))
    project = build_iterative_project(tmp_path / "p", runs=3, steps=12, size=16)
    store_designed_scores(project)
    source = project.images(kind="imported")[0]
    project.set_tags([source.id], {"task": "rain"})  # the restore output inherits it
    project.close()
    restore_images(tmp_path / "p", [source.id], "gamma", device="cpu")
    with Project.open(tmp_path / "p") as project:
        output = next(i for i in project.images() if i.kind == "restored")
        # a stored LPS (no weights here): FS = 0.2 x (1 - 0.25) x RS
        project.put_score(output.sha256, "lpips", metric_version("lpips"), 0.25,
                          reference_sha256=source.sha256)  # fmt: skip
    yield from cpu_window(qtbot, worker, tmp_path / "p", tmp_path / "weights")


def open_dialog(qtbot, view):
    qtbot.mouseClick(view.judge_button, Qt.MouseButton.LeftButton)
    dialog = view.judge_dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def run_and_wait(qtbot, dialog, state="done"):
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job is not None and dialog.job.is_finished, timeout=30_000)
    assert dialog.job.state == state, (dialog.job.error, dialog.message.text())


def test_rs_fs_judge_runs_on_a_selected_restore_run_and_shows_as_metrics(qtbot, window, fake):
    view = window.show_view("plots")
    click_run(qtbot, view, lambda text: text.endswith("(restore)"))
    dialog = open_dialog(qtbot, view)
    assert dialog.task.currentText().startswith("from each image's task")
    fake.push(
        Reply(body=text_response("Degradation Score: 4")),  # the restored output
        Reply(body=text_response("Degradation Score: 1")),
    )  # its degraded input
    run_and_wait(qtbot, dialog)
    assert dialog.message.text() == "RealIR-Bench judge: 1 image rated."
    assert dialog.progress.value() == dialog.progress.maximum()
    text = fake.requests[0].json["contents"][0]["parts"][1]["text"]
    assert "degradation type rain" in text and "Scoring Scale (1–5)" in text  # the tag's task
    qtbot.waitUntil(lambda: "RS" in view.metrics and "FS" in view.metrics, timeout=30_000)
    curves = {c.metric: c for c in view.plot.curves}
    assert curves["RS"].values == [3.0] and curves["FS"].values == [pytest.approx(0.45)]
    rows = view.table.visible_rows()
    metric, value = TABLE_COLUMNS.index("metric"), TABLE_COLUMNS.index("value")
    assert {r[metric]: r[value] for r in rows if r[metric] in ("RS", "FS")} == {
        "RS": "3", "FS": "0.45"}  # fmt: skip
    with Project.open(window.project.path) as project:
        (record,) = [r for r in project.judgements() if r["value"] == 4.0]
        assert record["model"] == "fake-judge" and record["task"] == "rain"
        assert record["answer"] == "Degradation Score: 4" and record["prompt_id"] == "RIR-SEVERITY"
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "judge-dialog.png"))
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # "Close"
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.wait(50)
    window.grab().save(str(SHOTS / "metrics-judge-rs.png"))


def test_thought_judge_marks_the_first_yes_step_per_run(qtbot, window, fake):
    view = window.show_view("plots")
    view.metric_edit.setText("entropy")
    click_run(qtbot, view, lambda text: text.startswith("group:"))
    qtbot.waitUntil(lambda: len(view.plot.curves) == 3, timeout=30_000)
    dialog = open_dialog(qtbot, view)
    choose(qtbot, dialog.kind, "Thoughts: first noisy step (Banana100)")
    assert dialog.prompt.currentText() == "B100-SELF-EVAL" and not dialog.task.isEnabled()
    for first in (8, 9, 10):  # make_runs: run r mentions noise from step 8 + r
        fake.push(*[Reply(body=text_response("No.")) for _ in range(first - 1)])
        fake.push(Reply(body=text_response("Yes")))
    run_and_wait(qtbot, dialog)
    assert dialog.message.text() == "Thought judge: 3 of 3 runs said 'yes' at some step."
    assert "reasoning summary" in fake.requests[0].json["contents"][0]["parts"][0]["text"]
    qtbot.waitUntil(lambda: len(view.thought_marks) == 3, timeout=30_000)
    assert sorted((run, step) for run, step, _line in view.thought_marks) == [
        ("replicate-0-1", 8), ("replicate-0-2", 9), ("replicate-0-3", 10)]  # fmt: skip
    assert all(line in view.plot.plot.items() for *_x, line in view.thought_marks)
    metric, step = TABLE_COLUMNS.index("metric"), TABLE_COLUMNS.index("step")
    found = sorted(r[step] for r in view.table.visible_rows() if r[metric] == FIRST_YES)
    assert found == ["10", "8", "9"]
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    window.grab().save(str(SHOTS / "metrics-judge-thoughts.png"))


def test_missing_key_or_model_is_one_clear_line_and_cancel_stops(qtbot, window, fake, monkeypatch):
    view = window.show_view("plots")
    click_run(qtbot, view, lambda text: text.endswith("(restore)"))
    dialog = open_dialog(qtbot, view)
    monkeypatch.delenv("GEMINI_API_KEY")
    run_and_wait(qtbot, dialog, "failed")
    message = dialog.message.text()
    assert message.startswith("no Gemini API key: set GEMINI_API_KEY") and "\n" not in message
    assert "Traceback" not in message and fake.requests == []
    choose(qtbot, dialog.backend, "local")
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("The local judge needs its model folder")
    assert not dialog.owner.busy
    # a slow answer, cancelled by a click: the job ends, nothing is stored
    monkeypatch.setenv("GEMINI_API_KEY", "fake-key-for-tests")
    choose(qtbot, dialog.backend, "gemini")
    fake.push(Reply(body=text_response("Degradation Score: 4"), delay=20))
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(fake.requests) == 1, timeout=10_000)
    assert dialog.cancel_button.text() == "Cancel"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.job.is_finished, timeout=15_000)
    assert dialog.job.state == "cancelled" and dialog.message.text().startswith("Cancelled")
    assert dialog.run_button.isEnabled() and dialog.isVisible()
    with Project.open(window.project.path) as project:
        assert project.judgements() == []
