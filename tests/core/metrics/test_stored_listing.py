"""Every stored score beside its image: names, references, normalized values, errors, cancel."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from core.errors import Cancelled
from core.metrics.stored import STORED_COLUMNS, stored_scores
from core.project import Project


def scene(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0, 1, (8, 8, 3)).astype(np.float32)


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "p"
    with Project.create(path, name="p") as project:
        clean = project.add_image_array(scene(0), name="clean", kind="imported")
        noisy = project.add_image_array(scene(1), name="noisy", kind="method_output")
        twin = project.add_image_array(scene(0), name="clean-again", kind="imported")
        assert twin.sha256 == clean.sha256  # same content: the first image names it
        project.put_score(noisy.sha256, "brisque", "v1", 30.0)
        project.put_score(noisy.sha256, "psnr", "v1", 25.0, reference_sha256=clean.sha256)
        project.put_score(clean.sha256, "musiq", "v1", None, error="out of memory")
        project.put_score(clean.sha256, "judge:severity", "manual", 4.0)
        project.put_score("f" * 64, "niqe", "v1", 5.0, reference_sha256="e" * 64)
    return path, clean, noisy


def test_rows_name_images_and_references_and_normalize_known_metrics(folder):
    path, clean, noisy = folder
    rows = stored_scores(path)
    assert all(list(row) == STORED_COLUMNS for row in rows)
    by_key = {(row["image"], row["metric"]): row for row in rows}
    assert set(by_key) == {
        ("clean", "musiq"),
        ("clean", "judge:severity"),
        ("noisy", "brisque"),
        ("noisy", "psnr"),
        ("ffffffffffff", "niqe"),
    }
    brisque = by_key["noisy", "brisque"]
    # BRISQUE [0, 150] lower-better: 100 - 100 * 30 / 150 = 80
    assert brisque["normalized"] == pytest.approx(80.0)
    assert (brisque["image_id"], brisque["kind"], brisque["reference"]) == (
        noisy.id,
        "method_output",
        "",
    )
    assert brisque["error"] == ""
    psnr = by_key["noisy", "psnr"]
    assert psnr["reference"] == "clean" and psnr["value"] == 25.0
    failed = by_key["clean", "musiq"]
    assert failed["value"] is None and failed["normalized"] is None
    assert failed["error"] == "out of memory" and failed["image_id"] == clean.id
    judge = by_key["clean", "judge:severity"]
    assert judge["value"] == 4.0 and judge["normalized"] is None  # no typical range
    orphan = by_key["ffffffffffff", "niqe"]
    assert orphan["image_id"] is None and orphan["kind"] == ""
    assert orphan["reference"] == "eeeeeeeeeeee"


def test_progress_is_reported_and_cancel_stops(folder):
    path, _, _ = folder
    seen = []
    stored_scores(path, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        stored_scores(path, cancel=cancel)


def test_an_empty_project_has_no_rows(tmp_path):
    with Project.create(tmp_path / "e", name="e"):
        pass
    seen = []
    assert stored_scores(tmp_path / "e", progress=lambda *a: seen.append(a)) == []
    assert seen == [(0, 0)]
