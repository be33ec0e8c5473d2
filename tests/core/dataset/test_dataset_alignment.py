"""A dataset job aligns full-reference pairs of two sizes as `iris score` does: the same
value as score_files under the policy, the policy in the cache key, resumable."""

from __future__ import annotations

import numpy as np
import pytest

from core.dataset import DatasetJob, run_job
from core.dataset.results import read_rows
from core.imageio import save_png
from core.metrics.scoring import score_files


def _pair(tmp_path):
    rng = np.random.default_rng(3)
    clean = tmp_path / "clean"
    outputs = tmp_path / "outputs"
    clean.mkdir()
    outputs.mkdir()
    reference = rng.random((32, 48, 3)).astype(np.float32)
    save_png(clean / "a.png", reference)
    big = np.repeat(np.repeat(reference, 2, axis=0), 2, axis=1)  # a 2x answer, as a generator's
    big = np.clip(big + rng.normal(0, 0.03, big.shape), 0, 1).astype(np.float32)
    save_png(outputs / "a.png", big)
    return outputs, clean


@pytest.mark.parametrize("policy", ["resize", "crop"])
def test_a_two_size_pair_scores_as_iris_score_does_and_resumes(tmp_path, policy):
    outputs, clean = _pair(tmp_path)
    out = tmp_path / f"{policy}.csv"
    job = DatasetJob(str(outputs), ["psnr"], str(out), ref_dir=str(clean), align_policy=policy)
    assert run_job(job).rows_written == 1
    (row,) = read_rows(out)
    assert row["error"] in (None, "") and row["metric_version"].endswith(f"+align={policy}:bicubic")
    expected = (
        score_files(
            [outputs / "a.png"],
            ["psnr"],
            reference=clean / "a.png",
            device="cpu",
            align_policy=policy,
        )
        .rows[0]
        .value
    )
    assert float(row["value"]) == pytest.approx(expected, abs=1e-6)
    again = run_job(job)
    assert again.rows_written == 0 and again.rows_skipped == 1


def test_policy_none_is_an_error_row_naming_both_sizes(tmp_path):
    outputs, clean = _pair(tmp_path)
    out = tmp_path / "none.csv"
    run_job(DatasetJob(str(outputs), ["psnr"], str(out), ref_dir=str(clean), align_policy="none"))
    (row,) = read_rows(out)
    assert row["value"] in (None, "") and "96x64" in row["error"] and "48x32" in row["error"]


def test_the_cli_passes_align_to_the_job(tmp_path, capsys):
    from app.cli import main

    outputs, clean = _pair(tmp_path)
    base = ["score", "--dataset", str(outputs), "--ref-dir", str(clean), "--metrics", "psnr"]
    assert (
        main([*base, "--device", "cpu", "--align", "none", "--out", str(tmp_path / "n.csv")]) == 0
    )
    assert main([*base, "--device", "cpu", "--out", str(tmp_path / "r.csv")]) == 0
    capsys.readouterr()
    assert "96x64" in read_rows(tmp_path / "n.csv")[0]["error"]
    assert read_rows(tmp_path / "r.csv")[0]["metric_version"].endswith("+align=resize:bicubic")
