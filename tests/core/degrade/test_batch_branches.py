"""Batch edges: refused sources for folders, the report's JSON shape, and importing paths first."""

from __future__ import annotations

import shutil
import threading

import numpy as np
import pytest

from core.degrade import DegradationError, Recipe, apply_recipe
from core.degrade.batch import (
    BatchReport,
    degrade_folder,
    degrade_paths_into_project,
    list_images,
    provenance,
)
from core.errors import Cancelled
from core.imageio import load_image, save_png

RECIPE = Recipe.single("gaussian_noise", 2)


def test_report_as_dict_names_sources_outputs_and_errors():
    report = BatchReport(written=[("a.png", "out/a.png")], errors=[("b.png", "b.png: empty")])
    assert report.as_dict() == {
        "written": [{"source": "a.png", "output": "out/a.png"}],
        "errors": [{"source": "b.png", "error": "b.png: empty"}],
    }
    assert BatchReport().as_dict() == {"written": [], "errors": []}


def test_a_file_or_missing_path_is_not_a_folder(tmp_path, scene):
    save_png(tmp_path / "one.png", scene)
    for source in (tmp_path / "one.png", tmp_path / "missing"):
        with pytest.raises(DegradationError, match=r"not a folder$") as info:
            degrade_folder(source, tmp_path / "out", RECIPE, 0)
        assert str(source) in str(info.value)
    assert not (tmp_path / "out").exists()


def test_a_folder_without_images_is_refused_listing_the_suffixes(tmp_path):
    src = tmp_path / "src"
    (src / ".hidden").mkdir(parents=True)
    (src / "notes.txt").write_text("not an image")
    (src / ".hidden" / "x.png").write_bytes(b"skipped: hidden folder")
    (src / ".y.png").write_bytes(b"skipped: hidden file")
    assert list_images(src) == []
    with pytest.raises(DegradationError, match=r"no images found \(\.bmp, \.jpeg, \.jpg, \.png"):
        degrade_folder(src, tmp_path / "out", RECIPE, 0)


def test_a_bad_seed_is_refused_before_anything_is_written(tmp_path, scene):
    save_png(tmp_path / "a.png", scene)
    with pytest.raises(DegradationError, match="seed must be a whole number"):
        degrade_folder(tmp_path, tmp_path / "out", RECIPE, -1)
    assert not (tmp_path / "out").exists()


def test_a_set_cancel_event_stops_before_the_first_file(tmp_path, scene):
    save_png(tmp_path / "a.png", scene)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        degrade_folder(tmp_path, tmp_path / "out", RECIPE, 0, cancel=cancel)
    assert not (tmp_path / "out").exists()


def test_paths_are_imported_once_then_degraded_and_refused_files_reported(project, tmp_path, scene):
    src = tmp_path / "src"
    src.mkdir()
    save_png(src / "a.png", scene)
    shutil.copy(src / "a.png", src / "a_copy.png")  # same bytes: one clean original
    other = np.ascontiguousarray(scene[::-1])
    save_png(tmp_path / "b.png", other)
    (tmp_path / "broken.png").write_bytes(b"not an image")
    seen = []
    made, refused = degrade_paths_into_project(
        project.path,
        [src, tmp_path / "b.png", tmp_path / "broken.png"],
        RECIPE,
        3,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert [path for path, _error in refused] == [str(tmp_path / "broken.png")]
    assert len(made) == 2 and seen == [(1, 2), (2, 2)]
    degraded = [project.image(i) for i in made]
    clean = [project.image(d.parent_id) for d in degraded]
    assert all(d.kind == "degraded" and d.meta == provenance(RECIPE, 3) for d in degraded)
    assert [c.kind for c in clean] == ["imported", "imported"]
    assert len({c.id for c in clean}) == 2
    for record, source in zip(degraded, (src / "a.png", tmp_path / "b.png"), strict=True):
        stored = project.load_pixels(record).pixels
        expected = apply_recipe(load_image(source).pixels, RECIPE, 3)  # the 8-bit file, not scene
        assert np.abs(stored - expected).max() <= 0.5 / 255 + 1e-6
    # running again imports nothing new (duplicates) but degrades the same originals again
    again, _ = degrade_paths_into_project(project.path, [tmp_path / "b.png"], RECIPE, 3)
    assert project.image(again[0]).parent_id == degraded[1].parent_id


def test_paths_into_project_validate_the_recipe_first(project, tmp_path, scene):
    save_png(tmp_path / "a.png", scene)
    bad = Recipe.single("gaussian_noise", 2, sigma=-1)
    with pytest.raises(DegradationError, match="below the minimum"):
        degrade_paths_into_project(project.path, [tmp_path / "a.png"], bad, 0)
    assert project.images() == []
