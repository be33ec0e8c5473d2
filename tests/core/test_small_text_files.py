"""Recipes, taxonomies and prompt lists are user files: bounded, strict UTF-8, sane JSON."""

from __future__ import annotations

import os

import pytest

from core.annotations.taxonomy import load_taxonomy_file
from core.degrade.recipe import Recipe
from core.errors import IrisError
from core.iterate.schedules import schedule_from_spec

LOADERS = {
    "recipe": Recipe.load,
    "taxonomy": load_taxonomy_file,
    "prompt list": schedule_from_spec,
}


def hostile(tmp_path, kind: str):
    path = tmp_path / kind
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "huge":
        with path.open("wb") as handle:
            handle.truncate(64 * 1024 * 1024)
    elif kind == "latin1":
        path.write_bytes(b'{"name": "caf\xe9"}')
    elif kind == "deep":
        path.write_text("[" * 100_000 + "]" * 100_000)
    elif kind == "not-an-object":
        path.write_text("[1, 2, 3]")
    return path


CASES = [
    (loader, kind)
    for loader in LOADERS
    for kind in ("fifo", "huge", "latin1", "deep", "not-an-object")
    # a prompt list is plain text: any UTF-8 lines are prompts, JSON or not
    if not (loader == "prompt list" and kind in ("deep", "not-an-object"))
]


@pytest.mark.parametrize(("loader", "kind"), CASES)
def test_hostile_text_files_give_one_named_error(tmp_path, loader, kind):
    path = hostile(tmp_path, kind)
    with pytest.raises(IrisError) as caught:
        LOADERS[loader](str(path))
    assert str(path) in str(caught.value) or path.name in str(caught.value)
