"""``iris annotations summary`` counts cases (images flagged) per prompt or tag, as a subprocess."""

from __future__ import annotations

import json

from core.annotations import add, mark_reviewed
from core.project import Project
from tests.app.test_annotations_cli import iris
from tests.core.annotations.conftest import add_images


def test_summary_counts_images_not_regions(tmp_path):
    with Project.create(tmp_path / "p") as project:
        s1 = add_images(project, 3, meta={"prompt_id": "S1"})
        project.set_tags([s1[0].id], {"scene": "crowd"})
        for label in ("object_insertion", "object_insertion", "colour_shift"):
            add(project, s1[0], label=label, annotator="ann", region_kind="rect",
                region={"x": 0, "y": 0, "w": 2, "h": 2})  # fmt: skip
        for image in s1:
            mark_reviewed(project, image.id, "ann")
    done = iris("annotations", "summary", "--project", str(tmp_path / "p"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    at = lines.index("cases per prompt (images flagged / images reviewed)")
    assert lines[at + 1].split() == ["S1"]
    assert lines[at + 2].split() == ["INFIDELITY", "1/3"]  # three flags, one image
    assert lines[at + 3].split()[-1] == "1/3"
    by_tag = iris("annotations", "summary", "--project", str(tmp_path / "p"), "--by", "scene")
    assert "cases per scene" in by_tag.stdout and "1/1" in by_tag.stdout
    bad = iris("annotations", "summary", "--project", str(tmp_path / "p"), "--by", "nope")
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "count by one of" in bad.stderr
    data = json.loads(iris("annotations", "summary", "--project", str(tmp_path / "p"),
                           "--json").stdout)  # fmt: skip
    assert data["cases"]["prompt"]["cases"]["infidelity"] == {"S1": 1}
