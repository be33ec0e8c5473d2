"""Recipes: JSON round trips, validation, and seeds that fix every step independently."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.degrade import DegradationError, Recipe, Step, apply_recipe
from core.degrade.recipe import RECIPE_FORMAT

CHAIN = Recipe(
    [Step("haze", 2), Step("gaussian_noise", 3, {"mode": "luma"}), Step("jpeg", 4)], "hazy web"
)


def test_recipe_round_trips_through_json(tmp_path, scene):
    text = CHAIN.to_json()
    data = json.loads(text)
    assert data["format"] == RECIPE_FORMAT and data["version"] == 1
    again = Recipe.from_json(text)
    assert again == CHAIN
    CHAIN.save(tmp_path / "chain.json")
    loaded = Recipe.load(tmp_path / "chain.json")
    assert loaded == CHAIN
    assert np.array_equal(apply_recipe(scene, loaded, 3), apply_recipe(scene, CHAIN, 3))


def test_resolved_recipe_writes_every_value_and_gives_the_same_pixels(scene):
    resolved = CHAIN.resolved()
    assert set(resolved.steps[0].params) == {"beta", "airlight", "depth", "patchiness"}
    assert resolved.steps[1].params["mode"] == "luma"
    assert Recipe.from_json(resolved.to_json()) == resolved
    assert np.array_equal(apply_recipe(scene, resolved, 9), apply_recipe(scene, CHAIN, 9))


def test_a_step_appended_does_not_change_earlier_steps(scene):
    one = apply_recipe(scene, Recipe([Step("gaussian_noise", 3)]), 21)
    two = Recipe([Step("gaussian_noise", 3), Step("gaussian_noise", 3)])
    # the first step of the longer chain draws the same noise as the single step
    first_of_two = apply_recipe(scene, Recipe(two.steps[:1]), 21)
    assert np.array_equal(one, first_of_two)
    assert not np.array_equal(apply_recipe(scene, two, 21), one)


def test_progress_and_cancel(scene):
    import threading

    from core.errors import Cancelled

    seen = []
    apply_recipe(scene, CHAIN, 0, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(Cancelled):
        apply_recipe(scene, CHAIN, 0, cancel=cancel)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"steps": []}, "no steps"),
        ({"steps": [{"kind": "fog"}]}, "unknown degradation 'fog'"),
        ({"steps": [{"kind": "haze", "severity": 0}]}, "severity must be 1-5"),
        ({"steps": [{"kind": "haze", "params": {"beta": -1}}]}, "below the minimum"),
        ({"steps": [{"kind": "haze", "colour": 1}]}, "unknown keys colour"),
        ({"format": "other", "steps": []}, "not an IRIS degradation recipe"),
        ({"version": 99, "steps": []}, "newer than this IRIS"),
        ({"steps": "haze"}, "'steps' must be a list"),
    ],
)
def test_invalid_recipes_name_the_problem(data, message):
    with pytest.raises(DegradationError, match=message):
        Recipe.from_dict(data)


def test_unreadable_recipe_files(tmp_path):
    with pytest.raises(DegradationError, match="cannot read"):
        Recipe.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json")
    with pytest.raises(DegradationError, match="not valid JSON"):
        Recipe.load(tmp_path / "bad.json")


@pytest.mark.parametrize("seed", [-1, 1.5, "7", True])
def test_bad_seeds_are_refused(seed, scene):
    with pytest.raises(DegradationError, match="seed must be"):
        apply_recipe(scene, CHAIN, seed)


def test_shipped_example_recipes_load_and_apply(scene):
    from resources import resource_path

    files = sorted(resource_path("recipes").glob("*.json"))
    assert len(files) >= 5
    for path in files:
        recipe = Recipe.load(path)
        assert recipe.name, path
        out = apply_recipe(scene, recipe, 0)
        assert np.abs(out - scene).mean() > 0.01, path
