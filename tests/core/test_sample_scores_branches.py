"""Sample scores: what ``make_sample --scores`` ships (hand-checked PSNR, skipped images, pixel
keys, versions) and storing them back; other formats, unreadable and unmatched images."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from core.metrics.engine import metric_version
from core.project import Project
from core.sample_scores import (
    SCORES_FORMAT,
    compute_scores,
    pixel_key,
    scored_images,
    store_shipped_scores,
)


@pytest.fixture(autouse=True)
def empty_weights(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("IRIS_WEIGHTS_DIR", str(tmp_path_factory.mktemp("weights")))
    monkeypatch.delenv("IRIS_ALLOW_DOWNLOADS", raising=False)


def grey(level: int, size: int = 16) -> np.ndarray:
    """A uniform image on the 8-bit grid, so its PNG decodes to exactly these pixels."""
    return np.full((size, size, 3), level / 255, np.float32)


def build(path) -> tuple:
    with Project.create(path) as project:
        a = project.add_image_array(grey(102), name="a", kind="imported")
        b = project.add_image_array(grey(128), name="b", kind="degraded", parent_id=a.id)
        depth = project.add_image_array(grey(7, 8), name="depth.png", kind="imported")
    return a, b, depth


def test_scored_images_are_all_but_the_named_ones(tmp_path):
    a, b, depth = build(tmp_path / "p")
    with Project.open(tmp_path / "p") as project:
        assert [i.id for i in scored_images(project)] == [a.id, b.id, depth.id]
        assert [i.id for i in scored_images(project, ["depth.png", "absent"])] == [a.id, b.id]


def test_computed_scores_are_the_json_to_ship_and_store_back(tmp_path):
    a, b, depth = build(tmp_path / "p")
    unreferenced = compute_scores(tmp_path / "p", {"groups": [{"metrics": ["psnr"]}]})
    assert unreferenced["scores"] == []  # without a reference no row has a value to ship
    assert set(unreferenced["images"]) == {a.sha256, b.sha256, depth.sha256}  # nothing skipped
    plan = {
        "skip": ["depth.png"],
        "groups": [
            {"metrics": ["psnr"], "reference": "input"},
            {"metrics": ["ssim"], "reference": "clean"},
        ],
    }
    shipped = compute_scores(tmp_path / "p", plan)
    assert shipped["format"] == SCORES_FORMAT and "make_sample --scores" in shipped["about"]
    assert shipped["versions"] == {"psnr": metric_version("psnr"), "ssim": metric_version("ssim")}
    assert shipped["images"] == {a.sha256: pixel_key(grey(102)), b.sha256: pixel_key(grey(128))}
    psnr = round(20 * math.log10(255 / 26), 6)  # a uniform difference of 26 levels: by hand
    rows = shipped["scores"]
    assert rows == sorted(rows)
    # ``a`` has no input and no clean image: only ``b`` is scored, against ``a``
    (psnr_row,) = [r for r in rows if r[1] == "psnr"]
    assert psnr_row[:3] == [b.sha256, "psnr", a.sha256]
    assert psnr_row[3] == pytest.approx(psnr, abs=1e-5)  # float32 maths
    (ssim,) = [r for r in rows if r[1] == "ssim"]
    assert ssim[:3] == [b.sha256, "ssim", a.sha256] and 0 < ssim[3] < 1
    file = tmp_path / "scores.json"
    file.write_text(json.dumps(shipped))
    build(tmp_path / "again")  # the same images: the same files, the same SHA-256s
    with Project.open(tmp_path / "again") as project:
        assert store_shipped_scores(project, file) == 2
        stored = project.score(b.sha256, "psnr", metric_version("psnr"), a.sha256)
        assert stored["value"] == psnr_row[3] and stored["error"] is None
        assert project.counts()["scores"] == 2
    repeated = dict(shipped, scores=[*rows, [*psnr_row[:3], 1.5]])  # psnr of b listed twice
    file.write_text(json.dumps(repeated))
    build(tmp_path / "third")
    with Project.open(tmp_path / "third") as project:
        assert store_shipped_scores(project, file) == 2  # two scores, not three rows
        assert project.score(b.sha256, "psnr", metric_version("psnr"), a.sha256)["value"] == 1.5
        assert project.counts()["scores"] == 2


def test_another_format_stores_nothing(tmp_path):
    a, b, _ = build(tmp_path / "p")
    path = tmp_path / "scores.json"
    data = {
        "format": SCORES_FORMAT + 1,
        "versions": {"niqe": metric_version("niqe")},
        "images": {b.sha256: "k"},
        "scores": [[b.sha256, "niqe", "", 1.0]],
    }
    path.write_text(json.dumps(data))
    with Project.open(tmp_path / "p") as project:
        assert store_shipped_scores(project, path) == 0
        del data["format"]
        path.write_text(json.dumps(data))
        assert store_shipped_scores(project, path) == 0
        assert project.counts()["scores"] == 0


def test_unreadable_and_unmatched_images_keep_no_score_the_others_keep_theirs(tmp_path):
    """``a`` matches by file, ``c`` by pixels only, ``d`` cannot be decoded, ``e`` is gone."""
    with Project.create(tmp_path / "p") as project:
        a = project.add_image_array(grey(40), name="a", kind="imported")
        c = project.add_image_array(grey(90), name="c", kind="degraded", parent_id=a.id)
        d = project.add_image_array(grey(200), name="d", kind="imported")
        project.image_path(d).write_bytes(b"\x89PNG\r\n\x1a\n damaged")
        niqe, psnr = metric_version("niqe"), metric_version("psnr")
        f, e = "f" * 64, "e" * 64
        data = {
            "format": SCORES_FORMAT,
            "versions": {"niqe": niqe, "psnr": psnr, "brisque": "pyiqa-0.0.1"},
            "images": {a.sha256: "ka", f: pixel_key(grey(90)), e: pixel_key(grey(250))},
            "scores": [
                [a.sha256, "niqe", "", 1.5],
                [f, "niqe", "", 2.5],
                [f, "psnr", a.sha256, 30.0],
                [f, "psnr", e, 31.0],  # its reference is gone
                [e, "niqe", "", 3.5],  # no image has its pixels
                [a.sha256, "brisque", "", 9.0],  # an old version
            ],
        }
        path = tmp_path / "scores.json"
        path.write_text(json.dumps(data))
        assert store_shipped_scores(project, path) == 3
        assert project.score(a.sha256, "niqe", niqe)["value"] == 1.5
        assert project.score(c.sha256, "niqe", niqe)["value"] == 2.5
        assert project.score(c.sha256, "psnr", psnr, a.sha256)["value"] == 30.0
        assert project.counts()["scores"] == 3
