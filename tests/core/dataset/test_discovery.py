"""Finding images and their references: --ref-dir, --ref-pattern, and projects."""

from __future__ import annotations

import numpy as np
import pytest

from core.dataset.discovery import discover
from core.errors import IrisError
from core.imageio import encode_png, save_png
from core.project import Project
from tests.core.dataset.conftest import make_dataset


def test_ref_dir_matches_by_relative_path(tmp_path):
    noisy, clean = make_dataset(tmp_path, n=6)
    items = discover(noisy, ref_dir=clean)
    assert [i.relpath for i in items] == sorted(i.relpath for i in items)
    assert len(items) == 6
    for item in items:
        assert item.reference_path == str(clean / item.relpath)


def test_ref_dir_accepts_another_suffix_and_reports_missing(tmp_path):
    noisy, clean = make_dataset(tmp_path, n=3)
    first = clean / "set0/img000.png"
    first.rename(first.with_suffix(".PNG"))
    (clean / "set1/img001.png").unlink()
    by_rel = {i.relpath: i.reference_path for i in discover(noisy, ref_dir=clean)}
    assert by_rel["set0/img000.png"].endswith("img000.PNG")
    assert by_rel["set1/img001.png"] == ""


def test_ref_dir_inside_the_dataset_is_not_scored(tmp_path):
    noisy, _clean = make_dataset(tmp_path, n=3)
    root = tmp_path
    items = discover(root, ref_dir=tmp_path / "clean")
    assert all(i.relpath.startswith("noisy/") for i in items)
    assert len(items) == 3


def test_ref_pattern(tmp_path):
    noisy, clean = make_dataset(tmp_path, n=3)
    items = discover(noisy, ref_pattern="../clean/{parent}/{stem}.png")
    assert [i.reference_path for i in items] == [str(clean / i.relpath) for i in items]
    with pytest.raises(IrisError, match="fields"):
        discover(noisy, ref_pattern="{nope}")


def test_project_images_take_their_parent_as_reference(tmp_path):
    with Project.create(tmp_path / "p") as project:
        clean = project.add_image_bytes(
            encode_png(np.full((8, 8, 3), 0.5, np.float32)), name="a", kind="imported"
        )
        project.add_image_bytes(
            encode_png(np.full((8, 8, 3), 0.4, np.float32)),
            name="a_noisy",
            kind="degraded",
            parent_id=clean.id,
        )
    items = discover(tmp_path / "p")
    assert [i.relpath for i in items] == ["a.png", "a_noisy.png"]
    assert items[0].reference_path == ""
    assert items[1].reference_path == str(tmp_path / "p" / clean.file)


def test_errors_name_the_problem(tmp_path):
    with pytest.raises(IrisError, match="no such dataset"):
        discover(tmp_path / "missing")
    save_png(tmp_path / "x.png", np.zeros((4, 4, 3), np.float32))
    with pytest.raises(IrisError, match="ref-dir"):
        discover(tmp_path, ref_dir=tmp_path / "nothing")
