"""Shipped sample scores are stored only where they still hold: same metric version, same pixels."""

from __future__ import annotations

import io
import json

import numpy as np
from PIL import Image

from core.imageio.encode import encode_png
from core.metrics.engine import metric_version
from core.project import Project
from core.sample_scores import SCORES_FORMAT, pixel_key, store_shipped_scores


def shipped(tmp_path, images, rows, versions=None):
    path = tmp_path / "scores.json"
    data = {
        "format": SCORES_FORMAT,
        "versions": versions or {"psnr": metric_version("psnr"), "niqe": metric_version("niqe")},
        "images": images,
        "scores": rows,
    }
    path.write_text(json.dumps(data))
    return path


def pixels(seed):
    return np.random.default_rng(seed).random((16, 16, 3)).astype(np.float32)


def test_scores_of_the_same_files_are_stored_under_todays_metric_version(tmp_path):
    with Project.create(tmp_path / "p") as project:
        a = project.add_image_array(pixels(1), name="a", kind="imported")
        b = project.add_image_array(pixels(2), name="b", kind="degraded", parent_id=a.id)
        keys = {a.sha256: "ka", b.sha256: "kb"}
        rows = [[b.sha256, "niqe", "", 7.5], [b.sha256, "psnr", a.sha256, 21.25]]
        assert store_shipped_scores(project, shipped(tmp_path, keys, rows)) == 2
        assert project.score(b.sha256, "niqe", metric_version("niqe"))["value"] == 7.5
        stored = project.score(b.sha256, "psnr", metric_version("psnr"), a.sha256)
        assert stored["value"] == 21.25 and stored["error"] is None


def test_a_reencoded_file_with_the_same_pixels_keeps_its_score(tmp_path):
    """Another zlib writes other PNG bytes for the same pixels: the decoded pixels decide."""
    with Project.create(tmp_path / "p") as project:
        image = project.add_image_array(pixels(1), name="a", kind="imported")
        key = pixel_key(project.load_pixels(image).pixels)
        other = encode_png(pixels(1), compress_level=9)
        assert other != project.image_path(image).read_bytes()
        with Image.open(project.image_path(image)) as a, Image.open(io.BytesIO(other)) as b:
            assert np.array_equal(np.asarray(a), np.asarray(b))
        path = shipped(tmp_path, {"f" * 64: key}, [["f" * 64, "niqe", "", 3.0]])
        assert store_shipped_scores(project, path) == 1
        assert project.score(image.sha256, "niqe", metric_version("niqe"))["value"] == 3.0


def test_changed_pixels_an_old_metric_version_or_a_missing_file_store_nothing(tmp_path):
    with Project.create(tmp_path / "p") as project:
        image = project.add_image_array(pixels(1), name="a", kind="imported")
        changed = pixel_key(pixels(3))
        path = shipped(tmp_path, {"f" * 64: changed}, [["f" * 64, "niqe", "", 3.0]])
        assert store_shipped_scores(project, path) == 0
        old = {"niqe": "pyiqa-0.0.1", "psnr": "pyiqa-0.0.1"}
        path = shipped(tmp_path, {image.sha256: "k"}, [[image.sha256, "niqe", "", 3.0]], old)
        assert store_shipped_scores(project, path) == 0
        assert store_shipped_scores(project, tmp_path / "absent.json") == 0
        assert project.counts()["scores"] == 0
