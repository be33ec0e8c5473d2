"""The main window: sample project on first launch, browser, drag-and-drop import, errors, settings."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent

from app.about import about_html
from app.main_window import MainWindow
from app.settings import Settings
from core.device import DeviceInfo
from core.errors import RegistryError
from widgets.qimage import qimage_to_rgb


@pytest.fixture
def window(qtbot, worker):
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def wait_idle(qtbot, window):
    qtbot.waitUntil(
        lambda: not window.is_busy() and not window.worker.active_jobs(), timeout=20_000
    )


def test_sample_project_opens_with_thumbnails_and_the_first_image(qtbot, window):
    assert window.open_sample_project()
    wait_idle(qtbot, window)
    # 8 sample images, 4 x 3 restorations, the depth pair and its segmentation, 3 runs x 20
    assert window.browser.grid.count() == 8 + 12 + 3 + 3 * 20
    view = window.views["images"]
    qtbot.waitUntil(lambda: view.canvas.has_image(), timeout=10_000)
    assert view.current is not None and view.current.name == "fabric"
    shot = qimage_to_rgb(window.grab().toImage())
    assert shot.std() > 10  # real content, not a blank window
    icon = window.browser.grid.item(0).icon().pixmap(64, 64).toImage()
    assert qimage_to_rgb(icon).std() > 5  # the thumbnail was decoded, not the grey placeholder


def test_drop_files_imports_them_on_the_worker(qtbot, window, tmp_path):
    assert window.open_project(tmp_path / "new", create=True)
    for i in range(3):
        Image.fromarray(np.full((16, 16, 3), 60 * i, np.uint8)).save(tmp_path / f"d{i}.png")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / f"d{i}.png")) for i in range(3)])
    event = QDropEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)
    wait_idle(qtbot, window)
    assert len(window.project.images()) == 3
    assert window.browser.grid.count() == 3


def test_bad_files_are_reported_and_good_ones_kept(qtbot, window, tmp_path):
    window.open_project(tmp_path / "p", create=True)
    Image.new("RGB", (4, 4)).save(tmp_path / "good.png")
    (tmp_path / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    handle = window.import_paths([str(tmp_path / "good.png"), str(tmp_path / "bad.png")])
    with qtbot.waitSignal(handle.finished, timeout=10_000):
        pass
    assert [image.name for image in window.project.images()] == ["good"]
    assert "bad.png" in window.last_error


def test_opening_a_missing_project_explains_and_keeps_the_current_one(window, tmp_path):
    window.open_project(tmp_path / "p", create=True)
    assert not window.open_project(tmp_path / "nothing-here")
    assert "not an IRIS project" in window.last_error
    assert window.project.path == (tmp_path / "p").resolve()


def test_recent_projects_and_geometry_persist(qtbot, worker, tmp_path):
    first = MainWindow(Settings(), worker)
    qtbot.addWidget(first)
    first.open_project(tmp_path / "a", create=True)
    first.open_project(tmp_path / "b", create=True)
    first.show()
    first.resize(700, 500)
    qtbot.waitUntil(lambda: first.width() == 700)
    first.close()
    settings = Settings()
    assert settings.recent_projects[:2] == [
        str((tmp_path / "b").resolve()),
        str((tmp_path / "a").resolve()),
    ]
    second = MainWindow(settings, worker)
    qtbot.addWidget(second)
    second.show()
    assert (second.width(), second.height()) == (700, 500)
    second.close()


def test_views_are_registered_and_unknown_views_are_refused(window):
    assert list(window.views) == ["images"]  # the first tab is built, the others when shown
    assert window.show_view("images") is window.views["images"]
    with pytest.raises(RegistryError, match="known: .*images"):
        window.show_view("no-such-view")


def test_a_view_built_late_gets_the_project_and_selection(qtbot, window):
    window.open_sample_project()
    qtbot.waitUntil(lambda: window.views["images"].current is not None, timeout=10_000)
    first, second = window.project.images()[:2]
    window.browser.select_images([first.id, second.id])
    assert "compare" not in window.views
    window.tabs.setCurrentIndex(list(window._pages).index("compare"))  # built by its tab
    late = window.views["compare"]
    assert late.project is window.project  # the view holds the open project itself
    qtbot.waitUntil(lambda: len(late.records) == 2, timeout=10_000)
    assert [r.id for r in late.records] == [first.id, second.id]  # and the selection


def test_status_bar_shows_the_device_once_resolved(qtbot, window):
    with qtbot.waitSignal(window.worker.device_changed, timeout=60_000):
        window.worker.set_device("cpu")
    assert window.device_label.text().startswith("Device: CPU")


def test_about_names_versions_and_licences():
    html = about_html(DeviceInfo("cpu", "CPU, 2 threads", False))
    assert "PolyForm Noncommercial" in html and "CC BY-NC-SA 4.0" in html
    assert "pyiqa" in html and "torch" in html and "CPU, 2 threads" in html


def test_job_progress_and_cancel_button(qtbot, window):
    import time

    def slow(*, progress, cancel):
        for i in range(200):
            time.sleep(0.02)
            progress(i, 200)

    handle = window.worker.submit(slow, name="Slow job")
    qtbot.waitUntil(lambda: window.cancel_button.isEnabled(), timeout=5000)
    qtbot.waitUntil(lambda: "Slow job" in window.job_label.text(), timeout=5000)
    window.cancel_button.click()
    with qtbot.waitSignal(handle.finished, timeout=2000):
        pass
    assert handle.state == "cancelled"
    qtbot.waitUntil(lambda: not window.cancel_button.isEnabled(), timeout=2000)


def test_first_launch_builds_the_sample_on_the_worker_with_the_window_live(qtbot, window):
    from core.paths import is_project, user_data_dir
    from core.sample_project import SAMPLE_DIR_NAME

    assert not is_project(user_data_dir() / SAMPLE_DIR_NAME)
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    assert window.open_sample_project(background=True)
    assert window.project is None  # still building: the call returned at once
    assert "Building the sample" in window.job_label.text() or window.worker.active_jobs()
    qtbot.waitUntil(lambda: window.project is not None, timeout=120_000)
    timer.stop()
    assert len(ticks) > 10  # the event loop ran while the sample was built
    assert window.project.path == (user_data_dir() / SAMPLE_DIR_NAME).resolve()
    assert window.browser.grid.count() > 0
