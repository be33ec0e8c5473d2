"""The Compare view in the main window: project images, saved state, shortcuts, figure export."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtWidgets import QApplication

from core.compare.labels import source_label
from core.project import Project
from widgets.qimage import qimage_to_rgb


def _rgb(h, w, seed):
    return np.random.default_rng(seed).integers(0, 256, (h, w, 3), dtype=np.uint8)


@pytest.fixture
def filled_project(tmp_path):
    path = tmp_path / "proj"
    with Project.create(path, name="cmp") as project:
        clean = project.add_image_array(_rgb(40, 50, 1) / 255.0, name="face", kind="imported")
        project.add_image_array(
            _rgb(40, 50, 2) / 255.0, name="face noisy", kind="degraded", parent_id=clean.id
        )
        method = project.ensure_method("swinir", "model")
        big = np.repeat(np.repeat(_rgb(40, 50, 1), 2, axis=0), 2, axis=1)
        project.add_image_array(big / 255.0, name="face x2", kind="restored", method_id=method)
    return path


@pytest.fixture
def window(qtbot, worker, filled_project):
    from app.main_window import MainWindow
    from app.settings import Settings

    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    assert win.open_project(filled_project)
    yield win
    win.close()


def _wait_loaded(qtbot, view):
    qtbot.waitUntil(
        lambda: (
            not view.loading
            and all(view.compare.image(i) is not None for i in range(view.compare.count))
        ),
        timeout=10_000,
    )


def test_selection_feeds_the_view_with_labelled_images_and_state_is_restored(
    qtbot, window, filled_project
):
    view = window.show_view("compare")
    records = window.project.images()
    view.show_images(records)
    _wait_loaded(qtbot, view)
    assert view.compare.count == 3
    assert view.compare.labels() == [
        "input: face",
        "degraded: face noisy",
        "restored: face x2 [swinir]",
    ]
    assert view.compare.image(2).size == (100, 80)
    # A single selected image does not replace a comparison.
    view.show_images(records[:1])
    assert view.compare.count == 3
    # The x2 image shows the same content as the input at the same place.
    view.compare.show_overlays = False
    view.compare.set_view(3.0, (0.5, 0.5))
    QApplication.processEvents()
    first = qimage_to_rgb(view.compare.canvases[0].grab().toImage())
    third = qimage_to_rgb(view.compare.canvases[2].grab().toImage())
    h, w = min(first.shape[0], third.shape[0]), min(first.shape[1], third.shape[1])
    assert np.array_equal(first[:h, :w], third[:h, :w])

    view.compare.set_mode("difference")
    view.compare.set_reference(0)
    view.compare.set_crop([5, 6, 20, 10])
    view.compare.set_layout("columns")
    view.save_state()
    saved = window.project.view_state("compare")
    assert saved["image_ids"] == [r.id for r in records]
    assert saved["mode"] == "difference" and saved["crop"] == [5, 6, 20, 10]

    # Reopening the project restores images, layout, mode, crop and camera.
    window.open_project(filled_project)
    assert view.compare.state.mode == "difference"
    assert view.compare.state.layout == "columns"
    assert view.compare.state.crop == [5, 6, 20, 10]
    assert view.compare.camera.zoom == pytest.approx(3.0)
    _wait_loaded(qtbot, view)
    assert view.compare.count == 3
    assert view.controls.mode_actions["difference"].isChecked()
    assert view.controls.layout_box.currentText() == "One column"
    # A chosen number of columns lays the views out in that grid.
    view.controls.layout_box.setCurrentIndex(view.controls.layout_box.findText("2 columns"))
    assert (view.compare.state.layout, view.compare.state.grid_columns) == ("auto", 2)
    positions = [view.compare.grid.getItemPosition(i)[:2] for i in range(3)]
    assert positions == [(0, 0), (0, 1), (1, 0)]


def test_shortcuts_are_listed_in_the_help_menu(window):
    texts = {text: keys.split(", ")[0] for text, keys in window.shortcut_list()}
    for name, key in [
        ("Compare: Fit", "F"),
        ("Compare: Actual Size (1:1)", "1"),
        ("Compare: Zoom In", "+"),
        ("Compare: Zoom Out", "-"),
        ("Compare: Select View 1", "Alt+1"),
        ("Compare: Undo Add/Remove View", "Ctrl+Z"),
        ("Compare: Toggle Difference", "D"),
        ("Compare: Toggle Swipe", "S"),
        ("Compare: Flicker to Reference (hold)", "Space"),
        ("Compare: Export Figure...", "Ctrl+Shift+E"),
    ]:
        assert texts.get(name) == key, name


def test_export_figure_from_the_view_equals_the_source_pixels(qtbot, window, tmp_path):
    view = window.show_view("compare")
    records = window.project.images()
    view.show_images(records)
    _wait_loaded(qtbot, view)
    view.compare.set_crop([7, 9, 16, 12])
    view.figure_scale.setValue(1.0)
    view.figure_full.setChecked(False)
    handle = view.export_to(str(tmp_path / "fig.png"))
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        pass
    assert handle.state == "done", handle.error
    figure = np.asarray(Image.open(tmp_path / "fig.png").convert("RGB"))
    source = _rgb(40, 50, 1)
    # The first panel sits at the margin: its pixels are the source crop, exactly.
    assert np.array_equal(figure[8 : 8 + 12, 8 : 8 + 16], source[9:21, 7:23])
    # Copy to the clipboard goes through the same worker.
    handle = view.copy_figure()
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        pass
    clip = QApplication.clipboard().image()
    assert clip.width() == figure.shape[1] and clip.height() == figure.shape[0]


def test_labels_name_run_steps(filled_project):
    with Project.open(filled_project) as project:
        run = project.create_run("edit-chain", "iterate")
        step = project.add_image_array(
            _rgb(40, 50, 3) / 255.0, name="face", kind="step", run_id=run.id, step_index=2
        )
        from core.compare.labels import project_labels

        assert project_labels(project, [step]) == ["step 2 of edit-chain: face"]
        assert source_label(step) == "step 2: face"


def test_add_and_remove_views_keep_the_settings(qtbot, window):
    view = window.show_view("compare")
    records = window.project.images()
    view.show_images(records[:2])
    _wait_loaded(qtbot, view)
    view.compare.set_mode("difference")
    view.compare.set_reference(1)
    view.compare.set_diff_mode("signed")
    view.add_record(records[2])
    _wait_loaded(qtbot, view)
    assert [r.id for r in view.records] == [r.id for r in records]
    assert view.compare.state.diff_mode == "signed" and view.compare.state.reference == 1
    view.compare.select_view(0)
    view.remove_action.trigger()
    _wait_loaded(qtbot, view)
    assert [r.id for r in view.records] == [records[1].id, records[2].id]
    assert view.compare.state.reference == 0  # still the same image
    assert view.compare.labels()[0] == "degraded: face noisy"
