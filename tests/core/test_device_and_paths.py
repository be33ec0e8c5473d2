"""Choosing the compute device (core.device) with torch's CUDA queries replaced, and where
IRIS keeps its files (core.paths) on each platform."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

from core import paths
from core.device import DEVICE_CHOICES, resolve_device


@pytest.fixture
def two_gpus(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda index: f"Fake GPU {index}")


@pytest.mark.parametrize(
    ("choice", "name", "label"),
    [("auto", "cuda:0", "CUDA 0: Fake GPU 0"), ("cuda", "cuda:0", "CUDA 0: Fake GPU 0"),
     ("cuda:1", "cuda:1", "CUDA 1: Fake GPU 1")],
)  # fmt: skip
def test_cuda_choices_name_the_device(two_gpus, choice, name, label):
    info = resolve_device(choice)
    assert (info.name, info.label, info.cuda_available) == (name, label, True)


def test_cpu_is_chosen_when_asked_even_with_a_gpu(two_gpus):
    info = resolve_device("cpu")
    assert info.name == "cpu" and info.cuda_available
    assert info.label == f"CPU, {torch.get_num_threads()} threads"


def test_asking_for_cuda_without_one_falls_back_to_the_cpu_and_says_so(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("cuda").label.startswith("CPU (no CUDA device found), ")
    assert resolve_device("cuda:3").name == "cpu"
    assert resolve_device("auto").label.startswith("CPU, ")  # auto expects no GPU: no remark


def test_a_device_index_past_the_last_gpu_is_refused(two_gpus):
    with pytest.raises(
        ValueError, match=r"no CUDA device 2: this machine has 2 \(cuda:0 to cuda:1\)"
    ):
        resolve_device("cuda:2")


@pytest.mark.parametrize("choice", ["tpu", "cudaX", "cuda:", "cuda:a", "cuda:-1", "CPU", ""])
def test_unknown_devices_are_refused_before_torch_is_asked(choice, monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: pytest.fail("asked torch"))
    with pytest.raises(ValueError, match="unknown device"):
        resolve_device(choice)
    assert DEVICE_CHOICES == ("auto", "cpu", "cuda")


def test_a_project_folder_is_one_holding_iris_db(tmp_path):
    assert not paths.is_project(tmp_path)
    (tmp_path / "iris.db").mkdir()  # a folder of that name is not the database
    assert not paths.is_project(tmp_path)
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "iris.db").write_bytes(b"")
    assert paths.is_project(tmp_path / "p")


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [("linux", {"XDG_DATA_HOME": "/x/share"}, "/x/share/iris"),
     ("linux", {}, "~/.local/share/iris"),
     ("darwin", {}, "~/Library/Application Support/IRIS"),
     ("win32", {"LOCALAPPDATA": "/c/Local"}, "/c/Local/IRIS"),
     ("win32", {}, "~/IRIS")],
)  # fmt: skip
def test_the_user_data_folder_follows_each_platform(monkeypatch, platform, env, expected):
    for name in ("IRIS_DATA_DIR", "XDG_DATA_HOME", "LOCALAPPDATA"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "platform", platform)
    assert paths.user_data_dir() == Path(expected).expanduser()
    assert paths.log_file() == Path(expected).expanduser() / "iris.log"


def test_iris_data_dir_wins_everywhere(monkeypatch, tmp_path):
    monkeypatch.setenv("IRIS_DATA_DIR", str(tmp_path / "d"))
    monkeypatch.setattr(sys, "platform", "win32")
    assert paths.user_data_dir() == tmp_path / "d"
