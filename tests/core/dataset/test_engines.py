"""The dataset engines registry: names in order, unknown names listed, modules loaded on use."""

from __future__ import annotations

import subprocess
import sys

import pytest

from core.dataset.engines import ENGINES, Engine, get_engine
from core.dataset.job import DatasetJob, run_job
from core.errors import IrisError


def test_engines_are_local_then_ray_and_each_is_an_engine():
    assert ENGINES.names() == ["local", "ray"]
    assert all(isinstance(get_engine(name), Engine) for name in ENGINES.names())
    assert get_engine("ray").prepare.__name__ == "require_ray"


def test_an_unknown_engine_is_refused_naming_the_known_ones(tmp_path):
    job = DatasetJob(dataset=str(tmp_path), metrics=["psnr"], out=str(tmp_path / "r.csv"))
    job.engine = "spark"
    with pytest.raises(IrisError, match=r"^unknown engine 'spark'; known: local, ray$"):
        run_job(job)


def test_listing_engines_imports_no_engine_module():
    code = (
        "import sys\nfrom core.dataset.engines import ENGINES\nENGINES.names()\n"
        "print([m for m in ('core.dataset.local_engine', 'core.dataset.ray_engine') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
