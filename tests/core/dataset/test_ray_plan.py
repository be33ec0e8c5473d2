"""The Ray driver's plan: done rows filtered here, blocks many per actor, pool from resources."""

from __future__ import annotations

import pytest

from core.dataset import DatasetJob, run_job
from core.dataset.discovery import DatasetItem, discover
from core.dataset.plan import BLOCKS_PER_WORKER, block_size, blocks, plan_work
from core.dataset.ray_engine import pool_size
from core.dataset.results import ResultsStore
from core.errors import IrisError
from tests.core.dataset.conftest import METRICS


def test_a_fresh_job_plans_every_metric_without_reading_a_file(tmp_path):
    items = [DatasetItem(str(tmp_path / f"missing{i}.png"), f"missing{i}.png") for i in range(3)]
    work = plan_work(items, METRICS, set())
    assert [w["metrics"] for w in work] == [METRICS] * 3
    other = {("0" * 64, "psnr", "some-old-version", "")}  # rows of another version: no reading
    assert plan_work(items, METRICS, other) == work


def test_a_resumed_job_sends_only_what_is_left(tmp_path, dataset):
    noisy, clean = dataset
    out = tmp_path / "r.parquet"
    items = discover(noisy, ref_dir=clean)
    run_job(DatasetJob(str(noisy), ["psnr"], str(out), ref_dir=str(clean), device="cpu"),
            items=items[:10])  # fmt: skip
    done = ResultsStore(out).done_keys()
    work = plan_work(items, METRICS, done)
    assert len(work) == len(items)
    assert [w["metrics"] for w in work[:10]] == [["ssim"]] * 10
    assert [w["metrics"] for w in work[10:]] == [METRICS] * (len(items) - 10)
    run_job(DatasetJob(str(noisy), METRICS, str(out), ref_dir=str(clean), device="cpu"),
            items=items[:10])  # fmt: skip
    left = plan_work(items, METRICS, ResultsStore(out).done_keys())
    assert [w["relpath"] for w in left] == [item.relpath for item in items[10:]]


def test_blocks_are_many_per_worker_and_never_larger_than_a_batch():
    assert block_size(2000, 2, 16) == 16
    assert block_size(64, 16, 16) == 1  # 64 images on 16 actors: one image a block
    size = block_size(300, 3, 16)
    assert len(blocks(list(range(300)), size)) >= 3 * BLOCKS_PER_WORKER
    assert sum(map(len, blocks(list(range(301)), 7))) == 301


def test_the_pool_is_sized_by_the_cluster_not_by_the_batches():
    job = DatasetJob("d", ["psnr"], "r.csv", engine="ray")
    assert pool_size({"CPU": 16.0}, job, 64) == 16  # not 64 / batch size = 4
    assert pool_size({"CPU": 16.0}, job, 5) == 5
    job.gpus_per_worker = 0.25
    assert pool_size({"CPU": 16.0, "GPU": 1.0}, job, 1000) == 4
    assert pool_size({"CPU": 1.0, "GPU": 8.0}, job, 1000) == 2  # 0.5 CPU per GPU worker
    with pytest.raises(IrisError, match="has none"):
        pool_size({"CPU": 16.0}, job, 10)
    job.workers = 3
    assert pool_size({"CPU": 16.0, "GPU": 1.0}, job, 10) == 3
