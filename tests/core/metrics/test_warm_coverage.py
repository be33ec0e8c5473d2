"""core/metrics/warm.py: warm-up builds the cheap metric on the given device, never raises."""

from __future__ import annotations

import threading

import pytest

import core.metrics.engine as engine
from core.jobs import Cancelled
from core.metrics.warm import WARM_METRIC, warm_up_metrics


def test_builds_psnr_on_the_device_it_is_given(monkeypatch):
    calls = []
    monkeypatch.setattr(engine, "load_metric", lambda name, device: calls.append((name, device)))
    assert warm_up_metrics("cpu") is True
    assert calls == [("psnr", "cpu")]
    assert WARM_METRIC == "psnr"


def test_a_failing_metric_library_gives_false_not_an_error(monkeypatch, caplog):
    def broken(name, device):
        raise ImportError("no pyiqa here")

    monkeypatch.setattr(engine, "load_metric", broken)
    with caplog.at_level("INFO", logger="core.metrics.warm"):
        assert warm_up_metrics("cuda") is False
    assert "no pyiqa here" in caplog.text


def test_a_set_cancel_event_stops_before_loading(monkeypatch):
    calls = []
    monkeypatch.setattr(engine, "load_metric", lambda name, device: calls.append(name))
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        warm_up_metrics("cpu", cancel=cancel)
    assert calls == []


def test_an_unset_cancel_event_lets_it_run(monkeypatch):
    monkeypatch.setattr(engine, "load_metric", lambda name, device: None)
    assert warm_up_metrics("cpu", cancel=threading.Event()) is True
