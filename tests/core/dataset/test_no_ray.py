"""Without Ray installed the local engine works and ``--engine ray`` says how to get Ray."""

from __future__ import annotations

import sys

import pytest

from core.dataset import DatasetJob, run_job
from core.dataset.ray_engine import INSTALL_HINT, require_ray
from core.errors import IrisError


def test_missing_ray_gives_an_install_hint(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` now raises ImportError
    with pytest.raises(IrisError) as caught:
        require_ray()
    assert "pip install 'iris-studio[cluster]'" in str(caught.value)
    with pytest.raises(IrisError, match="needs Ray"):
        run_job(DatasetJob(str(tmp_path), ["psnr"], str(tmp_path / "r.csv"), engine="ray"))
    assert not (tmp_path / "r.csv").exists()
    assert "\n" not in INSTALL_HINT
