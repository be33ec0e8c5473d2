"""The Table 3 and Table 8 widgets: what they draw is what they were given."""

from __future__ import annotations

from core.studies.correlate import Correlation, coefficients
from core.studies.stability import StabilityRow
from widgets.correlation_chart import CorrelationChart
from widgets.stability_table import SIGNIFICANT_TINT, StabilityTable


def test_correlation_by_method_labels_each_point(qtbot):
    chart = CorrelationChart()
    qtbot.addWidget(chart)
    x, y = [1.0, 2.0, 3.5, 4.0], [2.0, 1.0, 4.0, 5.0]
    methods = ["gamma", "hypir", "nano", "unsharp"]
    result = Correlation("niqe", "human", "method", methods, x, y, coefficients(x, y))
    chart.resize(600, 500)
    chart.show_result(result)
    assert chart.points() == list(zip(x, y, strict=True))
    assert [label.toPlainText() for label in chart.labels] == methods
    assert [chart.table.item(r, 1).text() for r in range(3)] == [
        f"{c.value:.4f}" for c in result.coefficients
    ]
    constant = Correlation("niqe", "psnr", "image", ["1", "2", "3"], [1, 2, 3], [4, 4, 4])
    constant.coefficients = coefficients(constant.x, constant.y)
    chart.show_result(constant)
    assert chart.labels == [] and chart.table.item(0, 1).text() == "undefined"
    assert chart.table.item(0, 2).text() == "-"


def test_stability_table_marks_only_significant_tests(qtbot):
    table = StabilityTable()
    qtbot.addWidget(table)
    rows = [
        StabilityRow("S1", "psnr", 7.6, 0.0224, 5, 3, True),
        StabilityRow("S1", "niqe", 0.4, 0.8187, 5, 3, False),
        StabilityRow("L3", "psnr", None, None, 1, 3, None, "needs at least 2 images"),
        StabilityRow("L3", "niqe", 1.0, 0.6065, 4, 3, False),
    ]
    table.show_rows(rows, "prompt", ["psnr", "niqe"])
    assert table.rowCount() == 4 and table.significant_cells == {(0, 2), (1, 2)}
    assert table.item(1, 2).background().color() == SIGNIFICANT_TINT
    assert table.item(2, 2).text() == "-" and table.value_at(2, 2) is None
    assert "needs at least 2 images" in table.item(2, 2).toolTip()
    assert table.value_at(3, 3) == 0.6065 and table.item(3, 3).text() == "0.607"
