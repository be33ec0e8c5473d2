"""An iterative run with a local diffusers editor (tiny random FLUX Kontext on the CPU):
the "input" size keeps the step small, each step records the seed the editor drew, and
that seed reproduces the step bit for bit. A size the editor cannot make is refused first."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import IrisError
from core.iterate.runner import IterateSpec, iterate
from core.iterate.schedules import Schedule
from core.methods.base import Method, Param
from core.methods.registry import METHODS, get_method
from core.project import Project


@pytest.fixture
def project(tmp_path):
    pixels = np.random.default_rng(3).random((24, 40, 3)).astype(np.float32)
    with Project.create(tmp_path / "p") as project:
        image = project.add_image_array(pixels, name="noisy", kind="imported")
    return tmp_path / "p", image.id


def test_each_step_records_the_drawn_seed_that_reproduces_it(project, kontext_dir):
    path, image_id = project
    values = {"model_dir": str(kontext_dir), "steps": 2}
    schedule = Schedule("replicate", seed_policy="none", image_size="input")
    spec = IterateSpec("diffusers", 2, schedule, editor_params=values)
    (outcome,) = iterate(path, image_id, spec, group="local")
    assert outcome.status == "done"
    with Project.open(path) as opened:
        results = opened.results(opened.run("local-r1").id)[1:]
        inputs = [opened.load_pixels(r.input_image_id).pixels for r in results]
        outputs = [opened.load_pixels(r.output_image_id).pixels for r in results]
    seeds = [r.meta["seed"] for r in results]
    assert all(isinstance(seed, int) and 0 <= seed < 2**31 for seed in seeds), seeds
    assert [r.meta["image_size"] for r in results] == ["input", "input"]
    assert [out.shape for out in outputs] == [(24, 40, 3)] * 2  # the input's size, kept
    again = get_method("diffusers")(
        inputs[1],
        {**values, "prompt": results[1].meta["prompt"], "seed": seeds[1], "image_size": "input"},
        progress=lambda done, total: None,
        cancel=None,
    )
    stored = np.round(np.clip(again.pixels, 0, 1) * 255) / 255
    assert np.array_equal(stored.astype(np.float32), outputs[1])


def test_a_size_the_editor_cannot_make_is_refused_before_the_first_step(project):
    path, image_id = project

    def never(pixels, params, *, progress, cancel, context):
        raise AssertionError("the editor must not run")

    sizes = Param("image_size", "choice", "1K", "output size", choices=("1K", "2K"))
    if "test-two-sizes" not in METHODS:
        METHODS.register(
            "test-two-sizes", Method("test-two-sizes", "editor", "Two", "", (sizes,), never)
        )
    for size, missing in (("input", "input"), ("cycle", "4K")):
        spec = IterateSpec("test-two-sizes", 1, Schedule("replicate", image_size=size))
        with pytest.raises(IrisError, match=f"cannot make image size {missing}; it offers 1K, 2K"):
            iterate(path, image_id, spec, group=f"g{size}")
