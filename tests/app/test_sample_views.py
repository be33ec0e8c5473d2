"""On the sample project every view opens on content: a user clicks the tabs and sees it.

Compare opens on a degraded image, its original and its restorations; Metrics on
stored curves and a heatmap (nothing to score first); clicking the depth map in the
browser gives the Depth view its photo and a point cloud.
"""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt

from app.main_window import MainWindow
from app.settings import Settings
from core.paths import user_data_dir
from core.sample_project import SAMPLE_DIR_NAME, build_sample_project
from widgets.qimage import qimage_to_rgb


@pytest.fixture(scope="module")
def built_sample(tmp_path_factory):
    """One build for the module; each test copies it where IRIS keeps the sample."""
    return build_sample_project(tmp_path_factory.mktemp("built") / "sample")


@pytest.fixture
def window(qtbot, worker, built_sample):
    shutil.copytree(built_sample, user_data_dir() / SAMPLE_DIR_NAME)
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    assert win.open_sample_project()
    qtbot.waitUntil(lambda: not win.is_busy() and not win.worker.active_jobs(), timeout=30_000)
    yield win
    win.close()


def click_tab(qtbot, window, title: str) -> None:
    bar = window.tabs.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == title)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert window.tabs.currentIndex() == index


def click_image(qtbot, window, name: str) -> None:
    grid = window.browser.grid
    image = next(i for i in window.project.images() if i.name == name)
    item = grid._items[image.id]
    grid.scrollToItem(item)
    qtbot.mouseClick(
        grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.visualItemRect(item).center()
    )
    qtbot.waitUntil(lambda: grid.selected_keys() == [image.id], timeout=5_000)


def test_compare_opens_on_the_restorations(qtbot, window):
    click_tab(qtbot, window, "Compare")
    view = window.views["compare"]
    names = [r.name for r in view.records]
    assert names[:2] == ["fabric", "fabric (gaussian noise)"]
    assert [n.rsplit("[", 1)[-1] for n in names[2:]] == [
        "bilateral]",
        "jpeg_deblock]",
        "unsharp]",
    ]
    assert view.compare.camera.zoom == 2.0  # zoomed in on the weave, where they differ
    qtbot.waitUntil(lambda: not view.loading, timeout=20_000)
    assert qimage_to_rgb(view.compare.grab().toImage()).std() > 10


def test_metrics_opens_on_stored_curves_and_a_heatmap(qtbot, window):
    click_tab(qtbot, window, "Metrics")
    view = window.views["plots"]
    qtbot.waitUntil(lambda: bool(view.plot.curves), timeout=20_000)
    assert {c.metric for c in view.plot.curves} == {"niqe", "brisque", "piqe", "entropy"}
    assert len({c.run for c in view.plot.curves}) == 3
    assert not view.heatmap.showing_message and view.heatmap.values
    assert "press Score" not in view.status.text()


def test_clicking_the_depth_map_shows_its_point_cloud(qtbot, window):
    click_image(qtbot, window, "scene_depth")
    click_tab(qtbot, window, "Depth and 3D")
    view = window.views["depth"]
    qtbot.waitUntil(lambda: view.scene is not None and not view.loading, timeout=30_000)
    assert view.photo_image is not None and view.photo_image.name == "scene_photo"
    assert view.scene.decoding.codec == "vision-banana"
    assert len(view.scene.cloud) == 320 * 240
    stats = view.scene.decoding.stats()
    assert 2.0 < stats["min_m"] < 3.0 and 7.5 < stats["max_m"] < 8.5
