"""The local engine: error rows, resume, and a job killed with SIGKILL then resumed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from core.dataset import DatasetJob, run_job
from core.dataset.results import ResultsStore, read_rows
from core.imageio import save_png
from tests.core.dataset.conftest import METRICS, make_dataset

REPO = Path(__file__).resolve().parents[3]


def test_unreadable_and_unmatched_images_become_error_rows(tmp_path, dataset):
    noisy, clean = make_dataset(tmp_path / "d", n=3)
    (noisy / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    save_png(noisy / "orphan.png", np.zeros((48, 48, 3), np.float32))  # no reference
    save_png(noisy / "set0/img000.png", np.zeros((16, 16, 3), np.float32))  # another size
    out = tmp_path / "r.csv"
    summary = run_job(DatasetJob(str(noisy), METRICS, str(out), ref_dir=str(clean), device="cpu"))
    rows = read_rows(out)
    assert summary.rows_written == len(rows) == 5 * 2
    errors = {(Path(r["path"]).name, r["metric"]): r["error"] for r in rows if r["error"]}
    assert summary.errors == len(errors) == 4
    assert "broken.png" in errors["broken.png", "psnr"]
    assert "no reference" in errors["orphan.png", "ssim"]
    # another size is resized to the reference's, as iris score does, and keyed so
    resized = [r for r in rows if Path(r["path"]).name == "img000.png"]
    assert {r["metric_version"].split("+")[-1] for r in resized} == {"align=resize:bicubic"}
    good = [r for r in rows if not r["error"]]
    assert all(r["value"] > 0 and r["sha256"] and r["reference_sha256"] for r in good)


def test_resume_computes_only_missing_rows(tmp_path, dataset):
    noisy, clean = dataset
    out = tmp_path / "r.parquet"
    first = run_job(DatasetJob(str(noisy), ["psnr"], str(out), ref_dir=str(clean), device="cpu"))
    assert first.rows_written == 30
    second = run_job(DatasetJob(str(noisy), METRICS, str(out), ref_dir=str(clean), device="cpu"))
    assert (second.rows_written, second.rows_skipped, second.rows_total) == (30, 30, 60)
    rows = read_rows(out)
    assert Counter(r["metric"] for r in rows) == {"psnr": 30, "ssim": 30}
    third = run_job(DatasetJob(str(noisy), METRICS, str(out), ref_dir=str(clean), device="cpu"))
    assert (third.rows_written, third.rows_total) == (0, 60)


def test_killed_job_resumes_where_it_stopped(tmp_path):
    noisy, clean = make_dataset(tmp_path / "d", n=30, size=160)
    out = tmp_path / "r.parquet"
    command = [
        sys.executable, "-m", "app", "score", "--dataset", str(noisy),
        "--ref-dir", str(clean), "--metrics", ",".join(METRICS), "--batch-size", "1",
        "--device", "cpu", "--out", str(out),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE)
    store = ResultsStore(out)
    deadline = time.monotonic() + 240  # a loaded machine (or coverage) starts torch slowly
    while len(store.part_files()) < 3:
        assert process.poll() is None, "the job ended before it could be killed"
        assert time.monotonic() < deadline, "no three committed parts in 240 s"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    committed = store.read()
    assert 0 < len(committed) < 60 and not out.exists()
    resumed = run_job(DatasetJob(str(noisy), METRICS, str(out), ref_dir=str(clean), device="cpu"))
    assert resumed.rows_written == 60 - len(committed)
    rows = read_rows(out)
    keys = Counter((r["relpath"], r["metric"]) for r in rows)
    assert len(rows) == 60 and set(keys.values()) == {1}
    assert not any(r["error"] for r in rows)


def test_a_fixed_file_is_rescored_and_retry_errors_reruns_failed_rows(tmp_path):
    noisy, clean = make_dataset(tmp_path / "d", n=2)
    target = noisy / "set1/img001.png"
    good = target.read_bytes()
    target.write_bytes(b"")  # broken for now
    job = DatasetJob(str(noisy), ["psnr"], str(tmp_path / "r.csv"), ref_dir=str(clean))
    assert run_job(job).errors == 1
    target.write_bytes(good)  # new content, new key: scored, and its old error row goes
    fixed = run_job(job)
    assert (fixed.rows_written, fixed.errors, fixed.rows_total) == (1, 0, 2)
    job.max_pixels = 10  # every image now fails the same way; its content is unchanged
    job.out = str(tmp_path / "r2.csv")
    assert run_job(job).errors == 2
    job.max_pixels = None
    assert run_job(job).rows_written == 0  # error rows count as done ...
    job.retry_errors = True
    retried = run_job(job)  # ... unless asked to retry them
    assert (retried.rows_written, retried.errors, retried.rows_total) == (2, 0, 2)
    assert not any(r["error"] for r in read_rows(job.out))


def test_cancel_stops_between_batches_and_keeps_committed_rows(tmp_path, dataset):
    import threading

    import pytest

    from core.errors import Cancelled

    noisy, clean = dataset
    cancel = threading.Event()
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append(done)
        if done >= 4:
            cancel.set()

    out = tmp_path / "r.csv"
    job = DatasetJob(str(noisy), ["psnr"], str(out), ref_dir=str(clean), batch_size=2)
    with pytest.raises(Cancelled):
        run_job(job, progress=progress, cancel=cancel)
    assert calls == [0, 2, 4]
    assert len(ResultsStore(out).read()) == 4 and not out.exists()
    assert run_job(job).rows_written == 26


def test_imported_rows_are_the_project_cache(tmp_path):
    """Scoring a project as a dataset fills the same cache keys ``iris score --project`` reads."""
    from core.dataset.importer import import_results
    from core.metrics.scoring import score_project
    from core.sample_project import build_sample_project

    project = build_sample_project(tmp_path / "p")
    out = tmp_path / "r.csv"
    run_job(DatasetJob(dataset=str(project), metrics=["entropy", "psnr"], out=str(out)))
    import_results(project, out)
    report = score_project(project, ["entropy"], run="gradient-generation-loss-r1")
    assert report.computed == 0 and report.cached == 21
    report = score_project(project, ["psnr"], run="gradient-generation-loss-r1", reference="input")
    assert report.computed == 0 and report.cached == 20
