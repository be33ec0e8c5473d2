"""Tags from a folder layout and from a CSV manifest: matching, strict errors, inheritance."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from core.project import Project
from core.project.importer import import_manifest, import_tagged
from core.project.tags import TagError
from core.studies import tagging
from core.studies.tagging import compile_pattern, read_manifest


def _png(path, value: int) -> bytes:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    Image.fromarray(np.full((6, 5, 3), value, np.uint8)).save(buffer, "PNG")
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def test_a_pattern_gives_its_fields_as_tags_and_name_is_not_one():
    pattern = compile_pattern("{scene}/{degradation}/{name}")
    assert pattern.match("text/motion blur/0001.png") == {
        "scene": "text",
        "degradation": "motion blur",
    }
    assert pattern.match("text/0001.png") is None  # one level short
    assert pattern.match("a/b/c/0001.png") is None  # one level deep: fields never cross '/'
    literal = compile_pattern("{*}/{scene}_{level}.png")
    assert literal.match("set1/face_3.png") == {"scene": "face", "level": "3"}
    assert literal.match("set1/face_3.jpg") is None


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty"),
        ("{scene/{name}", "unbalanced"),
        ("{scene}}/{name}", "unbalanced"),
        ("{scene}/{scene}/{name}", "appears twice"),
        ("{name}/{name}", "appears twice"),
        ("{name}", "no tag field"),
        ("{9lives}/{name}", "tag key"),
        ("{scene.x}/{name}", "letters, digits and '_' only"),
        ("/abs/{scene}", "relative"),
        ("{scene}\\{name}", "relative"),
    ],
)
def test_a_bad_pattern_is_one_error_saying_why(text, says):
    with pytest.raises(TagError, match=says):
        compile_pattern(text)


def test_a_path_value_that_is_not_a_tag_value_is_refused():
    with pytest.raises(TagError, match="control character"):
        compile_pattern("{scene}/{name}").match("bad\x07name/x.png")


def test_import_tagged_tags_matches_and_reports_the_paths_that_do_not_match(tmp_path):
    root = tmp_path / "study"
    _png(root / "text" / "blur" / "a.png", 10)
    _png(root / "faces" / "noise" / "b.png", 20)
    _png(root / "loose.png", 30)
    Project.create(tmp_path / "p").close()
    report = import_tagged(tmp_path / "p", [root], "{scene}/{degradation}/{name}")
    assert len(report.imported) == 2 and report.tagged == report.imported
    assert len(report.errors) == 1
    path, message = report.errors[0]
    assert path.endswith("loose.png") and "does not match the tag pattern" in message
    with Project.open(tmp_path / "p") as project:
        tags = project.tags_for(None)
        names = {image.name: image.id for image in project.images()}
    assert tags[names["a"]] == {"scene": "text", "degradation": "blur"}
    assert tags[names["b"]] == {"scene": "faces", "degradation": "noise"}
    assert "loose" not in names  # never imported untagged


def test_import_tagged_refuses_a_file_argument(tmp_path):
    _png(tmp_path / "one.png", 1)
    with pytest.raises(TagError, match="reads folders"):
        import_tagged(tmp_path / "p", [tmp_path / "one.png"], "{scene}/{name}")


def test_outputs_inherit_their_inputs_tags_set_before_or_after(tmp_path):
    data = _png(tmp_path / "in.png", 50)
    with Project.create(tmp_path / "p") as project:
        source = project.add_image_bytes(data, name="in", kind="imported")
        output = project.add_image_bytes(
            _png(tmp_path / "out.png", 60), name="out", kind="restored", parent_id=source.id
        )
        step = project.add_image_bytes(
            _png(tmp_path / "s.png", 70), name="s", kind="step", parent_id=output.id
        )
        project.set_tags([source.id], {"scene": "text", "dataset": "mine"})
        project.set_tags([output.id], {"scene": "faces"})  # its own wins
        tags = project.tags_for(None)
        assert tags[output.id] == {"scene": "faces", "dataset": "mine"}
        assert tags[step.id] == {"scene": "faces", "dataset": "mine"}
        assert project.images_tagged({"dataset": "mine"}) == [source.id, output.id, step.id]
        assert project.images_tagged({"scene": "text"}) == [source.id]
        assert project.tag_pairs() == [("dataset", "mine", 1), ("scene", "faces", 1),
                                       ("scene", "text", 1)]  # fmt: skip


def _manifest(tmp_path, text: str):
    path = tmp_path / "m.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_manifest_imports_its_files_with_their_tags(tmp_path):
    _png(tmp_path / "imgs" / "a.png", 11)
    _png(tmp_path / "imgs" / "b.png", 12)
    path = _manifest(
        tmp_path, "path,name,scene,subject\nimgs/a.png,alpha,text,\nimgs/b.png,,faces,cat\n"
    )
    rows = read_manifest(path)
    Project.create(tmp_path / "p").close()
    assert [(r.row, r.path.name, r.name, r.tags) for r in rows] == [
        (2, "a.png", "alpha", {"scene": "text"}),  # an empty cell sets nothing
        (3, "b.png", None, {"scene": "faces", "subject": "cat"}),
    ]
    report = import_manifest(tmp_path / "p", path)
    assert len(report.imported) == 2 and not report.errors
    with Project.open(tmp_path / "p") as project:
        by_name = {image.name: image.id for image in project.images()}
        assert set(by_name) == {"alpha", "b"}
        assert project.tags_for([by_name["b"]]) == {
            by_name["b"]: {"scene": "faces", "subject": "cat"}
        }
    # the same file again with other tags: the image already there gets them
    again = _manifest(tmp_path, "path,scene\nimgs/a.png,aerial\n")
    report = import_manifest(tmp_path / "p", again)
    assert report.imported == [] and report.tagged == [by_name["alpha"]]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "empty manifest"),
        ("file,scene\na.png,x\n", "row 1: no 'path' column"),
        ("path,scene,scene\na.png,x,y\n", "row 1: column 'scene' appears twice"),
        ("path,,scene\na.png,,x\n", "row 1: column 2 has no name"),
        ("path,9bad\na.png,x\n", "row 1: column '9bad'"),
        ("path,scene\na.png,x\nb.png\n", "row 3: 1 fields, the header has 2"),
        ("path,scene\n,x\n", "row 2: empty 'path'"),
        ("path,scene\na.png,x\nc.png,y\na.png,z\n", "row 4: 'a.png' is already on row 2"),
        ('path,scene\na.png,"bad\x01"\n', "row 2: tag scene: value contains a control"),
        ('path,scene\na.png,"open\n', "not CSV"),
        ("path,scene\n", "no rows after the header"),
    ],
)
def test_a_bad_manifest_is_one_error_naming_the_row(tmp_path, text, says):
    path = _manifest(tmp_path, text)
    with pytest.raises(TagError, match=str(path).replace("/", ".") + ".*") as caught:
        read_manifest(path)
    assert says in str(caught.value)


def test_a_manifest_is_read_bounded_and_strict_utf8(tmp_path, monkeypatch):
    path = tmp_path / "m.csv"
    path.write_bytes(b"path,scene\na.png,caf\xe9\n")
    with pytest.raises(TagError, match="not-utf8.*line 2"):
        read_manifest(path)
    monkeypatch.setattr(tagging, "MAX_MANIFEST_BYTES", 10)
    path.write_text("path,scene\na.png,x\n")
    with pytest.raises(TagError, match="too-large"):
        read_manifest(path)
    with pytest.raises(TagError, match="not-a-file"):
        read_manifest(tmp_path)


def test_a_bad_manifest_imports_nothing(tmp_path):
    _png(tmp_path / "a.png", 1)
    Project.create(tmp_path / "p").close()
    path = _manifest(tmp_path, 'path,scene\na.png,x\nmissing.png,"\x02"\n')
    with pytest.raises(TagError, match="row 3"):
        import_manifest(tmp_path / "p", path)
    with Project.open(tmp_path / "p") as project:
        assert project.images() == []


def test_an_edit_sets_and_removes_in_one_transaction_and_provenance_shows_tags(tmp_path):
    from core.provenance import Provenance

    with Project.create(tmp_path / "p") as project:
        first = project.add_image_bytes(_png(tmp_path / "a.png", 1), name="a", kind="imported")
        second = project.add_image_bytes(_png(tmp_path / "b.png", 2), name="b", kind="imported")
        child = project.add_image_bytes(
            _png(tmp_path / "c.png", 3), name="c", kind="restored", parent_id=first.id
        )
        project.set_tags([first.id, second.id], {"scene": "text", "old": "x"})
        with pytest.raises(TagError):  # a bad tag: nothing of the edit is written
            project.edit_tags([first.id, second.id], {"subject": "ok", "bad key": "v"}, ["old"])
        assert project.own_tags_of([first.id, second.id, child.id]) == {
            first.id: {"scene": "text", "old": "x"},
            second.id: {"scene": "text", "old": "x"},
        }
        assert project.edit_tags([first.id, second.id], {"subject": "ok"}, ["old"]) == 4
        assert project.own_tags_of([first.id])[first.id] == {"scene": "text", "subject": "ok"}
        story = Provenance.read(project)
        assert story.text(child).splitlines()[-1] == "tags: scene=text, subject=ok"  # inherited


def test_a_long_edit_chain_inherits_from_its_input_whichever_way_it_is_read(tmp_path):
    """A 100-step chain: every step shows the input's tags, for one image, a few or all."""
    with Project.create(tmp_path / "p") as project:
        parent = project.add_image_bytes(_png(tmp_path / "in.png", 0), name="in", kind="imported")
        project.set_tags([parent.id], {"scene": "text"})
        steps = []
        for index in range(1, 101):
            parent = project.add_image_bytes(
                _png(tmp_path / f"s{index}.png", index), name=f"s{index}", kind="step",
                parent_id=parent.id, step_index=index,
            )  # fmt: skip
            steps.append(parent.id)
        project.set_tags([steps[49]], {"scene": "faces"})  # step 50 re-tags the rest
        expected = {i: {"scene": "text" if n < 49 else "faces"} for n, i in enumerate(steps)}
        assert {i: project.tags_for([i])[i] for i in steps} == expected  # one at a time
        assert {i: t for i, t in project.tags_for(steps).items()} == expected  # many at once
        everything = project.tags_for(None)
        assert {i: everything[i] for i in steps} == expected
