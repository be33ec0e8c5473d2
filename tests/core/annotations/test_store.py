"""Annotations are committed at once, validated, soft-deleted, and undo survives reopening."""

from __future__ import annotations

import numpy as np
import pytest

from core.annotations import AnnotationError, add, annotations, delete, redo, undo, update
from core.annotations.store import can_undo_redo, mark_reviewed, reviewed_images
from core.annotations.taxonomy import (
    Taxonomy,
    TaxonomyError,
    default_taxonomy,
    project_taxonomy,
    set_project_taxonomy,
)
from core.project import Project
from tests.core import rawdb


def test_default_taxonomy_has_the_study_categories():
    taxonomy = default_taxonomy()
    assert [g.id for g in taxonomy.groups] == ["infidelity", "over_generation", "iterative"]
    assert len(taxonomy.labels) == 16
    assert taxonomy.label("replacement_instead_of_addition").group == "iterative"
    assert taxonomy.title("dense_hair") == "Dense hair"


def test_a_project_can_override_the_taxonomy(project, images):
    custom = Taxonomy.from_dict({"groups": [{"id": "g", "labels": [{"id": "blur"}]}]})
    set_project_taxonomy(project, custom)
    assert [label.id for label in project_taxonomy(project).labels] == ["blur"]
    add(project, images[0], label="blur", annotator="ann")
    with pytest.raises(AnnotationError, match="unknown label 'colour_shift'"):
        add(project, images[0], label="colour_shift", annotator="ann")
    set_project_taxonomy(project, None)
    assert len(project_taxonomy(project).labels) == 16
    too_many = {"groups": [{"id": "g", "labels": [{"id": f"l{i}"} for i in range(10)]}]}
    with pytest.raises(TaxonomyError, match="at most 9"):
        Taxonomy.from_dict(too_many)


def test_add_validates_and_stores_every_field(project, images):
    made = add(
        project,
        images[1],
        label="object_insertion",
        annotator="alice",
        region_kind="rect",
        region={"x": 8, "y": 6, "w": -4, "h": -3},  # drawn up-left: normalised
        severity=3,
        note="a person appeared",
        compared_with={"kind": "method", "method": "hypir"},
    )
    (stored,) = annotations(project, image_id=images[1].id)
    assert stored == made
    assert stored.region == {"x": 4.0, "y": 3.0, "w": 4.0, "h": 3.0}
    assert stored.image_sha256 == images[1].sha256 and len(stored.uuid) == 36
    with pytest.raises(AnnotationError, match="severity"):
        add(project, images[1], label="colour_shift", annotator="a", severity=4)
    with pytest.raises(AnnotationError, match="compared_with kind"):
        add(project, images[1], label="colour_shift", annotator="a", compared_with={"kind": "x"})
    with pytest.raises(Exception, match="at least 3 points"):
        add(project, images[1], label="colour_shift", annotator="a", region_kind="polygon",
            region={"points": [[0, 0], [1, 1]]})  # fmt: skip


def test_brush_masks_are_stored_compressed(project, images):
    mask = np.zeros((12, 16), bool)
    mask[3:7, 2:9] = True
    made = add(project, images[0], label="dense_hair", annotator="a", region_kind="mask",
               region={"size": [12, 16], "counts": __import__("core.annotations.rle",
               fromlist=["x"]).encode_counts(mask)})  # fmt: skip
    assert isinstance(made.region["counts"], str)


def test_undo_redo_is_persistent_across_reopening(project, images):
    a = add(project, images[0], label="colour_shift", annotator="ann")
    update(project, a.uuid, annotator="ann", severity=2, note="strong")
    b = add(project, images[1], label="semantic_drift", annotator="ann")
    delete(project, b.uuid, annotator="ann")
    add(project, images[2], label="dense_hair", annotator="bob")  # bob's stack is separate
    path = project.path
    project.close()

    with Project.open(path) as reopened:
        assert [x.label for x in annotations(reopened, annotator="ann")] == ["colour_shift"]
        assert undo(reopened, "ann").uuid == b.uuid  # the delete is undone
        assert [x.label for x in annotations(reopened, annotator="ann")] == [
            "colour_shift",
            "semantic_drift",
        ]
    with Project.open(path) as reopened:
        undo(reopened, "ann")  # the creation of b
        back = undo(reopened, "ann")  # the update of a
        assert (back.severity, back.note) == (1, "")
        assert [x.uuid for x in annotations(reopened, annotator="ann")] == [a.uuid]
    with Project.open(path) as reopened:
        assert redo(reopened, "ann").severity == 2
        assert can_undo_redo(reopened, "ann") == (True, True)
        # a new change clears the redo stack
        add(reopened, images[3], label="counting_failure", annotator="ann")
        assert redo(reopened, "ann") is None
        undo(reopened, "ann")
        undo(reopened, "ann")
        undo(reopened, "ann")
        assert undo(reopened, "ann") is None  # nothing left: a was created, then undone
        assert annotations(reopened, annotator="ann") == []
        assert len(annotations(reopened, annotator="bob")) == 1
        events = rawdb.scalar(reopened, "SELECT count(*) FROM annotation_events")
        assert events == 13  # 5 edits, 1 + 2 undos, 1 redo, 1 edit, 3 undos: all logged


def test_review_marks(project, images):
    mark_reviewed(project, images[0].id, "ann")
    mark_reviewed(project, images[0].id, "bob")
    mark_reviewed(project, images[1].id, "ann")
    mark_reviewed(project, images[1].id, "ann", reviewed=False)
    assert reviewed_images(project) == {images[0].id: ["ann", "bob"]}
    assert reviewed_images(project, "bob") == {images[0].id: ["bob"]}
