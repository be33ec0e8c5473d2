"""Export -> import gives identical annotations; merging exports never duplicates."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.annotations import add, annotations, delete, mark_reviewed, update
from core.annotations.exchange import ExchangeError, export_project, import_files, read_file
from core.annotations.rle import encode_counts
from core.project import Project
from tests.core.annotations.conftest import add_images


def _fill(project, images):
    mask = np.zeros((12, 16), bool)
    mask[2:9, 4:11] = True
    add(project, images[0], label="object_insertion", annotator="alice", region_kind="rect",
        region={"x": 1, "y": 2, "w": 5, "h": 4}, severity=3, note='a "person", here',
        compared_with={"kind": "input"})  # fmt: skip
    add(project, images[1], label="dense_hair", annotator="alice", region_kind="polygon",
        region={"points": [[0, 0], [10, 1], [4, 9]]}, compared_with={"kind": "step", "step": 1})  # fmt: skip
    add(project, images[2], label="amplified_texture", annotator="alice", region_kind="mask",
        region={"size": [12, 16], "counts": encode_counts(mask)}, severity=2)  # fmt: skip
    add(project, images[3], label="colour_shift", annotator="alice")
    gone = add(project, images[3], label="semantic_drift", annotator="alice")
    delete(project, gone.uuid, annotator="alice")


@pytest.mark.parametrize("fmt", ["json", "csv", "coco"])
def test_export_then_import_into_a_fresh_project_is_identical(project, images, tmp_path, fmt):
    _fill(project, images)
    out = tmp_path / f"export.{fmt}"
    assert export_project(project, fmt, out) == (4 if fmt != "coco" else 5 - 1)
    with Project.create(tmp_path / "fresh") as fresh:
        fresh_images = add_images(fresh, 4)  # same pixels, same sha256, other ids
        report = import_files(fresh, [out])
        assert report.added == 4 and report.unmatched_images == 0
        original = [a.as_dict() for a in annotations(project)]
        copied = annotations(fresh)
        assert [a.as_dict() for a in copied] == original
        assert [a.image_id for a in copied] == [i.id for i in fresh_images]
        # a second import of the same file changes nothing
        again = import_files(fresh, [out])
        assert (again.added, again.updated, again.unchanged) == (0, 0, 4)
        assert len(annotations(fresh, include_deleted=True)) == 4


def test_coco_export_has_polygons_and_rle(project, images, tmp_path):
    _fill(project, images)
    export_project(project, "coco", tmp_path / "c.json")
    doc = json.loads((tmp_path / "c.json").read_text())
    assert len(doc["categories"]) == 16 and len(doc["images"]) == 4
    by_kind = {a["iris"]["region_kind"]: a for a in doc["annotations"]}
    assert by_kind["rect"]["segmentation"] == [[1, 2, 6, 2, 6, 6, 1, 6]]
    assert by_kind["rect"]["bbox"] == [1, 2, 5, 4] and by_kind["rect"]["area"] == 20
    assert isinstance(by_kind["mask"]["segmentation"]["counts"], str)
    assert by_kind["mask"]["area"] == 49 and by_kind["mask"]["iscrowd"] == 1
    assert by_kind["image"]["segmentation"] == [[0, 0, 16, 0, 16, 12, 0, 12]]


def test_a_foreign_coco_file_imports_with_stable_uuids(project, images, tmp_path):
    doc = {
        "images": [{"id": 7, "file_name": "x.png", "width": 16, "height": 12,
                    "iris_sha256": images[0].sha256}],
        "categories": [{"id": 1, "name": "colour_shift"}],
        "annotations": [
            {"id": 1, "image_id": 7, "category_id": 1, "segmentation": [[0, 0, 4, 0, 4, 4]]},
            {"id": 2, "image_id": 7, "category_id": 1,
             "segmentation": {"size": [12, 16], "counts": [10, 5, 177]}},
        ],
    }  # fmt: skip
    path = tmp_path / "foreign.json"
    path.write_text(json.dumps(doc))
    assert import_files(project, [path]).added == 2
    assert import_files(project, [path]).added == 0  # uuid5 of (image, id): no duplicates
    kinds = sorted(a.region_kind for a in annotations(project))
    assert kinds == ["mask", "polygon"]


def test_merging_two_annotators_exports_has_no_duplicates(project, images, tmp_path):
    """Alice and Bob each annotate a copy of the same project; Alice's second export overlaps."""
    base = tmp_path / "base.json"
    export_project(project, "json", base)
    alice_dir, bob_dir = tmp_path / "alice", tmp_path / "bob"
    for folder, who, flagged in ((alice_dir, "alice", [0, 1]), (bob_dir, "bob", [1, 2, 3])):
        with Project.create(folder) as copy:
            copied = add_images(copy, 4)
            for i in flagged:
                add(copy, copied[i], label="colour_shift", annotator=who)
            for image in copied:
                mark_reviewed(copy, image.id, who)
            export_project(copy, "json", tmp_path / f"{who}.json")
    # Alice edits one annotation after a first export and exports again
    with Project.open(alice_dir) as copy:
        first = annotations(copy)[0]
        update(copy, first.uuid, annotator="alice", severity=3)
        export_project(copy, "csv", tmp_path / "alice-2.csv")
    report = import_files(
        project, [tmp_path / "alice.json", tmp_path / "bob.json", tmp_path / "alice-2.csv"]
    )
    assert report.added == 5 and report.unmatched_images == 0
    merged = annotations(project)
    assert len(merged) == len({a.uuid for a in merged}) == 5
    assert next(a for a in merged if a.uuid == first.uuid).severity == 3  # the later copy wins
    again = import_files(project, [tmp_path / "bob.json", tmp_path / "alice.json"])
    assert again.added == 0 and len(annotations(project)) == 5


def test_unreadable_files_are_reported(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}')
    with pytest.raises(ExchangeError, match="neither IRIS annotations nor COCO"):
        read_file(bad)
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("a,b\n1,2\n")
    with pytest.raises(ExchangeError, match="lacks the columns"):
        read_file(csv_file)
