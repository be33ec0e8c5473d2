"""The Degrade dialog: live preview pixels, parameter edits, recipes on disk, results in the project."""

from __future__ import annotations

import numpy as np
import pytest

from core.degrade import Recipe, Step
from core.degrade.preview import reduce_for_preview, render_preview
from core.imageio import to_uint
from tests.core.degrade.conftest import make_scene
from widgets.qimage import qimage_to_rgb
from widgets.thumbnail_grid import KEY_ROLE


@pytest.fixture
def window(qtbot, worker, tmp_path):
    from app.main_window import MainWindow
    from app.settings import Settings
    from core.project import Project

    with Project.create(tmp_path / "proj", name="p") as project:
        project.add_image_array(make_scene(96), name="scene", kind="imported")
        project.add_image_array(make_scene(96)[::-1].copy(), name="flipped", kind="imported")
    main = MainWindow(Settings(), worker)
    qtbot.addWidget(main)
    assert main.open_project(tmp_path / "proj")
    yield main
    dialog = getattr(main, "_degrade_dialog", None)
    if dialog is not None:
        dialog.close()
    main.close()


def _open(window, qtbot, image_ids=(1,)):
    from app.tools import TOOLS

    dialog = TOOLS.get("degrade")(window)
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        grid = window.browser.grid
        grid.clearSelection()
        for index in range(grid.count()):
            item = grid.item(index)
            item.setSelected(item.data(KEY_ROLE) in image_ids)
        qtbot.waitUntil(lambda: [i.id for i in dialog.images] == list(image_ids), timeout=5000)
    return dialog


def _shown(label, shape) -> np.ndarray:
    """The pixels a preview label shows, cut from its centre to ``shape``."""
    grabbed = qimage_to_rgb(label.pixmap().toImage())
    return grabbed[: shape[0], : shape[1]]


def test_preview_shows_the_recipe_applied_to_the_selected_image(window, qtbot):
    dialog = _open(window, qtbot)
    clean = window.project.load_pixels(1).pixels
    expected = render_preview(reduce_for_preview(clean, "fit", 320), dialog.recipe(), 0)
    shown = _shown(dialog.degraded_label, expected.shape)
    assert np.array_equal(shown, to_uint(expected))
    assert not np.array_equal(shown, to_uint(clean))  # the preview is degraded, not the original
    # the label on screen really paints it: grab the widget and find the degraded pixels
    grab = qimage_to_rgb(dialog.degraded_label.grab().toImage())
    top = (grab.shape[0] - expected.shape[0]) // 2
    left = (grab.shape[1] - expected.shape[1]) // 2
    painted = grab[top : top + expected.shape[0], left : left + expected.shape[1]]
    assert np.abs(painted.astype(int) - to_uint(expected).astype(int)).max() <= 1


def test_severity_and_parameter_edits_update_the_chain_and_the_preview(window, qtbot):
    dialog = _open(window, qtbot)
    clean = to_uint(window.project.load_pixels(1).pixels).astype(int)
    mild = np.abs(_shown(dialog.degraded_label, clean.shape).astype(int) - clean).mean()
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        dialog.severity.setValue(5)
    strong = np.abs(_shown(dialog.degraded_label, clean.shape).astype(int) - clean).mean()
    assert strong > mild
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        dialog.form.editor("sigma").setValue(0.3)
    assert dialog.recipe() == Recipe([Step("gaussian_blur", 5, {"sigma": 0.3})])
    assert dialog.chain.item(0).text().endswith("*")
    weak = np.abs(_shown(dialog.degraded_label, clean.shape).astype(int) - clean).mean()
    assert weak < mild
    # a second step of another kind
    dialog.add_step()
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        dialog.kind.setCurrentIndex(dialog.kind.findData("gaussian_noise"))
    assert [s.kind for s in dialog.recipe().steps] == ["gaussian_blur", "gaussian_noise"]
    assert dialog.chain.count() == 2


def test_bad_parameters_are_reported_in_the_preview(window, qtbot, tmp_path):
    dialog = _open(window, qtbot)
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        dialog.kind.setCurrentIndex(dialog.kind.findData("haze"))
    line = dialog.form.editor("depth")
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        line.setText(str(tmp_path / "missing.npy"))
        line.editingFinished.emit()
    assert "does not exist" in dialog.preview_error
    assert "Cannot preview" in dialog.status.text()


def test_recipes_save_and_load(window, qtbot, tmp_path):
    dialog = _open(window, qtbot)
    recipe = Recipe([Step("rain", 2, {"angle": -20.0}), Step("jpeg", 4)])
    dialog.set_recipe(recipe)
    assert dialog.save_recipe(tmp_path / "r.json")
    dialog.set_recipe(Recipe([Step("moire", 1)]))
    assert dialog.load_recipe(tmp_path / "r.json")
    assert dialog.recipe() == recipe
    assert dialog.chain.count() == 2 and dialog.kind.currentData() == "rain"
    assert dialog.form.value("angle") == -20.0


def test_apply_adds_linked_degraded_images_with_recipe_and_seed(window, qtbot):
    dialog = _open(window, qtbot, image_ids=(1, 2))
    dialog.set_recipe(Recipe([Step("gaussian_noise", 2), Step("jpeg", 3)]))
    dialog.seed.setValue(42)
    with qtbot.waitSignal(dialog.applied, timeout=20_000) as blocker:
        dialog.apply()
    ids = blocker.args[0]
    assert len(ids) == 2
    project = window.project
    for clean_id, new_id in zip((1, 2), ids, strict=True):
        record = project.image(new_id)
        assert record.kind == "degraded" and record.parent_id == clean_id
        assert record.meta["seed"] == 42
        assert Recipe.from_dict(record.meta["recipe"]) == dialog.recipe().resolved()
    qtbot.waitUntil(lambda: set(ids) <= set(window.browser.grid.keys()), timeout=5000)


def test_the_tools_menu_offers_degrade(window):
    texts = [a.text() for a in window.menuBar().actions()]
    assert "&Tools" in texts
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    action = next(a for a in tools.actions() if a.text() == "&Degrade...")
    assert action.shortcut().toString() == "Ctrl+D"
    action.trigger()
    assert window._degrade_dialog.isVisible()
