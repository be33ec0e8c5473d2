"""A dataset job's refused options (each at its edge) and a job over items the caller picked."""

from __future__ import annotations

import pytest

from core.dataset.discovery import discover
from core.dataset.job import DatasetJob, run_job
from core.dataset.results import read_rows
from core.errors import IrisError
from tests.core.dataset.conftest import make_dataset


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return make_dataset(tmp_path_factory.mktemp("small"), n=3, size=16)


def job_of(noisy, clean, out, **options) -> DatasetJob:
    return DatasetJob(str(noisy), ["psnr"], str(out), ref_dir=str(clean), device="cpu", **options)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"metrics": []}, "say which metrics to compute: --metrics psnr,ssim"),
        ({"batch_size": 0}, "--batch-size must be at least 1"),
        ({"batch_size": -3}, "--batch-size must be at least 1"),
        ({"gpus_per_worker": -0.5}, "--gpus-per-worker must not be negative"),
    ],
)
def test_a_refused_option_stops_the_job_before_any_file_is_written(tmp_path, options, message):
    out = tmp_path / "r.csv"
    job = DatasetJob(str(tmp_path), ["psnr"], str(out))
    for name, value in options.items():
        setattr(job, name, value)
    with pytest.raises(IrisError) as caught:
        run_job(job)
    assert str(caught.value) == message
    assert not out.exists()


def test_an_unknown_metric_is_refused_before_the_results_file_exists(tmp_path, small):
    noisy, clean = small
    out = tmp_path / "r.csv"
    job = job_of(noisy, clean, out)
    job.metrics = ["psnr", "no-such-metric"]
    with pytest.raises(IrisError, match="no-such-metric"):
        run_job(job)
    assert not out.exists()


def test_the_accepted_edges_batch_of_one_and_no_gpus_score_every_image(tmp_path, small):
    noisy, clean = small
    out = tmp_path / "r.csv"
    summary = run_job(job_of(noisy, clean, out, batch_size=1, gpus_per_worker=0.0))
    rows = read_rows(out)
    assert (summary.images, summary.rows_written, summary.rows_total) == (3, 3, 3)
    assert summary.errors == 0 and summary.rows_skipped == 0
    assert summary.metrics == ["psnr"] and summary.engine == "local"
    assert summary.out == str(out.resolve())
    assert all(r["value"] > 0 and not r["error"] for r in rows)


def test_items_given_by_the_caller_replace_discovery(tmp_path, small):
    noisy, clean = small
    items = discover(noisy, ref_dir=clean)
    assert len(items) == 3
    chosen = [items[2], items[0]]
    out = tmp_path / "r.csv"
    summary = run_job(job_of(noisy, clean, out), items=chosen)
    assert (summary.images, summary.rows_written, summary.rows_total) == (2, 2, 2)
    assert sorted(r["path"] for r in read_rows(out)) == sorted(i.path for i in chosen)
    # a second job over every image computes only the one left out, the others are skipped
    again = run_job(job_of(noisy, clean, out))
    assert (again.images, again.rows_written, again.rows_skipped) == (3, 1, 2)
    assert again.rows_total == 3
    assert again.as_dict()["rows_total"] == 3
