"""The depth colour bar: metre ticks and painted pixels."""

from __future__ import annotations

from widgets.colour_bar import ColourBar, format_metres, nice_ticks
from widgets.qimage import qimage_to_rgb


def test_ticks_are_round_and_inside_the_range():
    assert nice_ticks(0.4, 9.0) == [0.5, 1.0, 2.0, 5.0]
    narrow = nice_ticks(3.1, 13.0)
    assert len(narrow) >= 3 and all(3.1 <= t <= 13.0 for t in narrow)
    assert nice_ticks(5.0, 1.0) == []
    assert format_metres(2.5) == "2.5 m" and format_metres(1500) == "1.5 km"


def test_colour_bar_paints_its_gradient(qtbot):
    bar = ColourBar()
    qtbot.addWidget(bar)
    bar.resize(90, 300)
    bar.set_range([(0, 0, 255), (255, 0, 0)], 1.0, 50.0)
    pixels = qimage_to_rgb(bar.grab().toImage())
    column = pixels[20:-20, 10]
    assert column[0, 0] > 200 and column[-1, 2] > 200  # red at the top (far), blue at the bottom
