"""``--ref input`` on a step is the run's input (step 0); ``--ref previous`` is the step before."""

from __future__ import annotations

import pytest

from core.metrics.engine import load_metric, score_pixels
from core.metrics.references import NAMED, resolve_reference
from core.metrics.scoring import score_project
from core.project import Project
from tests.core.metrics.make_runs import build_iterative_project, texture


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    path = tmp_path_factory.mktemp("refs") / "p"
    project = build_iterative_project(path, runs=1, steps=6, size=32)
    source = project.images(kind="imported")[0]
    restored = project.add_image_array(
        texture(32, seed=7), name="restored.png", kind="restored", parent_id=source.id
    )
    steps = {i.step_index: i for i in project.images(kind="step")}
    project.close()
    return path, source, steps, restored


def test_input_on_step_5_scores_against_step_0(chain):
    path, source, steps, _ = chain
    (row,) = score_project(
        path, ["psnr"], image_ids=[steps[5].id], reference="input", device="cpu"
    ).rows
    assert row.reference_sha256 == source.sha256 != steps[4].sha256
    assert row.reference == f"{source.name} (#{source.id})"
    with Project.open(path) as project:
        expected = score_pixels(
            load_metric("psnr", "cpu"),
            [project.load_pixels(steps[5]).pixels],
            [project.load_pixels(source).pixels],
        )[0]
    assert row.value == pytest.approx(expected)


def test_previous_is_the_step_before_and_names_resolve(chain):
    path, source, steps, restored = chain
    assert "previous" in NAMED and "input" in NAMED
    with Project.open(path) as project:

        def ref(image, spec):
            found = resolve_reference(project, image, spec)
            return found.image_id if found else None

        assert ref(steps[5], "previous") == steps[4].id
        assert ref(steps[1], "previous") == ref(steps[1], "input") == source.id
        assert ref(steps[5], "step0") == source.id and ref(steps[5], "step1") == steps[1].id
        assert ref(restored, "input") == ref(restored, "previous") == source.id  # its parent
        assert ref(source, "previous") is None and ref(source, "clean") is None
        found = resolve_reference(project, steps[5], "input")
        assert found.size == (source.width, source.height) == (32, 32)
