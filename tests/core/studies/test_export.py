"""Exporting images: the stored bytes, safe unique names inside the folder, one manifest row each."""

from __future__ import annotations

import csv
import hashlib
import io
import os

import numpy as np
import pytest
from PIL import Image

from core.project import Project
from core.studies.export import ExportError, compile_name, export_images, select_images


def _encoded(value: int, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(np.full((6, 5, 3), value, np.uint8)).save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture
def study(tmp_path):
    """Two inputs (one a JPEG), a restore run with two repeats each, an edit chain of 2 steps."""
    path = tmp_path / "p"
    with Project.create(path) as project:
        a = project.add_image_bytes(_encoded(10), name="cat", kind="imported")
        b = project.add_image_bytes(_encoded(20, "JPEG"), name="../../evil:con", kind="imported")
        project.set_tags([a.id], {"scene": "animal"})
        project.set_tags([b.id], {"scene": "text/ocr"})
        method = project.ensure_method("unsharp", "classical")
        run = project.create_run("r1", "restore", method_id=method)
        outputs = []
        for source in (a, b):
            for repeat in range(2):
                outputs.append(
                    project.add_image_bytes(
                        _encoded(100 + 10 * len(outputs)), name=f"{source.name} out",
                        kind="restored", parent_id=source.id, method_id=method,
                        run_id=run.id, meta={"repeat": repeat},
                    ).id
                )  # fmt: skip
        chain = project.create_run("chain", "iterate", method_id=method)
        one = project.add_image_bytes(_encoded(201), name="s1", kind="step", parent_id=a.id,
                                      run_id=chain.id, step_index=1)  # fmt: skip
        two = project.add_image_bytes(_encoded(202), name="s2", kind="step", parent_id=one.id,
                                      run_id=chain.id, step_index=2)  # fmt: skip
    return path, {"a": a.id, "b": b.id, "outputs": outputs, "steps": [one.id, two.id]}


def _manifest(out):
    with open(out / "manifest.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_every_file_with_its_manifest_row(study, tmp_path):
    path, ids = study
    with Project.open(path) as project:
        chosen = select_images(project, run="r1")
        stored = {i: project.image(i) for i in chosen}
    assert chosen == ids["outputs"]
    out = tmp_path / "out"
    report = export_images(path, chosen, out)
    rows = _manifest(out)
    assert len(rows) == len(chosen) == len(report.rows) and not report.errors
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert files == sorted([row["file"] for row in rows] + ["manifest.csv"])
    for row in rows:
        image = stored[int(row["image_id"])]
        data = (out / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == image.sha256 == row["sha256"]
        with Project.open(path) as project:
            assert data == project.image_path(image).read_bytes()  # byte for byte
        assert (row["run"], row["method"], row["kind"]) == ("r1", "unsharp", "restored")
        assert row["input_id"] == str(image.parent_id)
    by_id = {int(row["image_id"]): row for row in rows}
    first = by_id[ids["outputs"][0]]
    assert first["file"] == "cat_unsharp_0.png" and first["repeat"] == "0"
    assert by_id[ids["outputs"][1]]["file"] == "cat_unsharp_1.png"
    assert first["input"] == "cat" and first["scene"] == "animal"  # inherited tag
    # the hostile input name stays one safe name inside the folder
    evil = by_id[ids["outputs"][2]]["file"]
    assert evil == "_.._evil_con_unsharp_0.png" and (out / evil).parent == out


def test_steps_name_their_chain_input_and_step(study, tmp_path):
    path, ids = study
    report = export_images(path, ids["steps"], tmp_path / "out", name="{run}/{input}_{step}.png")
    assert [row["file"] for row in report.rows] == ["chain/cat_1.png", "chain/cat_2.png"]
    assert [row["input_id"] for row in report.rows] == [str(ids["a"])] * 2


def test_the_extension_is_the_stored_formats_and_names_are_unique(study, tmp_path):
    path, ids = study
    out = tmp_path / "out"
    out.mkdir()
    (out / "same.png").write_bytes(b"somebody else's file")
    report = export_images(path, [ids["a"], ids["b"], *ids["outputs"]], out, name="same.png")
    files = [row["file"] for row in report.rows]
    assert files[0] == "same-2.png" and files[1] == "same.jpg"  # JPEG bytes keep .jpg
    assert len(set(files)) == len(files) == 6
    assert (out / "same.png").read_bytes() == b"somebody else's file"  # never overwritten
    again = export_images(path, [ids["a"], ids["b"], *ids["outputs"]], out, name="same.png")
    assert [row["file"] for row in again.rows] == files  # exporting again changes nothing
    assert len(_manifest(out)) == 6


def test_tag_fields_folders_and_hostile_values_stay_inside(study, tmp_path):
    path, ids = study
    out = tmp_path / "out"
    report = export_images(path, [ids["b"]], out, name="{scene}/{name}.png")
    (written,) = [row["file"] for row in report.rows]
    assert written.startswith("text_ocr/") and (out / written).resolve().is_relative_to(out)
    with pytest.raises(ExportError, match="leave the export folder"):
        export_images(path, [ids["a"]], out, name="../{name}.png")


def test_a_folder_linking_outside_is_refused(study, tmp_path):
    path, ids = study
    out, outside = tmp_path / "out", tmp_path / "outside"
    out.mkdir()
    outside.mkdir()
    os.symlink(outside, out / "animal")
    report = export_images(path, [ids["a"]], out, name="{scene}/{name}.png")
    assert report.rows == [] and "outside" in report.errors[0][1]
    assert list(outside.iterdir()) == []


def test_unknown_fields_are_one_error_listing_the_known_ones(study):
    with pytest.raises(ExportError) as caught:
        compile_name("{input}_{methd}.png", ["scene"])
    message = str(caught.value)
    assert "unknown field {methd}" in message
    assert "known: id, name, kind, input, method, run, step, repeat, sha, scene" in message
    with pytest.raises(ExportError, match="unbalanced"):
        compile_name("{input", [])


def test_selection_by_kind_tag_and_run_combine(study):
    path, ids = study
    with Project.open(path) as project:
        assert (
            select_images(project, kind="restored", tags={"scene": "animal"}) == ids["outputs"][:2]
        )
        assert select_images(project, tags={"scene": "animal"}) == [
            ids["a"], *ids["outputs"][:2], *ids["steps"]
        ]  # fmt: skip
        with pytest.raises(ExportError, match="choose the images"):
            select_images(project)


def test_a_damaged_stored_file_is_reported_not_exported(study, tmp_path):
    path, ids = study
    with Project.open(path) as project:
        project.image_path(ids["a"]).write_bytes(b"not the image")
    report = export_images(path, [ids["a"], ids["b"]], tmp_path / "out")
    assert [row["image_id"] for row in report.rows] == [str(ids["b"])]
    assert "damaged" in report.errors[0][1]


def test_a_foreign_manifest_is_refused_before_anything_is_written(study, tmp_path):
    path, ids = study
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.csv").write_text("my,own\nnotes,here\n")
    with pytest.raises(ExportError, match="not an IRIS export manifest"):
        export_images(path, [ids["a"]], out)
    assert sorted(p.name for p in out.iterdir()) == ["manifest.csv"]


def test_manifest_cells_a_spreadsheet_would_run_are_written_as_text(tmp_path):
    path = tmp_path / "p"
    with Project.create(path) as project:
        image = project.add_image_bytes(_encoded(5), name="=HYPERLINK(x)", kind="imported")
        project.set_tags([image.id], {"note": "-2 dB", "ok": "fine"})
    export_images(path, [image.id], tmp_path / "out", name="{id}.png")
    (row,) = _manifest(tmp_path / "out")
    assert row["name"] == "'=HYPERLINK(x)" and row["note"] == "'-2 dB" and row["ok"] == "fine"
    export_images(path, [image.id], tmp_path / "out", name="{id}.png")  # merged again
    (again,) = _manifest(tmp_path / "out")
    assert again["name"] == "'=HYPERLINK(x)"  # guarded once, not twice
