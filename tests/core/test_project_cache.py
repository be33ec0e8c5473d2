"""Project.cached: whole-project reads are kept until the database changes, here or in
another connection; display names and provenance use it."""

from __future__ import annotations

import numpy as np

from core.naming import ProjectNames
from core.project import Project
from core.provenance import Provenance


def _add(project, name):
    pixels = np.full((4, 4, 3), len(name) / 10, np.float32)
    return project.add_image_array(pixels, name=name, kind="imported")


def test_a_read_is_kept_until_this_connection_writes(tmp_path):
    with Project.create(tmp_path / "p", name="p") as project:
        _add(project, "first")
        built = []
        first = project.cached("k", lambda: built.append(1) or len(project.images()))
        assert project.cached("k", lambda: built.append(1) or -1) == first == 1
        assert built == [1]
        _add(project, "second")
        assert project.cached("k", lambda: built.append(1) or len(project.images())) == 2
        assert built == [1, 1]
        assert project.cached("other", lambda: "x") == "x"  # keys are apart


def test_another_connections_commit_invalidates_the_read(tmp_path):
    with Project.create(tmp_path / "p", name="p") as project:
        _add(project, "first")
        assert project.cached("n", lambda: len(project.images())) == 1
        with Project.open(tmp_path / "p") as other:
            _add(other, "from elsewhere")
        assert project.cached("n", lambda: len(project.images())) == 2


def test_names_and_provenance_are_read_once_and_follow_changes(tmp_path):
    with Project.create(tmp_path / "p", name="p") as project:
        image = _add(project, "fabric")
        names = ProjectNames.read(project)
        assert ProjectNames.read(project) is names
        assert ProjectNames.read(project, budget=10) is not names  # another budget, another read
        story = Provenance.read(project)
        assert Provenance.read(project) is story and story.names is names
        assert Provenance.read(project, names) is not story  # given names: read afresh
        second = _add(project, "linen")
        assert second.id not in names.images
        assert second.id in ProjectNames.read(project).images
        assert set(Provenance.read(project).images) == {image.id, second.id}
        project.set_tags([image.id], {"split": "test"})
        assert Provenance.read(project).tags[image.id] == {"split": "test"}
