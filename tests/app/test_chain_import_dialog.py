"""Tools > Import Chains, driven with real clicks and keys: chains become run groups."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from core.imageio import save_png
from core.iterate.steps import run_steps
from core.project import Project
from tests.core.methods.synthetic import scene


@pytest.fixture
def window(qtbot, worker, tmp_path):
    from app.main_window import MainWindow
    from app.settings import Settings

    Project.create(tmp_path / "proj", name="p").close()
    main = MainWindow(Settings(), worker)
    qtbot.addWidget(main)
    assert main.open_project(tmp_path / "proj")
    yield main
    dialog = getattr(main, "_chain_import_dialog", None)
    if dialog is not None:
        dialog.close()
    main.close()


def _chains(folder, steps=4, skip=None):
    for i, image in enumerate(("Holi", "Rice")):
        for run in ("r1", "r2"):
            for step in range(steps + 1):
                if (image, run, step) == skip:
                    continue
                path = folder / image / run / f"{step:03d}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                save_png(path, scene(40, seed=10 * i + step))
            (folder / image / run / "002.txt").write_text("The source looks noisy.")


def _open(window):
    from PySide6.QtGui import QAction

    (action,) = [a for a in window.findChildren(QAction)
                 if a.text().replace("&", "") == "Import Chains..."]  # fmt: skip
    action.trigger()  # the Tools menu entry
    return window._chain_import_dialog


def test_import_chains_with_real_clicks(window, qtbot, tmp_path):
    _chains(tmp_path / "chains")
    dialog = _open(window)
    qtbot.keyClicks(dialog.path, str(tmp_path / "chains"))
    dialog.layout_edit.clear()
    qtbot.keyClicks(dialog.layout_edit, "{image}/{run}/{step}.png")
    with qtbot.waitSignal(dialog.imported, timeout=20_000) as blocker:
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    runs = blocker.args[0]
    assert sorted(r["run"] for r in runs) == ["Holi-r1", "Holi-r2", "Rice-r1", "Rice-r2"]
    assert "Imported 4 runs in 2 groups (16 steps)" in dialog.status.text()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    with Project.open(window.project.path) as project:
        steps = run_steps(project, "Rice-r2")
        assert [s.index for s in steps] == [0, 1, 2, 3, 4] and steps[2].thoughts.endswith("noisy.")
        assert {r.group_name for r in project.runs()} == {"Holi", "Rice"}
    assert not dialog.grab().isNull()


def test_a_broken_folder_says_why(window, qtbot, tmp_path):
    _chains(tmp_path / "chains", skip=("Rice", "r1", 3))
    dialog = _open(window)
    qtbot.keyClicks(dialog.path, str(tmp_path / "chains"))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Not imported" in dialog.status.text(), timeout=20_000)
    assert "Rice/r1 misses step(s) 3 of 0..4" in dialog.status.text()
    with Project.open(window.project.path) as project:
        assert project.runs() == []  # checked whole before anything was written
