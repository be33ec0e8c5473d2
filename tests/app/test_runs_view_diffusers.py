"""A local diffusion editor in the Runs view, as a user runs it: Ctrl+3, type the editor's
name into its box, point it at a model folder, keep the input's size, two steps, Start.
The filmstrip fills and a clicked step shows the seed the editor drew (tiny random FLUX
Kontext built in a fixture, on the CPU)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.app.diffusers_window import photo_window


@pytest.fixture
def window(qtbot, worker, tmp_path):
    with photo_window(qtbot, worker, tmp_path, (24, 40), seed=1) as win:
        yield win


def _type_into(qtbot, spin, text: str) -> None:
    spin.setFocus()
    spin.selectAll()
    qtbot.keyClicks(spin, text)


def test_a_two_step_kontext_run_fills_the_filmstrip_with_recorded_seeds(window, qtbot, tmp_path):
    from tests.core.local_models.tiny_models import tiny_flux_kontext

    model = tiny_flux_kontext(tmp_path / "tiny-kontext")
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    view = window.views["runs"]
    assert window.current_view() is view
    form = view.settings_form
    form.editor.setFocus()
    qtbot.keyClicks(form.editor, "diffusers")  # a closed combo box finds items as typed
    assert form.editor.currentData() == "diffusers"
    assert form.image_size.isEnabled() and form.seed_policy.isEnabled()
    form.image_size.setFocus()
    qtbot.keyClicks(form.image_size, "input")
    assert form.image_size.currentText() == "input"
    form.form.set_value("model_dir", str(model))
    _type_into(qtbot, form.form.editors["steps"], "2")  # denoising steps of each edit
    _type_into(qtbot, form.steps, "2")  # steps of the run
    form.group.setFocus()
    qtbot.keyClicks(form.group, "local")
    qtbot.mouseClick(view.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.handle is not None and view.handle.is_finished, timeout=240_000)
    assert view.handle.state == "done", view.handle.error
    assert view.filmstrip.steps() == [0, 1, 2]
    run = window.project.run("local-r1")
    results = window.project.results(run.id)[1:]
    seeds = [r.meta["seed"] for r in results]
    assert all(isinstance(seed, int) and seed >= 0 for seed in seeds), seeds
    item = view.filmstrip.item(1)
    qtbot.mouseClick(
        view.filmstrip.viewport(),
        Qt.MouseButton.LeftButton,
        pos=view.filmstrip.visualItemRect(item).center(),
    )
    assert f"seed: {seeds[0]}" in view.facts.text() and "image size: input" in view.facts.text()
    assert window.project.image(results[0].output_image_id).width == 40
