"""``iris export`` as a user runs it: every file written with its manifest row."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys

import numpy as np
from PIL import Image

from core.project import Project


def iris(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=120
    )


def test_export_writes_every_file_with_its_manifest_row(tmp_path):
    folder = tmp_path / "study" / "text"
    folder.mkdir(parents=True)
    for index in range(2):
        pixels = np.random.default_rng(index).integers(0, 255, (16, 16, 3), dtype=np.uint8)
        Image.fromarray(pixels).save(folder / f"img{index}.png")
    project = str(tmp_path / "p")
    assert iris("import", "--project", project, "--tags-from-path", "{scene}/{name}",
                str(tmp_path / "study")).returncode == 0  # fmt: skip
    result = iris("restore", "--project", project, "--method", "unsharp", "--repeat", "2",
                  "--run", "sharp", "img0", "img1")  # fmt: skip
    assert result.returncode == 0, result.stderr

    out = tmp_path / "out"
    result = iris("export", "--project", project, "--run", "sharp", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    expected = ["img0_unsharp_0.png", "img0_unsharp_1.png", "img1_unsharp_0.png",
                "img1_unsharp_1.png"]  # fmt: skip
    assert report["exported"] == 4 and sorted(report["files"]) == expected
    with open(out / "manifest.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["file"] for row in rows) == expected
    assert sorted(p.name for p in out.iterdir()) == sorted([*expected, "manifest.csv"])
    with Project.open(project) as opened:
        for row in rows:
            image = opened.image(int(row["image_id"]))
            data = (out / row["file"]).read_bytes()
            assert data == opened.image_path(image).read_bytes()
            assert hashlib.sha256(data).hexdigest() == row["sha256"] == image.sha256
            assert (row["run"], row["method"], row["scene"]) == ("sharp", "unsharp", "text")
            assert row["input"] == row["file"].split("_")[0]

    by_tag = tmp_path / "by_tag"
    result = iris("export", "--project", project, "--tag", "scene=text", "--kind", "imported",
                  "--out", str(by_tag), "--name", "{scene}/{name}.png")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"exported 2 images to {by_tag}")
    assert sorted(p.name for p in (by_tag / "text").iterdir()) == ["img0.png", "img1.png"]


def test_export_errors_are_one_line(tmp_path):
    Image.fromarray(np.zeros((4, 4, 3), np.uint8)).save(tmp_path / "a.png")
    project = str(tmp_path / "p")
    iris("import", "--project", project, str(tmp_path / "a.png"))
    out = str(tmp_path / "out")
    for args, says in [
        (["--out", out], "choose the images"),
        (["--kind", "imported", "--out", out, "--name", "{nme}"], "known: id, name, kind"),
        (["--kind", "weird", "--out", out], "unknown image kind 'weird'"),
        (["--run", "nope", "--out", out], "no run 'nope'"),
        (["--tag", "scene", "--out", out], "write it as key=value"),
    ]:
        result = iris("export", "--project", project, *args)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1 and len(lines) == 1 and says in lines[0], (args, lines)
