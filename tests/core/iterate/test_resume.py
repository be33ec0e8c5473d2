"""Resume planning shared by ``iris iterate --resume`` and the Runs view's Resume button."""

from __future__ import annotations

import pytest

from core.errors import IrisError
from core.iterate.resume import NOTHING_TO_RESUME, plan_resume
from core.iterate.runner import IterateSpec, create_run, iterate
from core.iterate.schedules import Schedule

LOSS = {"quality": 60, "colour_drift": 0.01, "resize_jitter": 0.1}


def spec(steps: int) -> IterateSpec:
    return IterateSpec("generation-loss", steps, Schedule("mirror", seed_policy="fixed"), LOSS)


def test_the_latest_unfinished_group_on_the_image_and_editor_is_planned(project, image):
    iterate(project.path, image.id, spec(1), group="finished")
    create_run(project, image.id, spec(4), "old-r1", "old")
    create_run(project, image.id, spec(5), "new-r1", "new")
    create_run(project, image.id, spec(5), "new-r2", "new")
    iterate(project.path, image.id, spec(1), group="later-but-done")
    plan = plan_resume(project, image_id=image.id, editor="generation-loss")
    assert (plan.group, plan.image_id, plan.runs) == ("new", image.id, 2)
    assert plan.spec.steps == 5 and plan.spec.schedule.name == "mirror"
    assert plan.spec.editor_params["quality"] == 60


def test_nothing_unfinished_is_one_named_error(project, image):
    iterate(project.path, image.id, spec(1), group="done")
    with pytest.raises(IrisError, match=f"^{NOTHING_TO_RESUME}$"):
        plan_resume(project, image_id=image.id, editor="generation-loss")
    with pytest.raises(IrisError, match="nothing to resume"):
        plan_resume(project, image_id=image.id + 1, editor="generation-loss")
    with pytest.raises(IrisError, match="nothing to resume"):
        plan_resume(project, image_id=image.id, editor="gamma")


def test_a_named_run_plans_its_own_group_with_its_stored_setting(project, image):
    iterate(project.path, image.id, spec(2), runs=3, group="trio")
    plan = plan_resume(project, run="trio-r2")
    assert (plan.group, plan.image_id, plan.runs) == ("trio", image.id, 3)
    assert plan.spec.steps == 2 and plan.params["input_image_id"] == image.id
