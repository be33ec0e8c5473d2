"""``iris degrade``: list, single file, recipes, folder mode, contact sheet and errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.cli import main
from core.degrade import Recipe, Step
from core.degrade.batch import read_provenance
from core.degrade.registry import kinds_in_order
from core.imageio import load_image, save_png
from tests.core.degrade.conftest import make_scene


@pytest.fixture
def clean(tmp_path):
    path = tmp_path / "clean.png"
    save_png(path, make_scene(64))
    return path


def test_list_json_describes_every_kind(capsys):
    assert main(["degrade", "--list", "--json"]) == 0
    kinds = json.loads(capsys.readouterr().out)["kinds"]
    assert [k["name"] for k in kinds] == kinds_in_order()
    rain = next(k for k in kinds if k["name"] == "rain")
    names = {p["name"] for p in rain["params"]}
    assert {"density", "length", "angle", "splashes"} <= names


def test_list_text(capsys):
    assert main(["degrade", "--list"]) == 0
    out = capsys.readouterr().out
    assert "poisson_gaussian_noise" in out and "severity" not in out.splitlines()[0]


def test_single_file_is_reproducible_and_seed_matters(clean, tmp_path, capsys):
    args = ["degrade", str(clean), "--kind", "rain", "--severity", "4", "--seed", "7"]
    assert main([*args, "--out", str(tmp_path / "a.png")]) == 0
    assert main([*args, "--out", str(tmp_path / "b.png")]) == 0
    assert main([*args[:-1], "8", "--out", str(tmp_path / "c.png")]) == 0
    a, b, c = ((tmp_path / n).read_bytes() for n in ("a.png", "b.png", "c.png"))
    assert a == b and a != c
    meta = read_provenance(tmp_path / "a.png")
    assert meta["seed"] == 7 and meta["recipe"]["steps"][0]["severity"] == 4


def test_params_and_saved_recipe_reproduce_the_same_bytes(clean, tmp_path, capsys):
    first = tmp_path / "first.png"
    recipe_file = tmp_path / "used.json"
    assert main(["degrade", str(clean), "--kind", "motion_blur", "--param", "angle=90",
                 "--param", "length=11", "--seed", "3", "--out", str(first),
                 "--save-recipe", str(recipe_file), "--json"]) == 0  # fmt: skip
    printed = json.loads(capsys.readouterr().out)
    assert printed["recipe"]["steps"][0]["params"] == {"length": 11.0, "angle": 90.0}
    assert Recipe.load(recipe_file).steps[0].params == {"angle": 90, "length": 11}
    again = tmp_path / "again.png"
    assert main(["degrade", str(clean), "--recipe", str(recipe_file), "--seed", "3",
                 "--out", str(again)]) == 0  # fmt: skip
    assert again.read_bytes() == first.read_bytes()


def test_folder_mode(clean, tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    save_png(src / "one.png", make_scene(64))
    save_png(src / "two.png", make_scene(64)[:, ::-1].copy())
    recipe = tmp_path / "r.json"
    Recipe([Step("jpeg", 5), Step("gaussian_noise", 1)]).save(recipe)
    assert main(["degrade", str(src), "--recipe", str(recipe), "--out", str(tmp_path / "o"),
                 "--json"]) == 0  # fmt: skip
    report = json.loads(capsys.readouterr().out)
    assert len(report["written"]) == 2 and report["errors"] == []
    out = load_image(tmp_path / "o" / "two.png").pixels
    assert out.shape == (64, 64, 3)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--kind", "fog"], "unknown degradation 'fog'"),
        (["--kind", "haze", "--severity", "9"], "severity must be 1-5"),
        (["--kind", "haze", "--param", "beta"], "expected KEY=VALUE"),
        (["--kind", "haze", "--param", "beta=-2"], "below the minimum"),
        ([], "--kind NAME or --recipe FILE"),
    ],
)
def test_errors_are_one_line_and_exit_1(clean, tmp_path, capsys, extra, message):
    assert main(["degrade", str(clean), *extra, "--out", str(tmp_path / "x.png")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("iris: error:") and message in err and err.count("\n") == 1
    assert not (tmp_path / "x.png").exists()


def test_contact_sheet(clean, tmp_path, capsys):
    sheet = tmp_path / "sheet.png"
    assert main(["degrade", "--contact-sheet", str(sheet), "--tile", "48", str(clean)]) == 0
    pixels = load_image(sheet).pixels
    rows = -(-len(kinds_in_order()) // 3)
    assert pixels.shape[0] > rows * 48 and pixels.shape[1] > 3 * 3 * 48
    assert pixels.std() > 0.05  # tiles, not an empty canvas
    assert np.mean(pixels > 0.97) < 0.9


def test_project_mode_links_degraded_images_to_imported_originals(clean, tmp_path, capsys):
    from core.project import Project

    with Project.create(tmp_path / "proj"):
        pass
    args = ["degrade", str(clean), "--kind", "haze", "--seed", "4", "--project"]
    assert main([*args, str(tmp_path / "proj"), "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert main([*args, str(tmp_path / "proj"), "--json", "--severity", "5"]) == 0
    second = json.loads(capsys.readouterr().out)
    with Project.open(tmp_path / "proj") as project:
        originals = project.images(kind="imported")
        assert len(originals) == 1  # imported once, degraded twice
        for new_id, severity in ((first["degraded"][0], 3), (second["degraded"][0], 5)):
            record = project.image(new_id)
            assert record.kind == "degraded" and record.parent_id == originals[0].id
            assert record.meta["seed"] == 4
            assert record.meta["recipe"]["steps"][0]["severity"] == severity
    assert main([*args, str(tmp_path / "nothing-here")]) == 1
    assert "not an IRIS project" in capsys.readouterr().err
