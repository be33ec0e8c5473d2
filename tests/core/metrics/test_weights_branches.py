"""Weights: hub errors said as missing files, declared-file lookup edges, and what the weights
environment changes and puts back (on stand-in pyiqa / torch.hub modules: no torch import)."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import pytest

from core.metrics import weights
from core.metrics.weights import (
    WeightsConfig,
    WeightsMissing,
    as_weights_error,
    declared_files,
    weights_environment,
)

# ---- as_weights_error ------------------------------------------------------------------


class LocalEntryNotFoundError(Exception):
    """Named like huggingface_hub's: recognised by name, without importing the hub."""


class OfflineModeIsEnabled(ConnectionError):
    pass


class GatedOffline(OfflineModeIsEnabled):
    """A subclass is recognised through its ancestors' names."""


def test_a_hub_cache_miss_is_a_missing_weights_file_naming_the_repo(tmp_path):
    config = WeightsConfig(tmp_path)
    error = as_weights_error(
        "clipiqa",
        LocalEntryNotFoundError("cannot find openai/clip-vit-base-patch32 in cache"),
        config,
    )
    assert isinstance(error, WeightsMissing)
    assert (error.metric, error.file_name) == ("clipiqa", "openai/clip-vit-base-patch32")
    assert error.folder == tmp_path / "huggingface" and error.url == ""
    assert "download it from" not in str(error)
    assert str(tmp_path / "huggingface") in str(error)


def test_a_hub_error_without_a_repo_name_says_so_generally(tmp_path):
    error = as_weights_error("qalign", GatedOffline("offline mode is on"), WeightsConfig(tmp_path))
    assert error.file_name == "a Hugging Face hub model"


def test_other_errors_are_not_weights_errors(tmp_path):
    config = WeightsConfig(tmp_path)
    assert as_weights_error("lpips", ConnectionError("a/b refused"), config) is None
    assert as_weights_error("lpips", ValueError("x/y"), config) is None


# ---- declared_files ----------------------------------------------------------------------


def _toy(monkeypatch, opts, source):
    monkeypatch.setattr(weights, "default_configs", lambda: {"toy-metric": {"metric_opts": opts}})
    monkeypatch.setattr(
        weights, "_arch_source", lambda arch: source if arch == opts["type"] else ""
    )


def test_an_arch_with_only_a_url_entry_gives_that_files_name(monkeypatch):
    source = (
        'default_model_urls = {\n    "url": "https://example.invalid/w/toy-1234.pth?raw=1",\n}\n'
    )
    _toy(monkeypatch, {"type": "ToyArch"}, source)
    assert declared_files("toy-metric") == ["toy-1234.pth"]


def test_an_option_naming_a_key_wins_over_the_url_entry(monkeypatch):
    source = (
        "default_model_urls = {\n"
        '    "url": "https://example.invalid/generic.pth",\n'
        "    'koniq': get_url_from_name(name='toy koniq.pth'),\n"
        '    "0.2_alex": get_url_from_name("toy_alex.pth"),\n'
        "}\n"
    )
    _toy(monkeypatch, {"type": "ToyArch", "pretrained": "koniq"}, source)
    assert declared_files("toy-metric") == ["toy%20koniq.pth"]  # quoted, as pyiqa's URL
    _toy(monkeypatch, {"type": "ToyArch", "net": "alex", "version": "0.2"}, source)
    assert declared_files("toy-metric") == ["toy_alex.pth"]
    _toy(monkeypatch, {"type": "ToyArch", "net": "alex"}, source)  # version 0.1: no such key
    assert declared_files("toy-metric") == ["generic.pth"]


def test_an_arch_without_declared_urls_declares_nothing(monkeypatch):
    _toy(monkeypatch, {"type": "ToyArch"}, "class ToyArch:\n    pass\n")
    assert declared_files("toy-metric") == []


def test_an_unknown_arch_has_no_source():
    assert weights._arch_source("NoSuchArchAnywhere") == ""
    assert weights._declared("") == {}


# ---- weights_environment on stand-in modules ----------------------------------------------


def _original_download(*args, **kwargs):
    return "downloaded"


@pytest.fixture
def stand_ins(monkeypatch, tmp_path):
    """Fake pyiqa.utils.download_util, torch.hub and (absent) huggingface_hub.constants."""
    download_util = types.ModuleType("pyiqa.utils.download_util")
    download_util.DEFAULT_CACHE_DIR = "/original/cache"
    download_util.download_url_to_file = _original_download
    utils = types.ModuleType("pyiqa.utils")
    utils.download_util = download_util
    pyiqa = types.ModuleType("pyiqa")
    pyiqa.utils = utils
    hub = types.ModuleType("torch.hub")
    hub.download_url_to_file = _original_download
    hub.state = {"dir": "/original/hub"}
    hub.get_dir = lambda: hub.state["dir"]
    hub.set_dir = lambda d: hub.state.__setitem__("dir", d)
    torch = types.ModuleType("torch")
    torch.hub = hub
    for name, module in [
        ("pyiqa", pyiqa),
        ("pyiqa.utils", utils),
        ("pyiqa.utils.download_util", download_util),
        ("torch", torch),
        ("torch.hub", hub),
    ]:
        monkeypatch.setitem(sys.modules, name, module)
    # whatever the test puts under this name is removed afterwards, the real module put back
    monkeypatch.setitem(sys.modules, "huggingface_hub.constants", None)
    monkeypatch.delitem(sys.modules, "huggingface_hub.constants")
    monkeypatch.setenv("HF_HOME", "unset-below")
    monkeypatch.delenv("HF_HOME")  # the environment sets it; monkeypatch removes it afterwards
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.setenv(name, "before")
        monkeypatch.delenv(name)
    import urllib.request

    monkeypatch.setattr(urllib.request, "urlopen", _original_download)
    return types.SimpleNamespace(download_util=download_util, hub=hub, folder=tmp_path / "w")


def test_refusing_downloads_replaces_and_restores_everything(stand_ins, monkeypatch):
    import urllib.request

    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "0")  # a value set before is put back
    config = WeightsConfig(stand_ins.folder)
    dl, hub = stand_ins.download_util, stand_ins.hub
    with weights_environment("toy", config):
        assert config.pyiqa_dir.is_dir()
        assert str(config.pyiqa_dir) == dl.DEFAULT_CACHE_DIR
        assert hub.get_dir() == str(stand_ins.folder)
        assert os.environ["HF_HOME"] == str(stand_ins.folder / "huggingface")
        assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
        with pytest.raises(WeightsMissing) as caught:
            dl.download_url_to_file("https://example.invalid/a/b.pth", "/some/dir/b.pth")
        assert (caught.value.file_name, caught.value.folder) == ("b.pth", Path("/some/dir"))
        assert caught.value.url == "https://example.invalid/a/b.pth"
        with pytest.raises(WeightsMissing, match="c.pth"):
            hub.download_url_to_file("https://example.invalid/c.pth", "/x/c.pth")
        request = types.SimpleNamespace(full_url="https://example.invalid/clip/RN50.pt")
        with pytest.raises(WeightsMissing) as caught:
            urllib.request.urlopen(request)
        assert caught.value.folder == stand_ins.folder / "clip"
        assert caught.value.file_name == "RN50.pt"
        # a library imports the hub's constants while offline is forced
        constants = types.SimpleNamespace(HF_HUB_OFFLINE=True)
        sys.modules["huggingface_hub.constants"] = constants
    assert dl.DEFAULT_CACHE_DIR == "/original/cache"
    assert dl.download_url_to_file is _original_download
    assert hub.download_url_to_file is _original_download
    assert hub.get_dir() == "/original/hub"
    assert urllib.request.urlopen is _original_download
    assert "HF_HUB_OFFLINE" not in os.environ
    assert os.environ["TRANSFORMERS_OFFLINE"] == "0"
    assert constants.HF_HUB_OFFLINE is False  # HF_HUB_OFFLINE was unset before: not offline


def test_constants_loaded_before_are_forced_offline_then_put_back(stand_ins, monkeypatch):
    constants = types.SimpleNamespace(HF_HUB_OFFLINE=False)
    monkeypatch.setitem(sys.modules, "huggingface_hub.constants", constants)
    with weights_environment("toy", WeightsConfig(stand_ins.folder)):
        assert constants.HF_HUB_OFFLINE is True
    assert constants.HF_HUB_OFFLINE is False


def test_constants_imported_inside_follow_an_offline_setting_made_before(stand_ins, monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "YES")
    with weights_environment("toy", WeightsConfig(stand_ins.folder)):
        constants = types.SimpleNamespace(HF_HUB_OFFLINE="as imported")
        sys.modules["huggingface_hub.constants"] = constants
    assert constants.HF_HUB_OFFLINE is True
    assert os.environ["HF_HUB_OFFLINE"] == "YES"


def test_allowing_downloads_only_points_the_folders(stand_ins, monkeypatch):
    import urllib.request

    constants = types.SimpleNamespace(HF_HUB_OFFLINE="untouched")
    monkeypatch.setitem(sys.modules, "huggingface_hub.constants", constants)
    config = WeightsConfig(stand_ins.folder, allow_downloads=True)
    dl, hub = stand_ins.download_util, stand_ins.hub
    with weights_environment("toy", config):
        assert str(config.pyiqa_dir) == dl.DEFAULT_CACHE_DIR
        assert hub.get_dir() == str(stand_ins.folder)
        assert dl.download_url_to_file is _original_download
        assert hub.download_url_to_file is _original_download
        assert urllib.request.urlopen is _original_download
        assert "HF_HUB_OFFLINE" not in os.environ and "TRANSFORMERS_OFFLINE" not in os.environ
        assert constants.HF_HUB_OFFLINE == "untouched"
    assert constants.HF_HUB_OFFLINE == "untouched"
    assert dl.DEFAULT_CACHE_DIR == "/original/cache" and hub.get_dir() == "/original/hub"


def test_the_environment_is_restored_when_the_build_fails(stand_ins):
    dl = stand_ins.download_util
    config = WeightsConfig(stand_ins.folder)
    with pytest.raises(RuntimeError, match="build failed"), weights_environment("toy", config):
        raise RuntimeError("build failed")
    assert dl.download_url_to_file is _original_download
    assert "HF_HUB_OFFLINE" not in os.environ
