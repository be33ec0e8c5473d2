"""Missing weights fail fast, naming the file and the folder; nothing touches the network."""

from __future__ import annotations

import time

import pytest

from core.metrics.engine import load_metric
from core.metrics.weights import (
    WeightsConfig,
    WeightsMissing,
    check_weights,
    declared_files,
    weights_environment,
)


def test_declared_files_follow_pyiqa_settings():
    assert declared_files("lpips") == ["LPIPS_v0.1_alex-df73285e.pth"]
    assert declared_files("musiq-ava") == ["musiq_ava_ckpt-e8d3f067.pth"]
    assert declared_files("topiq_nr") == ["cfanet_nr_koniq_res50-9a73138b.pth"]
    assert declared_files("psnr") == [] and declared_files("brisque") == []


def test_missing_weights_fail_in_under_two_seconds_naming_file(empty_weights, no_network):
    start = time.perf_counter()
    with pytest.raises(WeightsMissing) as caught:
        load_metric("lpips", "cpu")
    assert time.perf_counter() - start < 2.0
    message = str(caught.value)
    assert "LPIPS_v0.1_alex-df73285e.pth" in message
    assert str(empty_weights / "pyiqa") in message
    assert caught.value.file_name == "LPIPS_v0.1_alex-df73285e.pth"


def test_present_file_passes_the_precheck(empty_weights):
    config = WeightsConfig(empty_weights)
    with pytest.raises(WeightsMissing, match="musiq_koniq_ckpt-e95806b9.pth"):
        check_weights("musiq", config)  # absent: refused, naming the file
    (empty_weights / "pyiqa").mkdir()
    (empty_weights / "pyiqa" / "musiq_koniq_ckpt-e95806b9.pth").write_bytes(b"x")
    check_weights("musiq", config)  # present: no error, the file is where pyiqa looks


def test_allowing_downloads_lets_a_missing_file_through_the_precheck(empty_weights):
    with pytest.raises(WeightsMissing, match="LPIPS_v0.1_alex"):
        check_weights("lpips", WeightsConfig(empty_weights))
    check_weights("lpips", WeightsConfig(empty_weights, allow_downloads=True))  # pyiqa fetches


def test_downloads_the_precheck_cannot_foresee_are_refused_at_once(empty_weights, no_network):
    config = WeightsConfig(empty_weights)
    with weights_environment("some-metric", config):
        from pyiqa.utils.download_util import load_file_from_url

        start = time.perf_counter()
        with pytest.raises(WeightsMissing, match="extra_weights.pth") as caught:
            load_file_from_url("https://example.invalid/files/extra_weights.pth")
        assert time.perf_counter() - start < 0.5
        assert caught.value.folder == empty_weights / "pyiqa"
        import urllib.request

        with pytest.raises(WeightsMissing, match="RN50.pt"):
            urllib.request.urlopen("https://example.invalid/clip/RN50.pt")
    import pyiqa.utils.download_util as download_util

    assert str(config.pyiqa_dir) != download_util.DEFAULT_CACHE_DIR  # restored afterwards
