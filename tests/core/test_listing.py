"""What the project browser lists (core.listing): names, tooltips, the kind and tag filters
and the runs mode, read on a connection of its own as a pool thread does."""

from __future__ import annotations

import numpy as np

from core.iterate.runner import IterateSpec, iterate
from core.listing import RUNS, describe_image, read_listing, read_listing_at
from core.project import Project


def _project(tmp_path):
    path = tmp_path / "p"
    with Project.create(path) as project:
        first = project.add_image_array(
            np.zeros((8, 12, 3), np.float32), name="first.png", kind="imported"
        )
        second = project.add_image_array(
            np.ones((8, 8, 3), np.float32), name="second.png", kind="imported"
        )
        project.set_tags([second.id], {"scene": "indoor"})
    iterate(path, first.id, IterateSpec("generation-loss", 2), group="g")
    return path, first.id, second.id


def test_images_are_listed_with_unique_names_paths_and_their_story(tmp_path):
    path, first, second = _project(tmp_path)
    listing = read_listing_at(path)
    keys = [entry.key for entry in listing.entries]
    assert keys[:2] == [first, second] and len(keys) == 4  # two inputs, two steps
    labels = [entry.label for entry in listing.entries]
    assert len(set(labels)) == 4 and labels[0] == "first"
    assert all(entry.path is not None and entry.path.is_file() for entry in listing.entries)
    assert listing.entries[0].tooltip.splitlines()[1] == "imported, 12x8, 8-bit PNG"
    assert listing.summary == "4 images, 1 runs"
    assert set(listing.images) == set(keys) and listing.runs == {}
    assert ("scene", "indoor", 1) in listing.tag_pairs  # (key, value, images)


def test_the_kind_and_tag_filters_narrow_and_say_how_many_are_shown(tmp_path):
    path, _first, second = _project(tmp_path)
    with Project.open(path) as project:
        steps = read_listing(project, "step")
        tagged = read_listing(project, None, {"scene": "indoor"})
    assert [e.label for e in steps.entries] == ["first · run 1 · step 1", "first · run 1 · step 2"]
    assert [entry.key for entry in tagged.entries] == [second]
    assert tagged.summary == "4 images, 1 runs (1 shown)"


def test_runs_are_listed_with_their_last_step_as_preview(tmp_path):
    path, _first, _second = _project(tmp_path)
    with Project.open(path) as project:
        listing = read_listing(project, RUNS)
        run = project.run("g-r1")
        last = project.images(run_id=run.id)[-1]
        expected = project.image_path(last)
    (entry,) = listing.entries
    assert entry.key == f"run:{run.id}" and listing.runs[entry.key].id == run.id
    assert entry.path == expected and entry.label.endswith("\ndone")
    assert "iterate run g-r1, done\ngroup g" in entry.tooltip and listing.images == {}


def test_describe_image_falls_back_to_the_source_path(tmp_path):
    path, first, _second = _project(tmp_path)
    with Project.open(path) as project:
        image = project.image(first)
    assert describe_image(image, "shown").splitlines()[0] == "shown"
    assert describe_image(image, "", "made by X").splitlines() == [
        image.name,
        "imported, 12x8, 8-bit PNG",
        "made by X",
    ]
