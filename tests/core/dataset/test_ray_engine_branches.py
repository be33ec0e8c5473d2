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


def test_a_job_with_nothing_left_returns_before_joining_ray(tmp_path, monkeypatch):
    """Everything already scored (or nothing to score): no cluster is joined or started."""
    import core.dataset.ray_engine as ray_engine
    from core.dataset.results import ResultsStore

    joined = []
    monkeypatch.setattr(ray_engine, "_connect", lambda ray, job: joined.append(job) or True)
    steps = []
    job = DatasetJob("d", ["psnr"], str(tmp_path / "r.csv"), engine="ray")
    report = ray_engine.run_ray(
        job, [], ResultsStore(tmp_path / "r.csv"), set(), progress=lambda *a: steps.append(a)
    )
    assert report.rows_written == 0 and joined == [] and steps == [(0, 0)]


class FakeHandle:
    pass


class FakeRemote:
    def options(self, **kwargs):
        return self


class PoolRay:
    def __init__(self):
        self.killed = []

    def remote(self, actor_class):
        return FakeRemote()

    def kill(self, handle, no_restart):
        self.killed.append((handle, no_restart))


def test_a_worker_that_dies_before_starting_is_killed_and_the_last_death_ends_the_job():
    from core.dataset.ray_engine import _Pool

    ray = PoolRay()
    pool = _Pool(ray, object, DatasetJob("d", ["psnr"], "r.csv", engine="ray"))
    handle = FakeHandle()
    pool.death_limit = 1
    pool._lost(None, handle, RuntimeError("node gone"))  # no actor yet: nothing requeued
    assert ray.killed == [(handle, True)] and pool.deaths == 1 and pool.lost == []
    with pytest.raises(IrisError) as caught:
        pool._lost(None, FakeHandle(), RuntimeError("trace\nOSError: out of disk"))
    assert str(caught.value) == (
        "every Ray worker died (last: OSError: out of disk); the rows committed "
        "so far are kept: run the same command again to resume"
    )
