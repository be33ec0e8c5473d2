"""The metric commands: iris score (files and projects), gaps, stats friedman, judge; smoke test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest
from PIL import Image

from core.project import Project
from tests.core.metrics.make_runs import build_iterative_project, texture
from tests.fakes.gemini_server import FakeGeminiServer, Reply, text_response


def iris(*args: str, timeout: float = 180, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture(autouse=True)
def offline_weights(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("IRIS_WEIGHTS_DIR", str(tmp_path_factory.mktemp("weights")))
    monkeypatch.delenv("IRIS_ALLOW_DOWNLOADS", raising=False)


@pytest.fixture(scope="module")
def run_project(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "p"
    build_iterative_project(path, runs=3, steps=20, size=48).close()
    return path


def _png(path, pixels):
    Image.fromarray((pixels * 255 + 0.5).astype(np.uint8)).save(path)
    return str(path)


def test_score_files_json_with_reference(tmp_path):
    a = _png(tmp_path / "a.png", texture(40, seed=1))
    b = _png(tmp_path / "b.png", texture(40, seed=2))
    result = iris("score", a, b, "--ref", a, "--metrics", "psnr,entropy", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)["rows"]
    assert [(r["image"], r["metric"]) for r in rows] == [
        (a, "psnr"), (a, "entropy"), (b, "psnr"), (b, "entropy"),
    ]  # fmt: skip
    assert rows[0]["value"] > 60 and rows[2]["value"] < 30 and rows[1]["reference"] is None


def test_score_files_of_another_size_under_each_align_policy(tmp_path):
    ref = _png(tmp_path / "ref.png", texture(32, seed=3))
    out = _png(tmp_path / "out.png", texture(64, seed=3))
    resized = iris("score", out, "--ref", ref, "--metrics", "psnr", "--json")
    assert resized.returncode == 0, resized.stderr
    (row,) = json.loads(resized.stdout)["rows"]
    assert row["align"] == "resize:bicubic" and row["value"] > 20
    crop = iris("score", out, "--ref", ref, "--metrics", "psnr", "--align", "crop",
                "--align-filter", "lanczos")  # fmt: skip
    assert crop.returncode == 0 and crop.stdout.strip().endswith("align=crop:lanczos")
    refused = iris("score", out, "--ref", ref, "--metrics", "psnr", "--align", "none")
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert "64x64" in refused.stderr and "32x32" in refused.stderr
    assert "AssertionError" not in refused.stderr + refused.stdout


def test_missing_weights_one_line_error_naming_the_file(tmp_path):
    a = _png(tmp_path / "a.png", texture(40))
    start = time.perf_counter()
    result = iris("score", a, "--ref", a, "--metrics", "lpips")
    assert result.returncode == 1 and time.perf_counter() - start < 30
    assert "LPIPS_v0.1_alex-df73285e.pth" in result.stderr and "iris: error:" in result.stderr
    unknown = iris("score", a, "--metrics", "nosuchmetric")
    assert unknown.returncode == 1 and "known:" in unknown.stderr and "psnr" in unknown.stderr


def test_score_project_run_is_cached_and_gaps_and_friedman(run_project):
    first = iris(
        "score", "--project", str(run_project), "--run", "replicate-0-1",
        "--metrics", "psnr", "--ref", "step1", "--json",
    )  # fmt: skip
    assert first.returncode == 0, first.stderr  # step 0 (the input) also has a step 1
    report = json.loads(first.stdout)
    assert report["computed"] == 21 and len(report["rows"]) == 21
    again = json.loads(
        iris(
            "score", "--project", str(run_project), "--run", "replicate-0-1",
            "--metrics", "psnr", "--ref", "step1", "--json",
        ).stdout
    )  # fmt: skip
    assert again["computed"] == 0 and again["cached"] == 21

    gaps = iris(
        "gaps", "--project", str(run_project), "--runs", "jpeg-replicate",
        "--metrics", "entropy,niqe", "--json",
    )  # fmt: skip
    assert gaps.returncode == 0, gaps.stderr
    table = json.loads(gaps.stdout)
    assert set(table) == {"entropy", "niqe"}
    entropy = table["entropy"]
    assert set(entropy) == {"delta5", "delta10", "delta20", "fails", "failed_images", "images"} | {
        "cells"
    }
    assert 0 <= entropy["fails"] <= 3
    # the group's 3 runs share one input image: one Fig. 6 cell counting failing steps
    assert entropy["images"] == len(entropy["cells"]) == 1
    (cell,) = entropy["cells"].values()
    assert 0 <= cell <= 3 and entropy["failed_images"] == (1 if cell else 0)

    stats = iris(
        "stats", "friedman", "--project", str(run_project),
        "--runs", "replicate-0-1,replicate-0-2,replicate-0-3", "--metrics", "entropy", "--json",
    )  # fmt: skip
    assert stats.returncode == 0, stats.stderr
    row = json.loads(stats.stdout)["entropy"]
    assert row["blocks"] == 20 and row["treatments"] == 3 and 0 <= row["p_value"] <= 1


def test_judge_thoughts_cli_against_fake_server(run_project):
    with FakeGeminiServer(default=Reply(body=text_response("yes"))) as server:
        env = {
            "IRIS_GEMINI_BASE_URL": server.url,
            "GEMINI_API_KEY": "test-key",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
            "IRIS_JUDGE_MODEL": "fake-judge",
        }
        result = iris(
            "judge", "thoughts", "--project", str(run_project), "--runs", "jpeg-replicate",
            "--json", env=env,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["runs"] == {"replicate-0-1": 1, "replicate-0-2": 1, "replicate-0-3": 1}
    assert report["groups"]["jpeg-replicate"]["mean"] == 1.0
    assert len(server.requests) == 3


def test_judge_rs_manual_ratings(tmp_path):
    project = Project.create(tmp_path / "p")
    degraded = project.add_image_array(texture(32, seed=1), name="in.png", kind="degraded")
    restored = project.add_image_array(
        texture(32, seed=2), name="out.png", kind="restored", parent_id=degraded.id
    )
    project.close()
    for image, rating in ((restored.id, "4"), (degraded.id, "1.5")):
        rate = iris(
            "judge", "rate", "--project", str(tmp_path / "p"), str(image), "--rating", rating
        )
        assert rate.returncode == 0, rate.stderr
    result = iris(
        "judge", "rs", "--project", str(tmp_path / "p"), str(restored.id),
        "--judge", "manual", "--task", "noise", "--lps-metric", "none", "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)["images"]
    assert row["rs"] == 2.5 and row["lps"] is None and row["fs"] is None


def test_smoke_test_passes_offline_from_source(tmp_path):
    result = iris("--smoke-test", "--smoke-screenshot", str(tmp_path / "smoke.png"), timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    checks = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    scores = next(c for c in checks if c["check"] == "restore-and-score")["scores"]
    assert set(scores) == {"psnr", "niqe"} and all(v is not None for v in scores.values())
    assert (tmp_path / "smoke.png").is_file()
