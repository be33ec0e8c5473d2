"""The metric plot, the failure heatmap and the score table: data in, pixels and files out."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt

from widgets.heatmap import Heatmap, diverging
from widgets.metric_plot import Curve, MetricPlot
from widgets.qimage import qimage_to_rgb
from widgets.score_table import ScoreTable


def test_plot_draws_curves_bands_reads_out_and_reports_clicks(qtbot, tmp_path):
    plot = MetricPlot()
    qtbot.addWidget(plot)
    plot.resize(600, 400)
    plot.show()
    curves = [
        Curve("niqe", "run-a", [0, 1, 2, 3], [5.0, 4.0, None, 3.0]),
        Curve("niqe", "group", [0, 1, 2, 3], [5.0, 4.5, 4.0, 3.5], spread=[0, 0.5, 0.5, 0.2]),
    ]
    plot.set_curves(curves, y_label="niqe")
    items = plot.plot.listDataItems()
    assert len(items) == 2
    bands = [i for i in plot.plot.items() if isinstance(i, pg.FillBetweenItem)]
    assert len(bands) == 1  # only the curve with a spread has a band
    assert len(plot._points) == 3 + 4  # the missing step is not drawn
    assert plot.nearest(2.9, 3.1)[2:4] == ("run-a", 3)
    clicked = []
    plot.point_clicked.connect(lambda run, step: clicked.append((run, step)))
    line = next(i for i in items if i.name() == "niqe - run-a")
    points = line.scatter.points()
    line.sigPointsClicked.emit(line, [points[1]], None)
    assert clicked == [("run-a", 1)]
    png = plot.export(str(tmp_path / "plot.png"))
    svg = plot.export(str(tmp_path / "plot.svg"))
    assert Path(png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in Path(svg).read_text(encoding="utf-8")


def test_heatmap_colours_failures_red_and_missing_grey(qtbot, tmp_path):
    assert diverging(5, 5) == (255, 38, 38) and diverging(-5, 5)[2] == 255
    heat = Heatmap()
    qtbot.addWidget(heat)
    heat.resize(400, 300)
    heat.show()
    heat.set_matrix(["brisque", "niqe"], ["a", "b"], [[10.0, -10.0], [None, 0.0]], "Delta20")
    image = heat.image.image
    assert tuple(image[0, 0]) == (255, 38, 38)  # column a, row brisque: fails
    assert tuple(image[1, 0])[2] == 255 and image[1, 0][0] < 100  # -10: blue
    assert tuple(image[0, 1]) == (200, 200, 200)  # no value
    pixels = qimage_to_rgb(heat.grab().toImage())
    reds = (pixels[..., 0] > 230) & (pixels[..., 1] < 80) & (pixels[..., 2] < 80)
    assert reds.sum() > 500  # the failing cell is on screen
    assert "<svg" in Path(heat.export(str(tmp_path / "h.svg"))).read_text(encoding="utf-8")


def test_table_sorts_numbers_filters_and_exports_what_is_shown(qtbot, tmp_path):
    table = ScoreTable()
    qtbot.addWidget(table)
    rows = [
        {"run": "a", "metric": "niqe", "value": 10.5},
        {"run": "b", "metric": "niqe", "value": 9.25},
        {"run": "c", "metric": "psnr", "value": 100.0},
    ]
    table.set_rows(["run", "metric", "value"], rows)
    table.view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert [r[0] for r in table.visible_rows()] == ["b", "a", "c"]  # 9.25 < 10.5 < 100
    table.filter.setText("NIQE")
    assert [r[0] for r in table.visible_rows()] == ["b", "a"]
    path = table.export_csv(str(tmp_path / "s.csv"))
    with open(path, newline="", encoding="utf-8") as handle:
        assert list(csv.reader(handle)) == [
            ["run", "metric", "value"],
            ["b", "niqe", "9.25"],
            ["a", "niqe", "10.5"],
        ]
    assert np.isfinite(float(table.visible_rows()[0][2]))
