"""``iris restore --method diffusers`` in a subprocess: one edit stored, a missing folder one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from core.imageio import encode_png

ROOT = Path(__file__).resolve().parents[3]


def _iris(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, env=env,
        cwd=ROOT, timeout=300,
    )  # fmt: skip


def test_iris_restore_runs_a_local_editor_and_records_the_seed(kontext_dir, tmp_path):
    from core.project import Project

    image = tmp_path / "noisy.png"
    image.write_bytes(encode_png(np.random.default_rng(2).random((24, 40, 3)).astype(np.float32)))
    project = tmp_path / "p"
    Project.create(project).close()
    done = _iris(
        "restore", "--project", str(project), "--method", "diffusers", "--prompt", "LF3",
        "--param", f"model_dir={kontext_dir}", "--param", "steps=2", "--param", "seed=9",
        str(image),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == "ok" and result["method"] == "diffusers"
    with Project.open(project) as store:
        output = store.image(result["output_image_id"])
        meta = store.results(result["run_id"])[0].meta
    assert (output.width, output.height) == (40, 24)
    assert json.dumps(meta).count('"seed": 9') >= 1


def test_iris_restore_names_a_missing_model_folder_in_one_line(tmp_path):
    missing = tmp_path / "FLUX.1-Kontext-dev"
    done = _iris(
        "restore", "--project", str(tmp_path / "p"), "--method", "diffusers",
        "--param", f"model_dir={missing}", "x.png",
    )  # fmt: skip
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert str(missing) in done.stderr or "FLUX.1-Kontext-dev" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
