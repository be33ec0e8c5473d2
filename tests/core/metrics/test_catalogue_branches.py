"""The metric catalogue: JSON form of a metric's facts, range parsing edges, VLM metrics, offline list."""

from __future__ import annotations

import importlib.util
from types import SimpleNamespace

import pytest

from core.errors import RegistryError
from core.metrics import catalogue
from core.metrics.catalogue import (
    NO_WEIGHTS,
    SHIPPED_FILES,
    default_configs,
    metric_info,
    offline_metrics,
    parse_range,
)


def test_as_dict_is_the_json_form_of_the_facts():
    brisque = metric_info("brisque").as_dict()
    assert brisque == {
        "name": "brisque",
        "mode": "NR",
        "lower_better": True,
        "range": [0, 150],
        "offline": True,
        "shipped_file": "brisque_svm_weights.pth",
    }
    assert metric_info("lpips").as_dict()["shipped_file"] is None
    assert metric_info("lpips").full_reference and not metric_info("brisque").full_reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0, 1", (0.0, 1.0)),
        ("~-1, ~2", (-1.0, 2.0)),
        ("quality: 0, 1; rank: 0, 2", (0.0, 1.0)),  # the first part alone
        ("0, ~", (0.0, 1.0)),  # an open top: one number, one unit above it
        ("5", (5.0, 6.0)),
        ("10, 2", (10.0, 11.0)),  # not increasing: the first number and one above
        ("3, 3", (3.0, 4.0)),  # equal ends are no range either
        ("", (0.0, 1.0)),
        (None, (0.0, 1.0)),
        ("unknown", (0.0, 1.0)),
    ],
)
def test_parse_range_edges(text, expected):
    assert parse_range(text) == expected


def test_a_vlm_metric_has_its_own_facts():
    from core.local_models.vlm_metrics import VLM_METRICS

    info = metric_info("visualquality_r1")
    assert info.range == VLM_METRICS["visualquality_r1"].range == (1.0, 5.0)
    assert (info.mode, info.lower_better, info.offline, info.shipped_file) == (
        "NR",
        False,
        False,
        None,
    )
    assert catalogue.is_vlm_metric("visualquality_r1") and not catalogue.is_vlm_metric("niqe")


def test_an_unknown_metric_lists_the_known_ones():
    with pytest.raises(
        RegistryError, match=r"unknown metric 'no-such'; known: .*lpips.*visualquality_r1"
    ):
        metric_info("no-such")


def test_offline_metrics_are_the_weightless_and_shipped_ones_pyiqa_has():
    offline = offline_metrics()
    assert offline == sorted(offline)
    expected = {name for name in default_configs() if name in NO_WEIGHTS or name in SHIPPED_FILES}
    assert set(offline) == expected
    assert {"psnr", "ssim", "brisque", "niqe"} <= set(offline)
    assert "lpips" not in offline and "visualquality_r1" not in offline


@pytest.mark.parametrize(
    "spec",
    [None, SimpleNamespace(submodule_search_locations=None)],
    ids=["absent", "a module, not a package"],
)
def test_pyiqa_dir_without_the_package_is_a_registry_error(monkeypatch, spec):
    real = importlib.util.find_spec

    def find_spec(name, *args, **kwargs):
        return spec if name == "pyiqa" else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with pytest.raises(RegistryError, match="pyiqa is not installed"):
        catalogue.pyiqa_dir()
