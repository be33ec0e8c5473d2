"""The metric modules import neither Qt nor torch/pyiqa: listing metrics and the CLI stay fast."""

from __future__ import annotations

from tests.core.test_core_no_qt import modules_after


def test_metric_modules_are_light_until_a_metric_is_built():
    loaded = modules_after(
        "import core.metrics.catalogue, core.metrics.weights, core.metrics.engine, "
        "core.metrics.scoring, core.metrics.series, core.metrics.judges, core.metrics.gaps\n"
        "from core.metrics.catalogue import metric_names, metric_info\n"
        "assert len(metric_names()) > 90 and metric_info('niqe').offline"
    )
    assert loaded == {name: name == "numpy" for name in loaded}  # numpy is core's array type
