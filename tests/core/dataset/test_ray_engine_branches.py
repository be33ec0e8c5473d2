"""ray_engine's driver-side helpers without a cluster: joining Ray (and its refusal naming the
address), the last line of a worker's error, the rows of a block that kept killing workers,
and the pool's smallest size."""

from __future__ import annotations

import pytest

from core.dataset.job import DatasetJob
from core.dataset.ray_engine import MAX_ATTEMPTS, _connect, _died_rows, _last_line, pool_size
from core.errors import IrisError


class FakeRay:
    def __init__(self, initialized=False, error=None):
        self.initialized, self.error, self.calls = initialized, error, []

    def is_initialized(self):
        return self.initialized

    def init(self, **kwargs):
        self.calls.append(kwargs)
        if self.error:
            raise self.error


def test_joining_an_address_starts_ray_once_and_quietly():
    ray = FakeRay()
    job = DatasetJob("d", ["psnr"], "r.csv", engine="ray", address="10.0.0.1:6379")
    assert _connect(ray, job) is True
    assert ray.calls == [
        {
            "address": "10.0.0.1:6379",
            "include_dashboard": False,
            "log_to_driver": False,
            "configure_logging": False,
        }
    ]
    assert _connect(FakeRay(initialized=True), job) is False  # already joined: left as it is


@pytest.mark.parametrize("error", [ConnectionError("refused"), RuntimeError("no"), ValueError("x")])
def test_a_failed_join_names_the_address_or_the_local_instance(error):
    job = DatasetJob("d", ["psnr"], "r.csv", engine="ray", address="10.0.0.1:6379")
    with pytest.raises(IrisError) as caught:
        _connect(FakeRay(error=error), job)
    assert str(caught.value) == f"cannot connect to Ray at 10.0.0.1:6379: {error}"
    assert caught.value.__cause__ is error
    local = DatasetJob("d", ["psnr"], "r.csv", engine="ray")
    with pytest.raises(IrisError, match="at a local Ray instance: "):
        _connect(FakeRay(error=error), local)


def test_the_last_line_of_a_worker_error_is_kept_and_bounded():
    assert _last_line(RuntimeError("Traceback...\n  File x\n\nValueError: bad pixels\n")) == (
        "ValueError: bad pixels"
    )
    assert _last_line(RuntimeError("")) == "RuntimeError"
    assert _last_line(RuntimeError("x" * 500)) == "x" * 300


def test_a_block_that_kept_killing_workers_gets_one_error_row_per_image_and_metric():
    job = DatasetJob("d", ["psnr", "ssim"], "r.csv", engine="ray")
    block = [{"path": "a.png", "metrics": ["psnr", "ssim"]}, {"path": "b.png", "metrics": ["ssim"]}]
    rows = _died_rows(block, job)
    assert [(row["path"], row["metric"]) for row in rows] == [
        ("a.png", "psnr"),
        ("a.png", "ssim"),
        ("b.png", "ssim"),
    ]
    assert all(row["worker"] == "ray-driver" for row in rows)
    assert (
        rows[0]["error"]
        == f"a.png: the Ray worker scoring this image died {MAX_ATTEMPTS} times (a crash on it?)"
    )


def test_the_pool_has_at_least_one_actor_and_never_more_than_the_items():
    job = DatasetJob("d", ["psnr"], "r.csv", engine="ray")
    assert pool_size({}, job, 10) == 1  # a cluster reporting no CPUs still gets one actor
    assert pool_size({"CPU": 0.5}, job, 10) == 1
    assert pool_size({"CPU": 8.0}, job, 0) == 1
