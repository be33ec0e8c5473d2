"""``iris restore --repeat 3 --run`` then ``iris stats friedman|correlate``, as subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from scipy.stats import friedmanchisquare

from app.commands.stats import format_table3
from core.metrics.scoring import score_project
from core.project import Project
from tests.core.studies.conftest import make_inputs


def iris(*args: str, weights) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.getcwd(), IRIS_WEIGHTS_DIR=str(weights))
    env.pop("IRIS_ALLOW_DOWNLOADS", None)
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env, timeout=120
    )


VARYING = ["--param", "colour_drift=0.1", "--param", "resize_jitter=0.4", "--param", "quality=30"]


def test_restore_repeat_3_then_friedman_by_prompt(tmp_path, monkeypatch, capsys):
    weights = tmp_path / "weights"
    weights.mkdir()
    monkeypatch.setenv("IRIS_WEIGHTS_DIR", str(weights))
    path, ids = make_inputs(tmp_path, count=4, size=32)
    names = [f"img{i}" for i in range(4)]
    base = ["restore", "--project", str(path), "--method", "generation-loss", *VARYING]
    done = iris(*base, "--prompt", "S1", "--repeat", "3", "--run", "S1 x3", *names, weights=weights)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 12 and {r["run"] for r in lines} == {"S1 x3"}
    assert sorted({r["repeat"] for r in lines}) == [0, 1, 2]
    clash = iris(*base, "--run", "S1 x3", "img0", weights=weights)
    assert clash.returncode == 1 and clash.stdout == ""
    assert clash.stderr.strip().count("\n") == 0 and "already exists" in clash.stderr
    with Project.open(path) as project:
        assert [run.name for run in project.runs()] == ["S1 x3"]  # the clash stored nothing

    old = iris("stats", "friedman", "--project", str(path), "--runs", "S1 x3",
               "--metrics", "entropy", weights=weights)  # fmt: skip
    assert old.returncode == 1 and "--group-by run" in old.stderr

    shown = iris("stats", "friedman", "--project", str(path), "--group-by", "prompt",
                 "--metrics", "entropy", "--json", "--device", "cpu", weights=weights)  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    (row,) = json.loads(shown.stdout)["rows"]
    assert (row["group"], row["blocks"], row["treatments"]) == ("S1", 4, 3)
    stored = score_project(path, ["entropy"], compute=False)
    by_output = {r["output_image_id"]: stored.value(r["output_image_id"], "entropy") for r in lines}
    table = [
        [by_output[r["output_image_id"]] for r in lines if r["input_image_id"] == i] for i in ids
    ]
    expected = friedmanchisquare(*zip(*table, strict=True))
    assert row["statistic"] == pytest.approx(expected.statistic, rel=1e-12)
    assert row["p_value"] == pytest.approx(expected.pvalue, rel=1e-9)

    from app.cli import main

    assert main(["stats", "friedman", "--project", str(path), "--group-by", "prompt",
                 "--metrics", "entropy"]) == 0  # fmt: skip
    text = capsys.readouterr().out
    head, stat, pval = text.splitlines()[:3]
    assert head.split() == ["Prompt", "Type", "entropy"]
    assert stat.split() == ["S1", "Stat", f"{expected.statistic:.3f}"]
    assert pval.split() == ["p-val", f"{expected.pvalue:.3f}"]


def test_table3_text_layout_has_stat_and_pval_rows():
    from core.studies.stability import StabilityRow

    rows = [
        StabilityRow("L3", "psnr", 1.238, 0.538, 35, 3, False),
        StabilityRow("L3", "musiq", 3.257, 0.196, 35, 3, False),
        StabilityRow("S1", "psnr", 0.667, 0.717, 35, 3, False),
        StabilityRow("S1", "musiq", 7.943, 0.019, 35, 3, True),
    ]
    lines = format_table3(rows, "prompt", ["psnr", "musiq"]).splitlines()
    assert lines[0].split() == ["Prompt", "Type", "psnr", "musiq"]
    assert lines[1].split() == ["L3", "Stat", "1.238", "3.257"]
    assert lines[2].split() == ["p-val", "0.538", "0.196"]
    assert lines[3].split() == ["S1", "Stat", "0.667", "7.943"]
    assert "S1: 35 images x 3 repeats; significant at 0.05: musiq" in lines
    assert lines[-1].startswith("1 of 4 tests significant")
