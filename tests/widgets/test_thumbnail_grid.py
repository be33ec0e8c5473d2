"""The thumbnail grid loads previews off the GUI thread and reports selections by key."""

from __future__ import annotations

import threading

import numpy as np

from widgets.qimage import qimage_to_rgb, rgb_to_qimage
from widgets.thumbnail_grid import ThumbnailGrid, ThumbnailItem


def test_previews_arrive_from_a_pool_thread(qtbot, tmp_path):
    threads = []

    def make(path, size):
        threads.append(threading.current_thread().name)
        colour = {"a": (255, 0, 0), "b": (0, 0, 255)}[path.name]
        return np.full((size // 2, size, 3), colour, np.uint8)

    grid = ThumbnailGrid(make, size=32)
    qtbot.addWidget(grid)
    with qtbot.waitSignal(grid.thumbnails_ready, timeout=5000):
        grid.set_items(
            [
                ThumbnailItem("A", "first", tmp_path / "a"),
                ThumbnailItem("B", "second", tmp_path / "b"),
            ]
        )
    assert threads and threading.current_thread().name not in threads
    picture = grid.item(1).icon().pixmap(32, 32).toImage()
    assert (picture.width(), picture.height()) == (32, 32)  # letterboxed into the square
    assert tuple(qimage_to_rgb(picture)[16, 16]) == (0, 0, 255)
    assert picture.pixelColor(16, 2).alpha() == 0  # the bars above a wide image are empty
    grid.select_key("B")
    assert grid.selected_keys() == ["B"]


def test_a_selected_thumbnail_keeps_its_colours(qtbot, tmp_path):
    grid = ThumbnailGrid(lambda path, size: np.full((size, size, 3), (200, 40, 30), np.uint8), 32)
    qtbot.addWidget(grid)
    grid.resize(200, 200)
    grid.show()
    with qtbot.waitSignal(grid.thumbnails_ready, timeout=5000):
        grid.set_items([ThumbnailItem("A", "only", tmp_path / "a")])
    grid.select_key("A")
    qtbot.wait(50)
    shot = qimage_to_rgb(grid.viewport().grab().toImage())
    centre = grid.visualItemRect(grid.item(0)).center()
    icon_centre = shot[centre.y() - 8, centre.x()]
    assert np.abs(icon_centre.astype(int) - (200, 40, 30)).max() <= 2, icon_centre


def test_letterboxing_keeps_the_whole_image_and_its_aspect(qapp):
    from PySide6.QtGui import QPixmap

    from widgets.thumbnail_grid import letterboxed

    for width, height in ((300, 100), (100, 300), (50, 50), (7, 3)):
        pixels = np.full((height, width, 3), (250, 10, 10), np.uint8)
        square = letterboxed(QPixmap.fromImage(rgb_to_qimage(pixels)), 60)
        assert (square.width(), square.height()) == (60, 60)
        image = square.toImage()
        alpha = np.array([[image.pixelColor(x, y).alpha() for x in range(60)] for y in range(60)])
        rows, cols = np.nonzero(alpha > 128)
        drawn_w, drawn_h = cols.max() - cols.min() + 1, rows.max() - rows.min() + 1
        assert max(drawn_w, drawn_h) == 60  # scaled to fit the square
        assert abs(drawn_w / drawn_h - width / height) < 0.1 * width / height + 0.05
        assert abs((cols.min() + cols.max()) / 2 - 29.5) <= 1  # centred
        assert abs((rows.min() + rows.max()) / 2 - 29.5) <= 1


def test_cells_stay_equal_and_fill_the_width_through_resizes(qtbot, tmp_path):
    shapes = {"wide": (90, 30), "tall": (30, 90), "square": (64, 64)}

    def make(path, size):
        width, height = shapes[path.name]
        scale = size / max(width, height)
        return np.full((round(height * scale), round(width * scale), 3), 120, np.uint8)

    grid = ThumbnailGrid(make, size=64)
    qtbot.addWidget(grid)
    grid.resize(300, 400)
    grid.show()
    with qtbot.waitSignal(grid.thumbnails_ready, timeout=5000):
        grid.set_items(
            [ThumbnailItem(i, f"{name} number {i}", tmp_path / name) for i, name in
             enumerate(["wide", "tall", "square"] * 4)]
        )  # fmt: skip
    for width in (300, 180, 520, 90, 300):
        grid.resize(width, 400)
        qtbot.wait(20)
        rects = [grid.visualItemRect(grid.item(row)) for row in range(grid.count())]
        assert {rect.size().toTuple() for rect in rects} == {grid.cell_size.toTuple()}
        assert grid.cell_size.height() >= 64 + 2 * grid.fontMetrics().lineSpacing()
        columns = len({rect.left() for rect in rects})
        used = columns * grid.gridSize().width()
        if grid.viewport().width() >= grid.gridSize().width():  # else one column, scrolled
            assert used <= grid.viewport().width() < used + grid.gridSize().width(), width


def test_a_failed_preview_is_reported_in_the_tooltip(qtbot, tmp_path):
    def broken(path, size):
        raise OSError("unreadable file")

    grid = ThumbnailGrid(broken, size=16)
    qtbot.addWidget(grid)
    with qtbot.waitSignal(grid.thumbnails_ready, timeout=5000):
        grid.set_items([ThumbnailItem(1, "bad", tmp_path / "x", tooltip="bad file")])
    assert "preview failed: unreadable file" in grid.item(0).toolTip()


def test_qimage_round_trip_is_exact():
    pixels = np.random.default_rng(0).integers(0, 256, (7, 13, 3), dtype=np.uint8)
    np.testing.assert_array_equal(qimage_to_rgb(rgb_to_qimage(pixels)), pixels)


def test_deleting_a_loader_while_its_tasks_run_is_safe(qtbot):
    """Tasks still running when their widget goes away report to nobody, and nothing crashes."""
    from PySide6.QtWidgets import QWidget
    from shiboken6 import delete

    from widgets.background import BackgroundLoader

    release = threading.Event()
    finished = []

    def task(key):
        release.wait(5)
        finished.append(key)
        return key

    owner = QWidget()
    loader = BackgroundLoader(owner)
    received = []
    loader.loaded.connect(lambda key, value: received.append(key))
    for key in range(4):
        loader.request(key, task, key)
    delete(owner)  # the widget and its loader go while every task is still running
    del owner, loader
    release.set()
    qtbot.waitUntil(lambda: len(finished) == 4, timeout=5000)
    qtbot.wait(100)  # their queued reports arrive, for nobody
    assert received == []


def test_a_rebuild_shows_previews_already_made_without_decoding_again(qtbot, tmp_path):
    made = []

    def make(path, size):
        made.append(path.name)
        return np.full((size, size, 3), (0, 200, 0), np.uint8)

    grid = ThumbnailGrid(make, size=32)
    qtbot.addWidget(grid)
    first = [ThumbnailItem("A", "first", tmp_path / "a"), ThumbnailItem("B", "b", tmp_path / "b")]
    with qtbot.waitSignal(grid.thumbnails_ready, timeout=5000):
        grid.set_items(first)
    assert sorted(made) == ["a", "b"]
    with qtbot.waitSignal(grid.thumbnails_ready, timeout=5000):
        grid.set_items([*first, ThumbnailItem("C", "new", tmp_path / "c")])  # a run added c
    assert sorted(made) == ["a", "b", "c"]  # only the new file was decoded
    picture = qimage_to_rgb(grid.item(0).icon().pixmap(32, 32).toImage())
    assert tuple(picture[16, 16]) == (0, 200, 0)  # the kept preview, shown at once


def test_requests_made_soon_start_on_the_next_turn_and_count_as_pending_at_once(qtbot):
    """request_soon: the GUI thread finishes what it is building before the pool starts."""
    from PySide6.QtCore import QCoreApplication

    from widgets.background import BackgroundLoader

    started, received = [], []
    loader = BackgroundLoader()
    loader.loaded.connect(lambda key, value: received.append((key, value)))

    def task(key):
        started.append(key)
        return key * 10

    for key in range(3):
        loader.request_soon(key, task, key)
    assert loader.pending == 3
    threading.Event().wait(0.2)  # no event loop turn yet: nothing may have started
    assert started == []
    QCoreApplication.processEvents()
    qtbot.waitUntil(lambda: len(received) == 3, timeout=5000)
    assert sorted(started) == [0, 1, 2] and sorted(received) == [(0, 0), (1, 10), (2, 20)]
    assert loader.pending == 0
