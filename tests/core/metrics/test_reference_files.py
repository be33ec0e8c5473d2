"""``--ref`` holes: a file or an image id as the reference, a step whose parent is unknown.

Expected values come from outside the resolver: the file's SHA-256 by hashlib over the bytes
written here, its size from how it was written, the refusal's text as the README words it.
"""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from core.errors import IrisError
from core.metrics.references import resolve_reference
from core.project import Project
from tests.core.metrics.make_runs import build_iterative_project, texture

REFUSAL = "not input, previous, step0, step1, clean, an image id, or an existing file"


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    path = tmp_path_factory.mktemp("ref-files") / "p"
    project = build_iterative_project(path, runs=1, steps=3, size=16)
    source = project.images(kind="imported")[0]
    steps = {i.step_index: i for i in project.images(kind="step")}
    orphan = project.add_image_array(  # a step stored without its parent (an older project)
        texture(16, seed=9), name="orphan.png", kind="step", run_id=steps[2].run_id, step_index=9
    )
    project.close()
    return path, source, steps, orphan


def png_bytes(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 20, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_file_reference_is_hashed_from_its_bytes_with_its_size(chain, tmp_path):
    path, _source, steps, _ = chain
    data = png_bytes(5, 3)
    reference_file = tmp_path / "truth.png"
    reference_file.write_bytes(data)
    with Project.open(path) as project:
        found = resolve_reference(project, steps[1], str(reference_file))
    assert found.sha256 == hashlib.sha256(data).hexdigest()
    assert found.label == "truth.png" and found.path == reference_file
    assert found.image_id is None and found.size == (5, 3)


def test_a_file_reference_expands_the_home_folder(chain, tmp_path, monkeypatch):
    path, _source, steps, _ = chain
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "gt.png").write_bytes(png_bytes(2, 4))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    with Project.open(path) as project:
        found = resolve_reference(project, steps[1], "~/gt.png")
    assert found.path == tmp_path / "home" / "gt.png" and found.size == (2, 4)


@pytest.mark.parametrize("spec", ["nope.png", "", "-1", "step2", "."], ids=repr)
def test_anything_else_is_refused_naming_what_a_reference_may_be(chain, spec):
    path, _source, steps, _ = chain
    with Project.open(path) as project, pytest.raises(IrisError) as error:
        resolve_reference(project, steps[1], spec)
    assert str(error.value) == f"reference {spec!r}: {REFUSAL}"


def test_a_file_that_is_not_an_image_is_refused(chain, tmp_path):
    path, _source, steps, _ = chain
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    with Project.open(path) as project, pytest.raises(IrisError, match="notes.png"):
        resolve_reference(project, steps[1], str(text))


def test_an_image_id_names_that_image(chain):
    path, source, steps, _ = chain
    with Project.open(path) as project:
        found = resolve_reference(project, steps[2], str(source.id))
    assert found.image_id == source.id and found.sha256 == source.sha256
    assert found.label == f"{source.name} (#{source.id})"


def test_previous_of_a_step_without_a_parent_is_the_runs_input(chain):
    path, source, steps, orphan = chain
    assert orphan.parent_id is None
    with Project.open(path) as project:
        previous = resolve_reference(project, orphan, "previous")
        on_a_parented_step = resolve_reference(project, steps[2], "previous")
    assert previous.image_id == source.id  # step 0, as "input" would give
    assert on_a_parented_step.image_id == steps[1].id
