"""``iris ratings import|export|summary``: round trip, malformed rows, all or nothing."""

from __future__ import annotations

import json

import pytest

from core.project import Project
from tests.app.test_annotations_cli import iris
from tests.core.annotations.conftest import add_images


@pytest.fixture
def rated(tmp_path):
    path = tmp_path / "p"
    with Project.create(path) as project:
        inputs = add_images(project, 2)
        method = project.ensure_method("hypir", "imported")
        outs = add_images(project, 3, seed=5, method_id=method)
        project.put_ratings(
            [(outs[0].id, "ann", 4), (outs[1].id, "ann", 2), (inputs[0].id, "bo", 0)]
        )
    return path, inputs, outs


def test_export_import_round_trip_and_summary(tmp_path, rated):
    path, inputs, outs = rated
    out = tmp_path / "ratings.csv"
    done = iris("ratings", "export", "--project", str(path), str(out))
    assert done.returncode == 0, done.stderr
    lines = out.read_text().splitlines()
    # names shared by two images (img0 is an input and an output) are written as ids
    assert lines[0] == "image,rater,score" and f"{outs[0].id},ann,4" in lines
    target = tmp_path / "q"
    with Project.create(target) as project:
        add_images(project, 2)
        method = project.ensure_method("hypir", "imported")
        add_images(project, 3, seed=5, method_id=method)
    done = iris("ratings", "import", "--project", str(target), str(out))
    assert done.returncode == 0 and "stored 3 ratings" in done.stdout
    with Project.open(target) as project, Project.open(path) as source:
        strip = [{k: r[k] for k in ("image_id", "rater", "score")} for r in project.ratings()]
        assert strip == [
            {k: r[k] for k in ("image_id", "rater", "score")} for r in source.ratings()
        ]
    shown = json.loads(iris("ratings", "summary", "--project", str(target), "--json").stdout)
    hypir = next(r for r in shown if r["method"] == "hypir")
    assert (hypir["n"], hypir["mean"], hypir["distribution"]) == (2, 3.0, [0, 0, 1, 0, 1, 0])
    assert hypir["sd"] == pytest.approx(2**0.5)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("image,rater,score\nimg2,ann,6\n", "row 2: score 6: outside 0-5"),
        ("image,rater,score\nimg2,ann,3\nimg2,ann,nan\n", "row 3: score 'nan'"),
        ("image,rater,score\nimg2,ann,2.5\n", "row 2: score '2.5': must be a whole number"),
        ("image,rater,score\nnowhere,ann,3\n", "row 2: image 'nowhere': no image"),
        ("image,rater,score\nimg0,ann,3\n", "row 2: image 'img0' names 2 images"),
        ("image,rater,score\nimg2,,3\n", "row 2: rater ''"),
        ("image,rater,score\nimg2,ann\n", "row 2: 2 fields, expected 3"),
        ("img,who,score\nimg2,ann,3\n", "row 1: the header must be image,rater,score"),
        ("image,rater,score\nimg2,ann,3\n\xff", "not-utf8"),
    ],
)
def test_malformed_rows_are_one_error_and_store_nothing(tmp_path, rated, body, reason):
    path, _inputs, _outs = rated
    bad = tmp_path / "bad.csv"
    bad.write_bytes(body.encode("utf-8", "surrogateescape") if "\xff" not in body else
                    body.replace("\xff", "").encode() + b"\xff")  # fmt: skip
    with Project.open(path) as project:
        before = project.ratings()
    done = iris("ratings", "import", "--project", str(path), str(bad))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and reason in done.stderr and "bad.csv" in done.stderr
    with Project.open(path) as project:
        assert project.ratings() == before  # all or nothing
