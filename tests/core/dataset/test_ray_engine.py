"""The Ray engine on a local 2-CPU cluster: same values as local, worker deaths, error rows."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from core.dataset import DatasetJob, run_job
from core.dataset.discovery import discover
from core.dataset.ray_engine import ScoreActor, run_ray
from core.dataset.results import ResultsStore, read_rows
from tests.core.dataset.conftest import METRICS


def _values(path: Path) -> dict[tuple[str, str], float]:
    return {(r["relpath"], r["metric"]): r["value"] for r in read_rows(path)}


def test_ray_and_local_engines_give_identical_values(ray_cluster, dataset, tmp_path):
    noisy, clean = dataset
    common = {"dataset": str(noisy), "metrics": METRICS, "ref_dir": str(clean), "batch_size": 4}
    local = run_job(DatasetJob(out=str(tmp_path / "local.parquet"), device="cpu", **common))
    remote = run_job(DatasetJob(out=str(tmp_path / "ray.parquet"), engine="ray", **common))
    assert local.rows_written == remote.rows_written == 60
    assert remote.errors == 0 and all(w.startswith("ray-cpu:") for w in remote.workers)
    node = ray_cluster.get_runtime_context().get_node_id()
    assert {r["node"] for r in read_rows(tmp_path / "ray.parquet")} == {node}
    assert {r["node"] for r in read_rows(tmp_path / "local.parquet")} == {""}
    local_values, ray_values = (
        _values(tmp_path / "local.parquet"),
        _values(tmp_path / "ray.parquet"),
    )
    assert len(local_values) == 60
    assert ray_values == local_values


def _death_marker(image: Path) -> Path:
    """The file that says a worker already died (``root/noisy/setN/img.png`` -> ``root/died``)."""
    return image.parents[2] / "died"


class DiesOnceActor(ScoreActor):
    """A worker whose process exits on the first attempt of the block holding ``img013``."""

    def score(self, items):
        paths = [Path(item["path"]) for item in items]
        victim = [p for p in paths if p.name == "img013.png"]
        if victim and not _death_marker(victim[0]).exists():
            _death_marker(victim[0]).write_text(str(os.getpid()))
            os._exit(1)
        return super().score(items)


def test_a_worker_killed_mid_job_still_yields_every_row_once(ray_cluster, dataset, tmp_path):
    noisy, clean = dataset
    marker = _death_marker(noisy / "set1/img013.png")
    marker.unlink(missing_ok=True)
    job = DatasetJob(
        str(noisy), METRICS, str(tmp_path / "r.parquet"), engine="ray", batch_size=3, workers=2
    )
    items = discover(noisy, ref_dir=clean)
    store = ResultsStore(job.out)
    report = run_ray(job, items, store, set(), actor_class=DiesOnceActor)
    assert marker.exists(), "no worker died: the test proved nothing"
    rows = store.read()
    assert report.rows_written == len(rows) == 60
    counts = Counter((r["relpath"], r["metric"]) for r in rows)
    assert set(counts.values()) == {1} and len(counts) == 60
    assert not any(r["error"] for r in rows)


def test_ray_resumes_a_local_job_and_writes_error_rows(ray_cluster, dataset, tmp_path):
    noisy, clean = dataset
    folder = tmp_path / "d"
    folder.mkdir()
    for path in sorted((noisy / "set0").iterdir())[:4]:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "unreadable.png").write_bytes(b"GIF89a broken")
    out = tmp_path / "r.csv"
    job = DatasetJob(str(folder), ["psnr"], str(out), ref_dir=str(clean / "set0"), device="cpu")
    first = run_job(job)
    assert (first.rows_written, first.errors) == (5, 1)
    job.metrics, job.engine = METRICS, "ray"
    second = run_job(job)
    assert (second.rows_written, second.rows_skipped, second.rows_total) == (5, 5, 10)
    rows = read_rows(out)
    computed_by_ray = [r for r in rows if r["worker"].startswith("ray-")]
    assert {r["metric"] for r in computed_by_ray} == {"ssim"} and len(computed_by_ray) == 5
    (error_row,) = [r for r in computed_by_ray if r["error"]]
    assert error_row["path"].endswith("unreadable.png") and error_row["value"] is None
    assert "unreadable.png: not-an-image" in error_row["error"]


def test_unknown_metric_or_missing_gpus_fail_before_any_work(ray_cluster, dataset, tmp_path):
    noisy, _clean = dataset
    from core.errors import IrisError

    with pytest.raises(IrisError, match="unknown metric 'nosuch'"):
        run_job(DatasetJob(str(noisy), ["nosuch"], str(tmp_path / "r.csv"), engine="ray"))
    job = DatasetJob(str(noisy), ["psnr"], str(tmp_path / "r.csv"), engine="ray")
    job.gpus_per_worker = 0.5
    with pytest.raises(IrisError, match="has none"):
        run_job(job)
    assert ResultsStore(job.out).read() == []


class SpyActor(ScoreActor):
    """A worker that notes, beside each image, the metrics it was sent for it."""

    def score(self, items):
        for item in items:
            with open(Path(item["path"]).parent / "sent.txt", "a") as sent:
                sent.write(f"{Path(item['path']).name} {','.join(item['metrics'])}\n")
        return super().score(items)


def test_actors_receive_only_the_work_left(ray_cluster, dataset, tmp_path):
    noisy, clean = dataset
    folder = tmp_path / "d"
    folder.mkdir()
    for path in sorted((noisy / "set0").iterdir())[:6]:
        (folder / path.name).write_bytes(path.read_bytes())
    out = tmp_path / "r.parquet"
    job = DatasetJob(str(folder), ["psnr"], str(out), ref_dir=str(clean / "set0"), device="cpu")
    items = discover(folder, ref_dir=clean / "set0")
    run_job(job, items=items[:4])
    job.metrics, job.engine = METRICS, "ray"
    store = ResultsStore(out)
    report = run_ray(job, items, store, store.done_keys(), actor_class=SpyActor)
    sent = sorted((folder / "sent.txt").read_text().splitlines())
    names = [Path(item.path).name for item in items]
    assert sent == sorted([f"{n} ssim" for n in names[:4]] + [f"{n} psnr,ssim" for n in names[4:]])
    assert report.rows_written == 4 + 2 * 2
