"""A local diffusion editor from the Restore panel, as a user runs it: pick the image, the
`diffusers` method and a model folder, press Run; the edit is stored with its seed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.tools import TOOLS
from tests.app.diffusers_window import photo_window
from tests.app.test_restore_panel import click_thumbnail


@pytest.fixture
def window(qtbot, worker, tmp_path):
    with photo_window(qtbot, worker, tmp_path, (48, 64), seed=0) as win:
        yield win


def test_a_tiny_kontext_edit_runs_from_the_restore_panel(window, qtbot, tmp_path):
    from tests.core.local_models.tiny_models import tiny_flux_kontext

    model = tiny_flux_kontext(tmp_path / "tiny-kontext")
    click_thumbnail(qtbot, window, "photo")
    panel = TOOLS.get("restore")(window).widget()
    panel.select_method("diffusers")
    form = panel.form
    form.set_value("model_dir", str(model))
    form.editors["steps"].setFocus()
    form.editors["steps"].selectAll()
    qtbot.keyClicks(form.editors["steps"], "2")
    form.editors["seed"].selectAll()
    qtbot.keyClicks(form.editors["seed"], "7")
    form.set_value("prompt", "Restore this photo.")
    assert panel.run_button.isEnabled()
    qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.worker.active_jobs(), timeout=240_000)
    (restored,) = window.project.images(kind="restored")
    assert restored.parent_id == window.project.images(kind="imported")[0].id
    (result,) = [r for run in window.project.runs() for r in window.project.results(run.id)]
    assert result.status == "ok", result.error
    assert result.meta["seed"] == 7 and result.meta.get("steps", 2) == 2
