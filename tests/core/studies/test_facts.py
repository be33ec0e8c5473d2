"""Facts: the keys of each image, and references resolved as ``iris score --ref`` resolves them."""

from __future__ import annotations

import pytest

from core.metrics.references import NAMED, resolve_reference
from core.project import Project
from core.studies.facts import _Images, group_code, read_facts
from tests.core.metrics.make_runs import build_iterative_project
from tests.core.studies.make_study import build_study


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """Iterative run groups, a degraded image of the input and a restore run of both."""
    from core.methods.runner import restore_images

    path = tmp_path_factory.mktemp("mixed") / "p"
    project = build_iterative_project(path, runs=2, steps=3, size=16, images=2)
    source = project.images(kind="imported")[0]
    pixels = project.load_pixels(source).pixels * 0.5
    degraded = project.add_image_array(pixels, name="dark", kind="degraded", parent_id=source.id)
    project.close()
    restore_images(path, [source.id, degraded.id], "gamma", repeat=2, device="cpu")
    return path


def test_bulk_references_equal_resolve_reference_for_every_image_and_name(mixed):
    with Project.open(mixed) as project:
        images = _Images(project)
        for record in project.images():
            for spec in NAMED:
                expected = resolve_reference(project, record, spec)
                got = images.reference_id(record.id, spec)
                assert (got, spec) == (expected.image_id if expected else None, spec), record


def test_keys_of_steps_restored_outputs_and_inputs(mixed):
    facts = read_facts(mixed, ["niqe"])
    with Project.open(mixed) as project:
        records = {r.id: r for r in project.images()}
        steps = [r for r in records.values() if r.kind == "step"]
        restored = [r for r in records.values() if r.kind == "restored"]
    step = facts.keys[steps[0].id]
    assert step["kind"] == "step" and step["step"] == steps[0].step_index
    assert step["group"] is not None and step["repeat"] == 0 and step["input"] == "input0.png"
    assert sorted(facts.keys[r.id]["repeat"] for r in restored) == [0, 0, 1, 1]
    assert {facts.keys[r.id]["input"] for r in restored} == {"input0.png", "dark"}
    assert {facts.keys[r.id]["method"] for r in restored} == {"gamma"}
    inputs = [r for r in records.values() if r.kind in ("imported", "degraded")]
    assert all(facts.keys[r.id]["input"] == r.name for r in inputs)
    assert all(facts.keys[r.id]["method"] is None for r in inputs)


def test_prompt_groups_are_the_papers_codes(tmp_path):
    assert [group_code(g) for g in ("Short", "Short + Fidelity", "Long", "Long + Fidelity")] == [
        "S", "SF", "L", "LF",
    ]  # fmt: skip
    study = build_study(tmp_path / "p")
    facts = read_facts(study.path, ["niqe"])
    output = facts.keys[study.outputs[(1, 1, 0, 0)]]
    assert (output["prompt"], output["prompt_group"], output["model"]) == ("SF1", "SF", "nano-v1")
    assert output["scene"] == "text"  # the input's tag, inherited
    fact = next(f for f in facts.facts() if f.image_id == study.outputs[(1, 1, 0, 0)])
    assert fact.metric == "niqe" and fact.reference == "" and fact.keys["method"] == "nano"


def test_a_score_of_another_metric_version_is_not_taken_for_the_current_one(tmp_path):
    study = build_study(tmp_path / "p")
    target = study.outputs[(0, 0, 0, 0)]
    with Project.open(study.path) as project:
        image = project.image(target)
        project.put_score(image.sha256, "brisque", "pyiqa-0.0.1", 50.0)
    facts = read_facts(study.path, ["brisque"])
    assert facts.status["brisque"][target] == "other version"
    assert target not in facts.values["brisque"]
