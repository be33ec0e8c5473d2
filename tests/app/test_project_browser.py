"""The project browser in the real window: non-square thumbnails survive resizes, captions are
short unique names with the provenance in the tooltip, and programmatic selection cannot loop."""

from __future__ import annotations

import os

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QTextLayout, QTextOption
from PySide6.QtWidgets import QDockWidget, QStyle, QStyleOptionViewItem

from app.main_window import MainWindow
from app.settings import Settings
from core.project import Project
from widgets.qimage import qimage_to_rgb

BODY = (200, 40, 30)
BORDER = (20, 40, 220)
SHAPES = {  # name: (width, height)
    "wide": (300, 100),
    "tall": (100, 300),
    "square": (200, 200),
    "tiny square": (64, 64),
    "scan_0001_page_left_side_of_the_book": (400, 90),
    "scan_0002_page_left_side_of_the_book": (90, 400),
}


def _picture(width: int, height: int) -> np.ndarray:
    """A red body inside a blue frame: the frame shows whether the whole image is drawn."""
    pixels = np.full((height, width, 3), BODY, np.uint8)
    edge = max(width, height) // 20
    pixels[:edge], pixels[-edge:], pixels[:, :edge], pixels[:, -edge:] = (BORDER,) * 4
    return pixels


@pytest.fixture
def shapes_project(tmp_path):
    path = tmp_path / "shapes"
    with Project.create(path, name="shapes") as project:
        for index, (name, (width, height)) in enumerate(SHAPES.items()):
            file = tmp_path / f"{name}.png"
            pixels = _picture(width, height)
            pixels[height // 2, width // 2] = (index, index, index)  # distinct content
            Image.fromarray(pixels).save(file)
            project.add_image_bytes(
                file.read_bytes(), name=file.name, kind="imported", source_path=str(file)
            )
    return path


@pytest.fixture
def window(qtbot, worker, shapes_project):
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.show()
    assert win.open_project(shapes_project)
    qtbot.waitUntil(lambda: win.browser.grid.count() == len(SHAPES), timeout=10_000)
    qtbot.waitUntil(lambda: not win.is_busy(), timeout=20_000)
    yield win
    win.close()


def _caption_option(grid, item) -> QStyleOptionViewItem:
    """The style option the item's delegate paints with (its text as drawn)."""
    option = QStyleOptionViewItem()
    grid.initViewItemOption(option)
    option.rect = grid.visualItemRect(item)
    grid.itemDelegate().initStyleOption(option, grid.indexFromItem(item))
    return option


def _caption_rect(grid, item) -> QRect:
    """Where the item's delegate draws the caption (the style's text sub-rectangle)."""
    option = _caption_option(grid, item)
    return grid.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, grid)


def _caption_lines(text: str, font, width: int) -> tuple[int, float]:
    """Lines and widest line of ``text`` laid out as Qt's item delegate does (word wrap: a
    line wider than the cell is elided when drawn)."""
    layout = QTextLayout(text, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    layout.setTextOption(option)
    layout.beginLayout()
    lines, widest = 0, 0.0
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        lines, widest = lines + 1, max(widest, line.naturalTextWidth())
    layout.endLayout()
    return lines, widest


def _assert_captions_whole(grid) -> None:
    """Every caption lies inside its cell and fits its text area without being cut."""
    metrics = grid.fontMetrics()
    for row in range(grid.count()):
        item = grid.item(row)
        cell, text = grid.visualItemRect(item), _caption_rect(grid, item)
        assert cell.size() == grid.cell_size, (item.text(), cell)
        assert cell.contains(text), (item.text(), cell, text)
        drawn = _caption_option(grid, item).text.split("\n")
        assert [part.replace("\u200b", "") for part in drawn] == item.text().split("\n")
        total = 0
        for part in drawn:
            lines, widest = _caption_lines(part, grid.font(), text.width())
            assert widest <= text.width(), (part, widest, text)  # no line elided
            total += lines
        assert total * metrics.lineSpacing() <= text.height() + 1, (item.text(), total, text)


def _assert_cells_whole(grid) -> None:
    """Every caption fits its cell untruncated and every icon shows its whole image."""
    _assert_captions_whole(grid)
    shot = qimage_to_rgb(grid.viewport().grab().toImage())
    viewport = grid.viewport().rect()
    for row in range(grid.count()):
        item = grid.item(row)
        cell, text = grid.visualItemRect(item), _caption_rect(grid, item)
        assert viewport.left() <= cell.left() and cell.right() <= viewport.right(), item.text()
        if cell.bottom() < shot.shape[0]:  # rows scrolled out of view are not drawn
            ink = shot[text.top() : text.bottom(), text.left() : text.right()]
            assert ink.size and (ink.min(axis=2) < 120).any(), f"no caption drawn: {item.text()}"
        icon = qimage_to_rgb(item.icon().pixmap(grid.iconSize()).toImage())
        assert icon.shape[:2] == (grid.iconSize().height(), grid.iconSize().width())
        frame = np.argwhere(np.abs(icon.astype(int) - BORDER).max(axis=2) < 60)
        (top, left), (bottom, right) = frame.min(axis=0), frame.max(axis=0)
        size = item.toolTip().splitlines()[1].split(", ")[1]  # "imported, 300x100, 8-bit PNG"
        width, height = map(int, size.split("x"))
        drawn = (right - left + 1) / (bottom - top + 1)
        assert abs(drawn - width / height) / (width / height) < 0.1, (item.text(), drawn)
        assert max(right - left + 1, bottom - top + 1) >= grid.iconSize().width() - 2  # fills it


def test_non_square_thumbnails_survive_window_and_dock_resizes(qtbot, window):
    grid = window.browser.grid
    dock = window.findChild(QDockWidget, "project-dock")
    for (width, height), dock_width in (
        ((1366, 768), 300),
        ((900, 600), 220),
        ((1920, 1080), 520),
        ((1000, 700), 260),
        ((1366, 768), 380),
    ):
        window.resize(width, height)
        qtbot.waitUntil(lambda w=width: window.width() == w, timeout=3000)  # real resize events
        window.resizeDocks([dock], [dock_width], Qt.Orientation.Horizontal)
        qtbot.wait(30)
        _assert_cells_whole(grid)
    window.browser.filter.setCurrentText("Inputs (imported)")  # a rebuild after the resizes
    qtbot.waitUntil(lambda: not grid.loading, timeout=10_000)
    window.resize(1366, 768)
    qtbot.wait(30)
    _assert_cells_whole(grid)
    if path := os.environ.get("IRIS_SHOT_BROWSER"):
        window.grab().save(path)


def test_captions_are_short_unique_names_with_the_story_in_the_tooltip(qtbot, window):
    grid = window.browser.grid
    captions = [grid.item(row).text() for row in range(grid.count())]
    assert len(set(captions)) == len(captions)
    assert "wide" in captions and "wide.png" not in captions
    scans = [caption for caption in captions if caption.startswith("scan_")]
    assert len(scans) == 2 and all(len(caption) <= 28 for caption in scans), scans
    tip = grid.item(captions.index("wide")).toolTip()
    assert "imported from" in tip and "wide.png" in tip and "300x100" in tip


def test_a_click_selects_and_the_images_view_shows_it(qtbot, window):
    grid = window.browser.grid
    item = grid.item(2)
    qtbot.mouseClick(
        grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.visualItemRect(item).center()
    )
    assert grid.selected_keys() == [item.data(Qt.ItemDataRole.UserRole)]
    view = window.views["images"]
    qtbot.waitUntil(lambda: view.current is not None and view.current.id == grid.selected_keys()[0])


def test_a_view_that_selects_what_it_is_told_cannot_loop(qtbot, window):
    """A view that calls context.select on every image it shows (Annotate's navigation)."""
    browser = window.browser
    heard: list[list[int]] = []

    def annotate_like(images):
        heard.append([image.id for image in images])
        if images:
            window._context.select([images[0].id])  # the echo a navigating view makes

    browser.images_selected.connect(annotate_like)
    ids = browser.grid.keys()
    window.resize(1366, 300)  # a short window: the last thumbnail is scrolled out of view
    qtbot.wait(30)
    window._context.select([ids[-1]])
    assert heard == [[ids[-1]]]  # reported once, and the echo did not report again
    assert browser.grid.selected_keys() == [ids[-1]]
    item = browser.grid.item(len(ids) - 1)
    assert browser.grid.viewport().rect().contains(browser.grid.visualItemRect(item))  # scrolled
    assert browser.grid.currentItem() is item
    # a multi-selection walked by the view stays whole: only the current item moves
    qtbot.mouseClick(
        browser.grid.viewport(),
        Qt.MouseButton.LeftButton,
        pos=browser.grid.visualItemRect(browser.grid.item(len(ids) - 1)).center(),
    )
    browser.grid.scrollToTop()
    qtbot.mouseClick(
        browser.grid.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ShiftModifier,
        browser.grid.visualItemRect(browser.grid.item(0)).center(),
    )
    assert len(browser.grid.selected_keys()) == len(ids)
    heard.clear()
    window._context.select([ids[3]])
    assert heard == [] and len(browser.grid.selected_keys()) == len(ids)
    assert browser.grid.currentItem() is browser.grid.item(3)
    browser.images_selected.disconnect(annotate_like)


def test_selecting_images_the_filter_hides_changes_nothing(qtbot, window):
    browser = window.browser
    browser.filter.setCurrentText("Runs")
    heard = []
    browser.images_selected.connect(heard.append)
    browser.select_images([1])
    assert browser.grid.selected_keys() == [] and heard == []
    browser.images_selected.disconnect(heard.append)


def test_sample_project_captions_fit_at_1366(qtbot, worker):
    """The sample's images (degraded, restored, the steps of its runs) keep whole captions."""
    win = MainWindow(Settings(), worker)
    qtbot.addWidget(win)
    win.show()
    assert win.open_sample_project()
    qtbot.waitUntil(lambda: win.browser.grid.count() > 60, timeout=20_000)
    qtbot.waitUntil(lambda: not win.is_busy(), timeout=20_000)
    win.resize(1366, 768)
    qtbot.wait(30)
    grid = win.browser.grid
    _assert_captions_whole(grid)
    captions = [grid.item(row).text() for row in range(grid.count())]
    assert len(set(captions)) == len(captions)
    assert "gradient · run 2 · step 7" in captions and "fabric · gaussian noise" in captions
    win.close()


def test_after_a_job_the_browser_reads_in_the_pool_and_keeps_the_selection(qtbot, window):
    """A job's change is read off the GUI thread: the grid still shows the old reading
    when notify returns, then the new image appears with the user's selection kept."""
    from app.session import ProjectChange

    grid = window.browser.grid
    first = grid.item(0).data(Qt.ItemDataRole.UserRole)
    qtbot.mouseClick(
        grid.viewport(), Qt.MouseButton.LeftButton, pos=grid.visualItemRect(grid.item(0)).center()
    )
    window.project.add_image_array(
        np.full((20, 30, 3), 0.5, np.float32), name="late", kind="imported"
    )
    with qtbot.waitSignal(window.browser.refreshed, timeout=10_000):
        window.session.notify(ProjectChange.IMAGES)
        assert window.browser.refresh_pending and grid.count() == len(SHAPES)
    assert grid.count() == len(SHAPES) + 1 and not window.browser.refresh_pending
    assert grid.selected_keys() == [first]
    assert "late" in [grid.item(row).text() for row in range(grid.count())]


def test_a_reading_overtaken_by_a_newer_one_is_dropped(qtbot, window):
    """The user switches the filter while a pool reading is under way: the older
    reading arriving afterwards must not put the unfiltered grid back."""
    browser = window.browser
    browser.refresh_soon()
    browser.filter.setCurrentText("Runs")  # a refresh now, on the GUI thread
    assert browser.grid.count() == 0  # the shapes project has no runs
    qtbot.waitUntil(lambda: not browser.refresh_pending, timeout=10_000)
    qtbot.wait(50)
    assert browser.grid.count() == 0 and browser.summary.text().startswith(f"{len(SHAPES)} images")
