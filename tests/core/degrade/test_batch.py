"""Files, folders and projects: outputs carry their recipe and can be remade byte for byte."""

from __future__ import annotations

import numpy as np
import pytest

from core.degrade import Recipe, Step, apply_recipe
from core.degrade.batch import (
    degrade_file,
    degrade_folder,
    degrade_into_project,
    encode_degraded_png,
    read_provenance,
)
from core.imageio import load_image, save_png

RECIPE = Recipe([Step("motion_blur", 2, {"angle": 45.0}), Step("gaussian_noise", 2)])


def test_degraded_png_embeds_its_recipe_and_can_be_remade(tmp_path, scene):
    save_png(tmp_path / "clean.png", scene)
    out = degrade_file(tmp_path / "clean.png", tmp_path / "out.png", RECIPE, 17)
    meta = read_provenance(out)
    assert meta["seed"] == 17
    remade_recipe = Recipe.from_dict(meta["recipe"])
    assert remade_recipe.steps[0].params["angle"] == 45.0
    clean = load_image(tmp_path / "clean.png").pixels
    again = encode_degraded_png(apply_recipe(clean, remade_recipe, 17), remade_recipe, 17)
    assert again == out.read_bytes()
    assert read_provenance(tmp_path / "clean.png") is None


def test_output_must_be_png(tmp_path, scene):
    from core.degrade import DegradationError

    save_png(tmp_path / "clean.png", scene)
    with pytest.raises(DegradationError, match="use a .png name"):
        degrade_file(tmp_path / "clean.png", tmp_path / "out.jpg", RECIPE, 0)


def test_folder_mode_mirrors_the_tree_and_reports_bad_files(tmp_path, scene):
    src = tmp_path / "src"
    (src / "sub").mkdir(parents=True)
    save_png(src / "a.png", scene)
    save_png(src / "sub" / "b.png", scene[::-1].copy())
    (src / "broken.png").write_bytes(b"not an image")
    (src / "notes.txt").write_text("ignored")
    seen = []
    report = degrade_folder(src, tmp_path / "out", RECIPE, 5, progress=lambda d, t: seen.append(d))
    assert sorted(o for _s, o in report.written) == [
        str(tmp_path / "out" / "a.png"),
        str(tmp_path / "out" / "sub" / "b.png"),
    ]
    assert len(report.errors) == 1 and "broken.png" in report.errors[0][0]
    assert seen == [1, 2, 3]
    single = degrade_file(src / "a.png", tmp_path / "single.png", RECIPE, 5)
    assert single.read_bytes() == (tmp_path / "out" / "a.png").read_bytes()


def test_degraded_images_enter_the_project_linked_to_their_clean_original(project, scene):
    clean = project.add_image_array(scene, name="scene", kind="imported")
    ids = degrade_into_project(project.path, [clean.id], RECIPE, 8)
    record = project.image(ids[0])
    assert record.kind == "degraded" and record.parent_id == clean.id
    assert record.meta["seed"] == 8
    assert Recipe.from_dict(record.meta["recipe"]) == RECIPE.resolved()
    assert "motion_blur 2 + gaussian_noise 2" in record.name
    stored = project.load_pixels(record).pixels
    expected = apply_recipe(project.load_pixels(clean).pixels, RECIPE, 8)
    assert np.abs(stored - expected).max() <= 0.5 / 255 + 1e-6
