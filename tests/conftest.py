"""Test harness: headless Qt, isolated settings and data folders, and no leaked threads.

- ``QT_QPA_PLATFORM=offscreen`` unless a test session asked for Xvfb (``gl`` tests).
- Every test gets its own ``IRIS_CONFIG_DIR`` and ``IRIS_DATA_DIR`` (subprocesses inherit them).
- A test that leaves a compute worker or a Python thread running fails.
- Tests marked ``gpu`` skip, saying why, when no CUDA device is present.
"""

from __future__ import annotations

import os
import threading
import time

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# opencv-python's import points Qt at its own plugins; Qt 6 must not follow it.
os.environ.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory, monkeypatch):
    """Settings and user data of each test live in fresh temporary folders."""
    root = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("IRIS_CONFIG_DIR", str(root / "config"))
    monkeypatch.setenv("IRIS_DATA_DIR", str(root / "data"))
    return root


@pytest.fixture(autouse=True)
def no_leaked_threads():
    """Fail a test that leaves a compute worker or a non-daemon Python thread running."""
    before = {t.ident for t in threading.enumerate()}
    yield
    import sys

    if "app.worker" in sys.modules:
        leaked_workers = sys.modules["app.worker"].running_workers()
        for worker in leaked_workers:
            worker.shutdown(5000)
        assert not leaked_workers, "a ComputeWorker was left running: call worker.shutdown()"
    deadline = time.monotonic() + 2.0
    while True:
        leaked = [
            t
            for t in threading.enumerate()
            if t.ident not in before and t.is_alive() and not t.daemon
        ]
        if not leaked or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert not leaked, f"threads left running: {[t.name for t in leaked]}"


@pytest.fixture
def worker(qapp):
    """A compute worker that is shut down (and checked) after the test."""
    from app.worker import ComputeWorker

    instance = ComputeWorker()
    yield instance
    assert instance.shutdown(10_000), "the compute worker did not stop"


@pytest.fixture
def project(tmp_path):
    """An empty, open project in a temporary folder."""
    from core.project import Project

    with Project.create(tmp_path / "project", name="test") as opened:
        yield opened


def _cuda_available() -> bool:
    try:
        import torch

        return torch.cuda.is_available()
    except Exception:
        return False


def pytest_collection_modifyitems(config, items):
    gpu_items = [item for item in items if "gpu" in item.keywords]
    if gpu_items and not _cuda_available():
        skip = pytest.mark.skip(reason="needs a CUDA GPU; none is present on this machine")
        for item in gpu_items:
            item.add_marker(skip)
