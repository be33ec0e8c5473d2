"""The heatmap never shows a black square; the table uses the width it has."""

from __future__ import annotations

from widgets.heatmap import EMPTY_TEXT, NO_GAPS_TEXT, Heatmap
from widgets.qimage import qimage_to_rgb
from widgets.score_table import MAX_COLUMN_WIDTH, ScoreTable


def test_no_gaps_is_said_in_words_not_drawn_black(qtbot):
    heat = Heatmap()
    qtbot.addWidget(heat)
    heat.resize(400, 300)
    heat.show()
    assert heat.showing_message and heat.message.text() == EMPTY_TEXT
    heat.set_matrix(["niqe", "brisque"], [], [[], []], "Delta5")  # restore runs: no chains
    assert heat.showing_message and heat.message.text() == NO_GAPS_TEXT
    heat.set_matrix(["niqe"], ["a.png"], [[None]], "Delta5")  # chains without step 1
    assert heat.showing_message and not heat.caption.isVisible()
    pixels = qimage_to_rgb(heat.grab().toImage())
    assert (pixels.sum(axis=-1) < 60).mean() < 0.02  # no black area, only text
    heat.set_matrix(["niqe"], ["a.png", "b.png"], [[2.0, None]], "Delta5")
    assert not heat.showing_message and heat.caption.isVisible()
    assert "no score" in heat.caption.text() and "fails" in heat.caption.text()
    assert tuple(heat.image.image[1, 0]) == (200, 200, 200)  # grey, with its legend below
    assert tuple(heat.image.image[0, 0])[0] == 255 and heat.image.image[0, 0][1] > 150  # pale


def test_table_columns_fit_their_content_and_the_last_one_stretches(qtbot):
    table = ScoreTable()
    qtbot.addWidget(table)
    table.resize(700, 300)
    table.show()
    rows = [
        {"image": "x" * 80, "metric": "niqe", "value": 4.5, "empty": None, "error": ""},
        {"image": "short", "metric": "brisque", "value": 31.0, "empty": None, "error": "bad"},
    ]
    table.set_rows(["image", "metric", "value", "empty", "error"], rows)
    view = table.view
    assert view.columnWidth(0) == MAX_COLUMN_WIDTH  # a long name cannot push the rest away
    assert view.columnWidth(1) >= table.fontMetrics().horizontalAdvance("brisque")
    assert view.isColumnHidden(3) and not view.isColumnHidden(4)  # an empty column takes no room
    header = view.horizontalHeader()
    assert header.length() >= view.viewport().width() - 2  # no blank strip at the right
    assert table.visible_rows()[0][3] == ""  # hidden on screen, kept in the CSV
