"""The compare widget, read back from grabs: sync, alignment, readout, swipe, flicker, difference."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from core.compare.difference import colorize
from tests.widgets.compare.conftest import expected_render, grab, pyramid, random_rgb, upscale


def _wheel(canvas, x: float, y: float, steps: int = 1) -> None:
    pos = QPointF(x, y)
    event = QWheelEvent(
        pos,
        canvas.mapToGlobal(pos),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas, event)


def _mouse(canvas, kind: QEvent.Type, x: float, y: float, buttons=Qt.MouseButton.NoButton):
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    pos = QPointF(x, y)
    event = QMouseEvent(
        kind, pos, canvas.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(canvas, event)


def _four_views(compare):
    base = random_rgb(48, 64, 1)
    images = [
        pyramid(base),
        pyramid(upscale(base, 2)),
        pyramid(base.copy()),
        pyramid(upscale(base, 4)),
    ]
    compare.set_images(images, ["a", "a x2", "a copy", "a x4"])
    QApplication.processEvents()
    return base


def test_zooming_view_3_moves_every_view_to_the_same_region(compare, qtbot):
    _four_views(compare)
    before = compare.camera.to_dict()
    third = compare.canvases[2]
    for _ in range(4):
        _wheel(third, 100.0, 70.0)
    assert compare.camera.zoom > before["zoom"] * 2
    assert compare.active == 2
    QApplication.processEvents()
    reference = grab(compare.canvases[0])
    expected, inside = expected_render(compare, 0, compare.canvases[0])
    mismatch = np.any(reference != expected, axis=2) & inside
    assert mismatch.mean() < 0.002, "view 1 does not show the camera's region"
    for index, canvas in enumerate(compare.canvases[1:], start=2):
        other = grab(canvas)
        h, w = min(other.shape[0], reference.shape[0]), min(other.shape[1], reference.shape[1])
        differs = np.any(other[:h, :w] != reference[:h, :w], axis=2) & inside[:h, :w]
        assert differs.mean() < 0.002, f"view {index} shows another region"


def test_a_x2_image_aligns_pixel_2x_2y_with_x_y_exactly(compare):
    _four_views(compare)
    compare.set_view(6.0, (0.37, 0.61))
    QApplication.processEvents()
    first, x2, x4 = (grab(compare.canvases[i]) for i in (0, 1, 3))
    expected, inside = expected_render(compare, 0, compare.canvases[0])
    assert inside.mean() > 0.8
    assert np.array_equal(first[inside], expected[inside])
    h = min(first.shape[0], x2.shape[0], x4.shape[0])
    w = min(first.shape[1], x2.shape[1], x4.shape[1])
    assert np.array_equal(x2[:h, :w], first[:h, :w])
    assert np.array_equal(x4[:h, :w], first[:h, :w])


def test_readout_gives_the_exact_values_of_every_view(compare):
    base = _four_views(compare)
    compare.set_view(5.0, snap=False)
    canvas = compare.canvases[0]
    affine = compare.placement(0, canvas.view_size())
    sx, sy = affine.to_screen(10.1, 7.1)  # near the top-left corner of pixel (10, 7)
    _mouse(canvas, QEvent.Type.MouseMove, sx, sy)
    text = compare.readout.text()
    r, g, b = base[7, 10]
    assert text.startswith("x 10  y 7")
    assert f"1: {r} {g} {b}   |" in text
    assert f"2: {r} {g} {b} @20,14" in text  # the x2 image's own pixel (2x, 2y)
    assert f"4: {r} {g} {b} @40,28" in text
    compare.set_mode("difference")
    compare.set_reference(2)
    QApplication.processEvents()  # the colour bar took some width: the views moved
    sx, sy = compare.placement(0, compare.canvases[0].view_size()).to_screen(10.1, 7.1)
    _mouse(compare.canvases[0], QEvent.Type.MouseMove, sx, sy)
    assert f"1: {r} {g} {b} (absolute 0)" in compare.readout.text()
    values = compare.values_at(10.5 / 64, 7.5 / 48)
    assert values[1][:2] == (21, 15) and values[1][2] == tuple(int(v) for v in base[7, 10])


def test_smooth_downsampling_below_1_to_1_uses_the_pyramid(compare):
    checker = np.zeros((256, 256, 3), np.uint8)
    checker[(np.arange(256)[:, None] + np.arange(256)[None, :]) % 2 == 1] = 255
    compare.set_images([pyramid(checker)], ["checker"])
    compare.set_view(0.25)
    QApplication.processEvents()
    pixels = grab(compare.canvases[0])
    affine = compare.placement(0, compare.canvases[0].view_size())
    x0, y0 = (int(v) + 2 for v in affine.to_screen(0, 0))
    block = pixels[y0 : y0 + 50, x0 : x0 + 50].astype(int)
    assert abs(block.mean() - 127.5) < 3 and block.std() < 3  # averaged, not aliased 0/255


def test_swipe_shows_a_left_of_the_divider_and_b_right(compare):
    a = random_rgb(300, 400, 2)
    b = random_rgb(300, 400, 3)
    compare.set_images([pyramid(a), pyramid(b)], ["a", "b"])
    compare.set_mode("swipe")
    compare.set_swipe_pair(0, 1)
    QApplication.processEvents()
    canvas = compare.canvases[0]
    assert len(compare.canvases) == 1
    compare.select_view(0)
    compare.actual_size()
    QApplication.processEvents()

    def check(split: int) -> None:
        pixels = grab(canvas)
        left, top = (round(v) for v in compare.placement(0, canvas.view_size()).to_screen(0, 0))
        for sx in (split - 40, split - 7):  # the handle covers 5 px either side
            column = pixels[top + 5 : top + 295, sx]
            assert np.array_equal(column, a[5:295, sx - left]), sx
        for sx in (split + 7, split + 40):
            column = pixels[top + 5 : top + 295, sx]
            assert np.array_equal(column, b[5:295, sx - left]), sx

    check(canvas.divider_position())
    split = canvas.divider_position()
    _mouse(canvas, QEvent.Type.MouseButtonPress, split, 100, Qt.MouseButton.LeftButton)
    _mouse(canvas, QEvent.Type.MouseMove, split - 100, 100, Qt.MouseButton.LeftButton)
    _mouse(canvas, QEvent.Type.MouseButtonRelease, split - 100, 100)
    QApplication.processEvents()
    assert canvas.divider_position() == split - 100
    check(split - 100)
    compare.set_swipe_vertical(False)
    QApplication.processEvents()
    pixels = grab(canvas)
    left, top = (round(v) for v in compare.placement(0, canvas.view_size()).to_screen(0, 0))
    split_y = canvas.divider_position()
    assert np.array_equal(pixels[split_y - 2, left + 50 : left + 150], a[split_y - 2 - top, 50:150])
    assert np.array_equal(pixels[split_y + 2, left + 50 : left + 150], b[split_y + 2 - top, 50:150])


def test_difference_of_identical_images_is_zero_and_of_known_images_the_known_map(compare):
    a = np.zeros((40, 60, 3), np.uint8)
    same = a.copy()
    known = a.copy()
    known[:, :30] = 51  # error 0.2
    known[:, 30:] = 102  # error 0.4
    compare.set_images([pyramid(a), pyramid(same), pyramid(known)], ["ref", "same", "known"])
    compare.set_mode("difference")
    compare.set_reference(0)
    compare.set_view(4.0)
    QApplication.processEvents()
    zero = colorize(np.zeros((1, 1), np.float32), "absolute", 1.0)[0, 0]
    for index, expected_left, expected_right in ((1, 0.0, 0.0), (2, 0.2, 0.4)):
        canvas = compare.canvases[index]
        pixels = grab(canvas)
        _, inside = expected_render(compare, index, canvas)
        affine = compare.placement(index, canvas.view_size())
        split = round(affine.to_screen(30, 0)[0])
        left_colour = colorize(np.float32([[expected_left]]), "absolute", 1.0)[0, 0]
        right_colour = colorize(np.float32([[expected_right]]), "absolute", 1.0)[0, 0]
        columns = np.arange(canvas.width())
        left_mask = inside & (columns < split)[None, :]
        right_mask = inside & (columns >= split)[None, :]
        assert left_mask.sum() > 1000 and right_mask.sum() > 1000
        assert np.all(pixels[left_mask] == left_colour)
        assert np.all(pixels[right_mask] == right_colour)
    _, inside_same = expected_render(compare, 1, compare.canvases[1])
    assert np.all(grab(compare.canvases[1])[inside_same] == zero)
    # The scale control is a gain: x2 shows 0.2 with the colour of 0.4.
    compare.set_diff_scale(2.0)
    QApplication.processEvents()
    pixels = grab(compare.canvases[2])
    affine = compare.placement(2, compare.canvases[2].view_size())
    sx, sy = (int(v) for v in affine.to_screen(10, 10))
    assert pixels[sy, sx].tolist() == colorize(np.float32([[0.4]]), "absolute", 1.0)[0, 0].tolist()
    # Signed error uses the diverging map; the reference view shows its own pixels.
    compare.set_diff_mode("signed")
    QApplication.processEvents()
    signed = grab(compare.canvases[1])[inside_same]
    assert np.all(signed == (247, 247, 247))
    assert compare.colorbar.isVisible() and compare.colorbar.mode == "signed"


def test_flicker_shows_the_reference_while_the_key_is_held(compare, qtbot):
    a = np.full((40, 60, 3), 30, np.uint8)
    b = np.full((40, 60, 3), 200, np.uint8)
    compare.set_images([pyramid(a), pyramid(b)], ["a", "b"])
    compare.set_reference(0)
    QApplication.processEvents()
    canvas = compare.canvases[1]
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)
    cx, cy = canvas.width() // 2, canvas.height() // 2
    assert grab(canvas)[cy, cx].tolist() == [200, 200, 200]
    qtbot.keyPress(canvas, Qt.Key.Key_Space)
    assert compare.flicker
    assert grab(canvas)[cy, cx].tolist() == [30, 30, 30]
    qtbot.keyRelease(canvas, Qt.Key.Key_Space)
    assert not compare.flicker
    assert grab(canvas)[cy, cx].tolist() == [200, 200, 200]
    # In swipe mode the reference replaces both sides.
    compare.set_mode("swipe")
    compare.set_swipe_pair(1, 1)
    QApplication.processEvents()
    swipe = compare.canvases[0]
    cx, cy = swipe.width() // 4, swipe.height() // 2
    assert grab(swipe)[cy, cx].tolist() == [200, 200, 200]
    compare.set_flicker(True)
    assert grab(swipe)[cy, cx].tolist() == [30, 30, 30]
    compare.set_flicker(False)


def _key(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    """A key press where a user's goes: to the focus widget (the shortcut map decides)."""
    qtbot.keyClick(QApplication.focusWidget(), key, modifier)
    qtbot.wait(5)  # let deferred deletes (rebuilt canvases) happen, as in the real app


def test_keyboard_shortcuts_drive_the_view(compare, qtbot):
    _four_views(compare)
    qtbot.mouseClick(compare.canvases[0], Qt.MouseButton.LeftButton)
    assert compare.hasFocus()  # the canvases hand the focus to the widget, which survives
    _key(qtbot, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    assert compare.active == 2
    _key(qtbot, Qt.Key.Key_1)  # 1:1 for view 3's image, as 1 is 1:1 in the Images view
    assert compare.camera.image_scale(64) == 1.0
    _key(qtbot, Qt.Key.Key_F)
    assert compare._auto_fit
    _key(qtbot, Qt.Key.Key_0)  # 0 stays an alias of 1:1
    assert compare.camera.image_scale(64) == 1.0
    zoom = compare.camera.zoom
    _key(qtbot, Qt.Key.Key_Plus)
    assert compare.camera.zoom > zoom
    shortcuts = {a.text(): a.shortcut().toString() for a in compare.actions()}
    assert shortcuts["Compare: Toggle Difference"] == "D"
    assert shortcuts["Compare: Select View 9"] == "Alt+9"
    assert shortcuts["Compare: Actual Size (1:1)"] == "1"


def test_mode_keys_keep_working_after_every_rebuild(compare, qtbot):
    """Each mode change deletes the canvases; the keys must still act, many times over."""
    _four_views(compare)
    qtbot.mouseClick(compare.canvases[1], Qt.MouseButton.LeftButton)
    for _round in range(3):
        _key(qtbot, Qt.Key.Key_D)
        assert compare.state.mode == "difference"
        _key(qtbot, Qt.Key.Key_S)
        assert compare.state.mode == "swipe"
        _key(qtbot, Qt.Key.Key_G)
        assert compare.state.mode == "side"
        compare.set_layout("columns")  # another rebuild, not by key
        qtbot.wait(5)
        _key(qtbot, Qt.Key.Key_C)
        assert compare.crop_tool
        _key(qtbot, Qt.Key.Key_C)
        assert not compare.crop_tool
        compare.set_view(5.0)
        _key(qtbot, Qt.Key.Key_F)
        assert compare._auto_fit
        compare.set_layout("auto")
        qtbot.wait(5)
        assert compare.hasFocus()


def test_an_empty_widget_says_what_to_do(compare):
    compare.empty_text = "Select images to compare"
    compare.set_slots([])
    QApplication.processEvents()
    assert compare.caption(0) == ""
    compare.show_overlays = True
    image = grab(compare.canvases[0])
    assert (image > 150).any(), "the empty view shows its text"


def test_exposure_and_pixel_values(compare):
    dark = np.full((20, 30, 3), 40, np.uint8)
    dark[5, 5] = (10, 20, 30)
    compare.set_images([pyramid(dark)], ["dark"])
    compare.set_pixel_values(False)
    compare.set_view(8.0)
    compare.set_levels(exposure=1.0)
    QApplication.processEvents()
    canvas = compare.canvases[0]
    affine = compare.placement(0, canvas.view_size())
    pixels = grab(canvas)
    sx, sy = (int(v) + 3 for v in affine.to_screen(5, 5))
    assert pixels[sy, sx].tolist() == [20, 40, 60]
    sx, sy = (int(v) + 3 for v in affine.to_screen(8, 8))
    assert pixels[sy, sx].tolist() == [80, 80, 80]
    # Values written inside pixels at high zoom: the cell is no longer one flat colour.
    compare.set_levels()
    compare.set_pixel_values(True)
    compare.set_view(64.0)
    QApplication.processEvents()
    affine = compare.placement(0, canvas.view_size())
    x0, y0 = (int(v) for v in affine.to_screen(8, 8))
    cell = grab(canvas)[y0 + 2 : y0 + 62, x0 + 2 : x0 + 62]
    assert (cell > 150).any() and (cell == 40).mean() > 0.5
    compare.set_pixel_values(False)
    QApplication.processEvents()
    cell = grab(canvas)[y0 + 2 : y0 + 62, x0 + 2 : x0 + 62]
    assert np.all(cell == 40)


def test_nudge_offset_and_crop_drawing(compare):
    base = random_rgb(48, 64, 4)
    shifted = np.zeros_like(base)
    shifted[:, 3:] = base[:, :-3]
    compare.set_images([pyramid(base), pyramid(shifted)], ["a", "shifted"])
    compare.select_view(1)
    for _ in range(3):
        compare.actions_by_name["nudge_left"].trigger()
    assert compare.state.offset(1) == (-3.0, 0.0)
    compare.set_view(4.0)
    QApplication.processEvents()
    first, second = grab(compare.canvases[0]), grab(compare.canvases[1])
    affine = compare.placement(0, compare.canvases[0].view_size())
    x0, y0 = (int(v) for v in affine.to_screen(5, 5))
    x1, y1 = (int(v) for v in affine.to_screen(40, 40))
    assert np.array_equal(first[y0:y1, x0:x1], second[y0:y1, x0:x1])
    # Crop drawn with the crop tool, in frame pixels.
    compare.set_crop_tool(True)
    canvas = compare.canvases[0]
    start = affine.to_screen(10.2, 12.7)
    end = affine.to_screen(20.5, 18.1)
    _mouse(canvas, QEvent.Type.MouseButtonPress, *start, Qt.MouseButton.LeftButton)
    _mouse(canvas, QEvent.Type.MouseMove, *end, Qt.MouseButton.LeftButton)
    _mouse(canvas, QEvent.Type.MouseButtonRelease, *end)
    assert compare.state.crop == [10, 12, 11, 7]
    assert not compare.crop_tool
