"""Display names are short, say what an image is, and never repeat, even for look-alike names."""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest
from PIL import Image

from core.naming import (
    BUDGET,
    ProjectNames,
    display_names,
    elide_around,
    elide_middle,
    group_display_name,
    provenance_text,
    run_display_name,
    stem,
    unique_labels,
    window_title,
)
from core.project import Project

_colours = itertools.count(1)


def _png() -> bytes:
    """A distinct tiny PNG each call (imported content is deduplicated by hash)."""
    value = next(_colours)
    pixels = np.full((4, 4, 3), (value % 256, value // 256 % 256, 7), np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    return buffer.getvalue()


def _add(project: Project, name: str, kind: str = "imported", **provenance):
    return project.add_image_bytes(_png(), name=name, kind=kind, **provenance)


def _group(project, image, group, editor, schedule, runs, steps):
    method = project.ensure_method(editor, "classical", meta={"method": editor})
    made = []
    for number in range(1, runs + 1):
        run = project.create_run(
            f"{group}-r{number}",
            "iterate",
            method_id=method,
            group_name=group,
            params={"editor": editor, "schedule": schedule, "input_image_id": image.id},
        )
        parent = image
        for index in range(1, steps + 1):
            parent = _add(
                project,
                f"{run.name} step {index}",
                "step",
                parent_id=parent.id,
                method_id=method,
                run_id=run.id,
                step_index=index,
                meta={"prompt": "Make an exact copy", "seed": index},
            )
            made.append(parent)
    return made


@pytest.fixture
def look_alikes(tmp_path):
    """A project full of names that collide once stored, shortened or elided."""
    with Project.create(tmp_path / "p", name="look-alikes") as project:
        ids = {}
        ids["fabric"] = _add(project, "fabric", source_path="/data/fabric.png")
        ids["bricks"] = _add(project, "bricks.png", source_path="/a/bricks.png")
        ids["bricks2"] = _add(project, "bricks.png", source_path="/b/bricks.png")
        ids["beach1"] = _add(project, "IMG_20240101_123456_holiday_beach_001.jpg")
        ids["beach2"] = _add(project, "IMG_20240101_123456_holiday_beach_002.jpg")
        ids["scan1"] = _add(project, "scan_0001_page_left_side_of_the_book.png")
        ids["scan2"] = _add(project, "scan_0002_page_left_side_of_the_book.png")
        ids["noisy"] = _add(
            project,
            "fabric (gaussian noise)",
            "degraded",
            parent_id=ids["fabric"].id,
            meta={"recipe": {"op": "gaussian_noise", "sigma_255": 20}, "seed": 11},
        )
        nlmeans = project.ensure_method("nlmeans", "classical", meta={"method": "nlmeans"})
        run = project.create_run("restore nlmeans 1", "restore", method_id=nlmeans)
        once = _add(
            project,
            "fabric (gaussian noise) [nlmeans]",
            "restored",
            parent_id=ids["noisy"].id,
            method_id=nlmeans,
            run_id=run.id,
            meta={"method": "nlmeans", "params": {"h": 10}},
        )
        ids["once"] = once
        ids["twice"] = _add(
            project,
            "fabric (gaussian noise) [nlmeans] [nlmeans]",
            "restored",
            parent_id=once.id,
            method_id=nlmeans,
            run_id=run.id,
        )
        ids["repeat"] = _add(
            project,
            "fabric (gaussian noise) [nlmeans] #2",
            "restored",
            parent_id=ids["noisy"].id,
            method_id=nlmeans,
            run_id=run.id,
        )
        project.create_run("restore nlmeans 2", "restore", method_id=nlmeans)
        gradient = _add(project, "gradient")
        ids["gradient"] = gradient
        ids["steps_a"] = _group(
            project, gradient, "gradient-gen-replicate-1", "gen", "replicate", 2, 7
        )
        ids["steps_b"] = _group(
            project, gradient, "gradient-gen-replicate-2", "gen", "replicate", 2, 3
        )
        ids["steps_c"] = _group(project, gradient, "gradient-gen-drift-1", "gen", "drift", 1, 2)
        yield project, ids


def test_every_image_run_and_group_has_a_distinct_short_name(look_alikes):
    project, _ids = look_alikes
    names = ProjectNames.read(project)
    assert set(names.images) == {image.id for image in project.images()}
    for table in (names.images, names.runs, names.groups):
        labels = list(table.values())
        assert len(set(labels)) == len(labels), labels
        assert all(label.strip() for label in labels)
        assert all(len(label) <= BUDGET + 8 for label in labels), labels  # steps of look-alikes


def test_names_say_what_an_image_is(look_alikes):
    project, ids = look_alikes
    names = display_names(project)
    assert names[ids["fabric"].id] == "fabric"
    assert names[ids["noisy"].id] == "fabric · gaussian noise"
    once, twice = names[ids["once"].id], names[ids["twice"].id]
    assert once == "fabric · …noise · nlmeans"  # the middle keeps its last word
    assert twice.endswith(" · nlmeans×2")  # not "[nlmeans] [nlmeans]"
    assert names[ids["repeat"].id].endswith(" · nlmeans #2")
    assert names[ids["bricks"].id] == "bricks"
    assert names[ids["bricks2"].id] == "bricks (2)"  # equal names: a stable suffix, in id order


def test_long_look_alike_stems_are_elided_where_they_differ(look_alikes):
    project, ids = look_alikes
    names = display_names(project)
    for first, second, differ in (("beach1", "beach2", ("001", "002")), ("scan1", "scan2", "12")):
        a, b = names[ids[first].id], names[ids[second].id]
        assert a != b and len(a) <= BUDGET and len(b) <= BUDGET, (a, b)
        assert differ[0] in a and differ[1] in b, (a, b)
        assert "…" in a and "(2)" not in b  # elided, and still telling them apart


def test_steps_runs_and_groups_name_their_input_and_number(look_alikes):
    project, ids = look_alikes
    names = ProjectNames.read(project)
    labels = [names.images[step.id] for step in ids["steps_a"] + ids["steps_b"]]
    assert len(set(labels)) == len(labels)
    groups = names.groups
    assert len(set(groups.values())) == 3
    assert groups["gradient-gen-drift-1"] == "gradient · drift"
    assert groups["gradient-gen-replicate-2"] == "gradient · replicate-2"
    seventh = names.images[ids["steps_a"][13].id]  # run 2, step 7 of the first group
    assert seventh.startswith("gradient · ") and seventh.endswith("-1 · run 2 · step 7"), seventh
    run_two = {names.images[step.id].rsplit(" · step", 1)[0] for step in ids["steps_a"][7:]}
    assert len(run_two) == 1  # the steps of one run read alike
    runs = [run for run in project.runs() if run.group_name == "gradient-gen-replicate-2"]
    assert run_display_name(project, runs[1]).endswith("run 2")
    assert run_display_name(project, runs[0]) != run_display_name(
        project, next(r for r in project.runs() if r.name == "gradient-gen-replicate-1-r1")
    )
    assert group_display_name(project, "no such group") == "no such group"
    restores = [run for run in project.runs() if run.kind == "restore"]
    assert len({names.runs[run.id] for run in restores}) == 2


def test_names_are_stable_when_the_project_grows(look_alikes):
    project, ids = look_alikes
    before = display_names(project)
    _add(project, "a new image")
    after = display_names(project)
    assert {key: after[key] for key in before} == before


def test_provenance_tells_the_whole_chain(look_alikes):
    project, ids = look_alikes
    text = provenance_text(project, ids["twice"])
    lines = text.splitlines()
    assert lines[0].startswith("fabric: imported from /data/fabric.png")
    assert "degraded from fabric with gaussian_noise (sigma_255 20), seed 11" in lines[1]
    assert "restored from fabric · gaussian noise by nlmeans with h 10" in lines[2]
    assert lines[-1] == "stored as: fabric (gaussian noise) [nlmeans] [nlmeans]"
    step = provenance_text(project, ids["steps_a"][13])
    assert step.splitlines()[0].startswith("gradient: imported")
    assert "(then 6 earlier steps of the same run)" in step
    assert "step 7 of run gradient-gen-replicate-1-r2 in group gradient-gen-replicate-1" in step
    assert "prompt: Make an exact copy" in step


def test_provenance_survives_a_damaged_chain():
    """A missing parent or a cycle (a damaged project) ends the story, it does not loop."""
    from core.project import ImageRecord
    from core.provenance import Provenance

    def record(id_, name, parent, kind="restored", meta=None):
        return ImageRecord(id_, "0" * 64, "f", name, kind, 4, 4, 8, "PNG", parent_id=parent,
                           meta=meta if meta is not None else {"params": "junk"})  # fmt: skip

    images = {1: record(1, "lost [x]", 987), 2: record(2, "a", 3), 3: record(3, "b", 2)}
    names = ProjectNames(images={1: "lost [x]", 2: "a", 3: "b"})
    story = Provenance(images, {}, {}, names)
    assert "image #987: no longer in the project" in story.text(1)
    assert story.text(2).splitlines()[-1] == "stored as: a"  # the cycle was walked once


def test_one_group_on_an_image_reads_as_the_image_and_run(tmp_path):
    with Project.create(tmp_path / "p") as project:
        steps = _group(
            project, _add(project, "gradient.png"), "g-edit-replicate-x", "edit", "r", 2, 7
        )
        names = ProjectNames.read(project)
    assert names.images[steps[-1].id] == "gradient · run 2 · step 7"
    assert list(names.groups.values()) == ["gradient"]
    assert list(names.runs.values()) == ["gradient · run 1", "gradient · run 2"]


def test_elision_helpers():
    assert elide_middle("abcdefghij", 5) == "ab…ij"
    assert elide_middle("short", 10) == "short"
    assert elide_middle("abc", 1) == "…"
    text = "scan_0001_page_left_side_of_the_book"
    kept = elide_around(text, 16, 8, 9)
    assert "1" in kept and len(kept) <= 17
    assert stem("/x/y/IMG_1.JPG") == "IMG_1"
    assert stem("notes.v2") == "notes.v2"  # not an image extension: kept
    assert stem("") == "image"
    labels = unique_labels([(1, "a", "a"), (2, "a", "a"), (3, "a (2)", "a (2)")])
    assert len(set(labels.values())) == 3 and labels[1] == "a"


@pytest.mark.parametrize(
    ("name", "path", "title"),
    [
        ("IRIS sample", "/x/sample", "IRIS sample"),  # Qt adds " — IRIS"
        ("", "/x/my-project/", "my-project"),
        ("  two\n lines ", None, "two lines"),
        (None, None, "IRIS"),
    ],
)
def test_window_title_names_the_project_once(name, path, title):
    assert window_title(name, path) == title
