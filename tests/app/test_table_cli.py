"""``iris table`` in a subprocess: the pivot printed in each format, missing scores, --compute."""

from __future__ import annotations

import csv
import io
import json
import os
import statistics
import subprocess
import sys

import pytest

from tests.core.studies.make_study import PER_SCENE, build_study, psnr_value


def iris(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=timeout,
        env=os.environ.copy(),
    )  # fmt: skip


@pytest.fixture(autouse=True)
def offline_weights(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("IRIS_WEIGHTS_DIR", str(tmp_path_factory.mktemp("weights")))
    monkeypatch.delenv("IRIS_ALLOW_DOWNLOADS", raising=False)


def test_table_prints_csv_md_latex_and_json(tmp_path):
    study = build_study(tmp_path / "p")
    base = ["table", "--project", str(study.path), "--rows", "scene,method", "--metrics", "psnr"]
    base += ["--ref", "clean", "--where", "kind=restored", "--stat", "mean,n"]
    done = iris(*base, "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["scene", "method", "psnr mean", "psnr n"]
    face_nano = [psnr_value(1, p, 1, k) for p in range(3) for k in range(PER_SCENE)]
    assert rows[1][:2] == ["face", "hypir"] and rows[2][:2] == ["face", "nano"]
    assert float(rows[2][2]) == pytest.approx(statistics.fmean(face_nano)) and rows[2][3] == "12"
    assert "# full-reference scores against: clean" in done.stdout
    md = iris(*base)
    assert md.returncode == 0 and md.stdout.startswith("| scene | method | psnr mean | psnr n |")
    latex = iris(*base, "--format", "latex", "--out", str(tmp_path / "t.tex"))
    assert latex.returncode == 0 and latex.stdout == ""
    assert (tmp_path / "t.tex").read_text().startswith("\\begin{tabular}")
    data = json.loads(iris(*base, "--json").stdout)
    assert data["rows"][1]["label"] == ["face", "nano"] and data["reference"] == "clean"


def test_missing_scores_are_reported_then_computed(tmp_path):
    study = build_study(tmp_path / "p", skip_psnr=(0, 2, 1, 3))
    args = ["table", "--project", str(study.path), "--rows", "prompt", "--metrics", "psnr"]
    args += ["--ref", "input", "--where", "kind=restored", "--where", "method=hypir"]
    args += ["--stat", "n", "--format", "csv"]
    done = iris(*args)
    assert done.returncode == 0, done.stderr
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(done.stdout)) if row}
    assert rows["prompt"] == ["psnr", "psnr missing"] and rows["L1"] == ["7", "1"]
    assert "1 cell value(s) have no stored score; --compute scores them" in done.stderr
    computed = iris(*args, "--compute", "--device", "cpu")
    assert computed.returncode == 0, computed.stderr
    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(computed.stdout)) if row}
    assert rows["prompt"] == ["psnr"] and rows["L1"] == ["8"]
    again = iris(*args)  # stored by --compute under the key iris score reads
    assert "L1,8" in again.stdout and "no stored score" not in again.stderr


def test_usage_errors_are_one_line(tmp_path):
    study = build_study(tmp_path / "p")
    base = ["table", "--project", str(study.path), "--metrics", "niqe"]
    for args, message in (
        (["--rows", "methd"], "key 'methd': not one of method, model, prompt"),
        (["--rows", "method", "--stat", "avg"], "--stat avg: choose from mean"),
        (["--rows", "method", "--where", "scene"], "'scene': write it as key=value"),
        (["--rows", "method", "--metrics", "psnr"], "psnr: full-reference, give --ref"),
    ):
        done = iris(*base, *args)
        assert done.returncode in (1, 2) and message in done.stderr, done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
