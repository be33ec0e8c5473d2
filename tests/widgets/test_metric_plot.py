"""The metric plot reads well: whole steps, images by name, a legend beside it, an empty state."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from widgets.metric_plot import EMPTY_TEXT, Curve, MetricPlot, elide


def shown_plot(qtbot, width: int = 700, height: int = 400) -> MetricPlot:
    plot = MetricPlot()
    qtbot.addWidget(plot)
    plot.resize(width, height)
    plot.show()
    qtbot.waitExposed(plot)
    return plot


def _point(x: float, y: float):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def test_a_new_plot_says_what_to_do_instead_of_empty_axes(qtbot):
    plot = shown_plot(qtbot)
    assert plot.showing_message and plot.message.isVisible() and not plot.plot.isVisible()
    assert plot.message.text() == EMPTY_TEXT
    assert "press Score" in EMPTY_TEXT and "stored scores show here" in EMPTY_TEXT
    plot.set_curves([Curve("niqe", "r", [0, 1], [None, None])])  # nothing to draw
    assert plot.showing_message
    plot.set_curves([Curve("niqe", "r", [0, 1], [3.0, 4.0])])
    assert not plot.showing_message and plot.plot.isVisible() and not plot.message.isVisible()


def test_steps_are_whole_numbers_at_every_zoom(qtbot):
    plot = shown_plot(qtbot)
    plot.set_curves([Curve("niqe", "r", list(range(21)), [float(v) for v in range(21)])])
    for lo, hi in ((0, 20), (1.6, 2.4), (1.0, 3.0), (0, 200)):
        levels = plot.axis.tickValues(lo, hi, 600)
        values = [v for _spacing, vs in levels for v in vs]
        assert values and all(v == int(v) for v in values), (lo, hi, levels)
    assert plot.axis.tickStrings([2.0, 10.0], 1, 1) == ["2", "10"]


def test_the_legend_is_beside_the_plot_one_row_per_metric_and_per_run(qtbot):
    plot = shown_plot(qtbot)
    curves = [
        Curve(m, r, [0, 1, 2], [1.0, 2.0, 3.0]) for m in ("niqe", "brisque") for r in ("a", "b")
    ]
    plot.set_curves(curves)
    assert plot.legend_labels() == ["Metrics", "niqe", "brisque", "Runs", "a", "b"]
    assert plot.legend.isVisible()
    legend = plot.legend.geometry()
    area = plot.pages.geometry()
    assert not legend.intersects(area)  # it can never cover a curve or the read-out
    assert legend.left() >= area.right()


def test_restore_runs_are_points_per_named_image_not_a_fractional_step(qtbot):
    plot = shown_plot(qtbot)
    curves = [
        Curve("entropy", "restore a", [0, 1], [6.0, 7.0]),
        Curve("entropy", "restore b", [0, 1], [6.5, 7.5]),
    ]
    plot.set_curves(
        curves, x_label="input image", categories=["fabric.png", "a-very-long-name.png"]
    )
    assert plot.plot.getAxis("bottom").labelText == "input image"
    ticks = plot.axis._tickLevels[0]
    assert ticks == [(0.0, "fabric.png"), (1.0, "a-very-long-name.png")]  # room for full names
    for item in plot.plot.listDataItems():
        assert item.opts["pen"] is None  # points only: a line between two images means nothing
    xs = sorted(round(p[0], 3) for p in plot._points)
    assert xs == [-0.125, 0.125, 0.875, 1.125]  # two runs side by side at each image
    assert plot.describe(plot._points[1]) == "entropy  restore a\na-very-long-name.png: 7"
    assert "step" not in plot.describe(plot._points[1])
    # hovering the point with the mouse reads it out; clicking it reports (run, image index)
    clicked = []
    plot.point_clicked.connect(lambda run, key: clicked.append((run, key)))
    vb = plot.plot.plotItem.vb
    pos = plot.plot.mapFromScene(vb.mapViewToScene(_point(1.125, 7.5)))
    qtbot.mouseMove(plot.plot.viewport(), pos)
    qtbot.waitUntil(lambda: "restore b" in plot.readout.toPlainText(), timeout=2000)
    assert "a-very-long-name.png: 7.5" in plot.readout.toPlainText()
    qtbot.mouseClick(plot.plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: bool(clicked), timeout=2000)
    assert clicked == [("restore b", 1)]
    # many images on the axis: names are cut in the middle to fit, never overlapping ticks
    names = [f"image-{i:02d}-with-a-long-name.png" for i in range(12)]
    plot.set_curves([Curve("entropy", "r", list(range(12)), [1.0] * 12)], categories=names)
    labels = [label for _x, label in plot.axis._tickLevels[0]]
    assert all("…" in label and len(label) < len(names[0]) for label in labels)
    assert elide("image-00-with-a-long-name.png", 10) == "imag…e.png"
    widths = [plot.fontMetrics().horizontalAdvance(label) for label in labels]
    assert max(widths) < plot.plot.width() / 12  # each fits its share of the axis
    # back to an iterative plot: the step axis is automatic again
    plot.set_curves([Curve("niqe", "r", [0, 1, 2], [1.0, 2.0, 3.0])])
    assert plot.categories is None and plot.axis._tickLevels is None


def test_the_plot_exports_png_svg_and_pdf_with_its_legend(qtbot, tmp_path):
    plot = shown_plot(qtbot)
    plot.set_curves([Curve("niqe", "run-a", [0, 1, 2], [5.0, 4.0, 3.0])])
    png = Path(plot.export(str(tmp_path / "p.png")))
    svg = Path(plot.export(str(tmp_path / "p.svg")))
    pdf = Path(plot.export(str(tmp_path / "p.pdf")))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "run-a" in text  # the side legend is in the drawing
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 1000
