"""Cases as seed 000 counts them: images with a flag of the group, over the images reviewed."""

from __future__ import annotations

import pytest

from core.annotations import add, delete, mark_reviewed
from core.annotations.summary import case_table, counts, summary
from tests.core.annotations.conftest import add_images

BOX = {"x": 1, "y": 1, "w": 3, "h": 3}


def _flag(project, image, label, who="ann", **extra):
    return add(project, image, label=label, annotator=who, region_kind="rect", region=BOX, **extra)


@pytest.fixture
def study(project):
    """Two prompts' outputs (S1: 3 images, LF1: 2) with several flags on some images."""
    inputs = add_images(project, 3)
    s1 = add_images(project, 3, seed=1, meta={"prompt_id": "S1"})
    lf1 = add_images(project, 2, seed=2, meta={"prompt_id": "LF1"})
    project.set_tags([s1[0].id, lf1[0].id], {"scene": "text"})
    for _ in range(3):  # three regions of one label on one image: one case
        _flag(project, s1[0], "object_insertion")
    _flag(project, s1[0], "colour_shift")  # another infidelity label, same image
    _flag(project, s1[1], "semantic_drift")
    _flag(project, s1[1], "dense_hair")  # over-generation
    _flag(project, lf1[0], "shape_distortion", who="bo")
    gone = _flag(project, lf1[1], "object_insertion")
    delete(project, gone.uuid, annotator="ann")  # deleted flags are no case
    for image in (*s1, *lf1):
        mark_reviewed(project, image.id, "ann")
    return inputs, s1, lf1


def test_cases_per_prompt_count_images_not_flags(project, study):
    table = case_table(project, "prompt")
    assert table.columns == ["LF1", "S1"]
    assert table.cases["infidelity"] == {"S1": 2, "LF1": 1}  # 6 infidelity flags on S1 images
    assert table.cases["object_insertion"] == {"S1": 1}
    assert table.cases["over_generation"] == {"S1": 1}
    assert table.reviewed == {"S1": 3, "LF1": 2}
    assert table.rows[:2] == ["infidelity", "object_insertion"] and "infidelity" in table.groups
    assert counts(project, "prompt")["object_insertion"] == {"S1": 1}


def test_cases_per_tag_and_annotator(project, study):
    by_scene = case_table(project, "scene")
    assert by_scene.cases["infidelity"] == {"text": 2, "(none)": 1}
    assert by_scene.reviewed == {"text": 2, "(none)": 3}
    by_who = case_table(project, "annotator")
    assert by_who.cases["infidelity"] == {"ann": 2, "bo": 1}
    assert by_who.reviewed["bo"] == 1  # bo flagged one image without marking it
    only_bo = case_table(project, "prompt", annotator="bo")
    assert only_bo.cases["infidelity"] == {"LF1": 1} and only_bo.reviewed == {"LF1": 1}
    with pytest.raises(ValueError, match="count by one of method, prompt, annotator, scene"):
        case_table(project, "degradation")


def test_summary_json_carries_the_case_tables(project, study):
    data = summary(project)
    assert data["annotations"] == 7  # flags stay counted as flags here
    assert data["by_label_prompt"]["object_insertion"] == {"S1": 1}
    assert data["cases"]["prompt"]["cases"]["infidelity"] == {"S1": 2, "LF1": 1}
    assert set(data["cases"]) == {"method", "prompt", "annotator", "scene"}
