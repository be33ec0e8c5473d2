"""core/iterate/runner.py's refusals and bookkeeping: a setting's bounds (steps >= 1, retries
>= 0), run counts, name clashes, group names made from the image name, a resume that raises the
target, a run already complete, and stored runs that cannot be continued (not iterative, no
step 0, steps missing). Offline: the generation-loss editor."""

from __future__ import annotations

import pytest

from core.errors import IrisError, ProjectError
from core.iterate import runner
from core.iterate.runner import (
    IterateSpec,
    RunOutcome,
    continue_run,
    default_group_name,
    iterate,
)
from core.iterate.schedules import Schedule
from core.project import ResultStatus, RunKind, RunStatus

LOSS = {"quality": 60, "colour_drift": 0.01, "resize_jitter": 0.1}


def spec(steps: int, **fields) -> IterateSpec:
    return IterateSpec("generation-loss", steps, Schedule(), dict(LOSS), **fields)


def test_a_setting_needs_one_step_and_no_negative_retries():
    assert spec(1, step_retries=0).steps == 1  # the accepted edges
    with pytest.raises(IrisError, match="steps must be at least 1, got 0"):
        spec(0)
    with pytest.raises(IrisError, match="step_retries cannot be negative"):
        spec(1, step_retries=-1)


def test_per_step_seeds_differ_between_runs_and_wrap():
    base = IterateSpec("generation-loss", 2, Schedule(seed_policy="per-step", seed=2**31 - 5))
    assert base.for_run(1) is base
    assert base.for_run(2).schedule.seed == (2**31 - 5 + 10_007) % 2**31 == 10_002
    fixed = IterateSpec("generation-loss", 2, Schedule(seed_policy="fixed", seed=3))
    assert fixed.for_run(5) is fixed


def test_outcome_as_dict_holds_every_field():
    outcome = RunOutcome("g-r1", 7, "g", "blocked", 5, 2, "no-image: STOP")
    assert outcome.as_dict() == {
        "run": "g-r1", "run_id": 7, "group": "g", "status": "blocked",
        "steps": 5, "completed": 2, "error": "no-image: STOP",
    }  # fmt: skip


def test_group_names_come_from_the_image_stem(monkeypatch):
    monkeypatch.setattr(runner, "stamp", lambda: "20260102T030405")
    assert default_group_name("gemini", "mirror", "My Photo (1).final.png") == (
        "My-Photo-1-final-gemini-mirror-20260102T030405"
    )
    assert default_group_name("e", "s", "%%%.png").startswith("image-e-s-")
    long = default_group_name("e", "s", "a" * 40 + ".png")
    assert long == "a" * 24 + "-e-s-20260102T030405"


def test_runs_must_be_at_least_one(project, image):
    with pytest.raises(IrisError, match="runs must be at least 1, got 0"):
        iterate(project.path, image.id, spec(1), runs=0, group="g")
    assert project.runs() == []


def test_each_run_is_reported_and_a_clash_names_the_run(project, image):
    reported = []
    outcomes = iterate(project.path, image.id, spec(1), runs=2, group="g", on_run=reported.append)
    assert reported == outcomes and [o.run for o in reported] == ["g-r1", "g-r2"]
    assert [o.as_dict()["completed"] for o in reported] == [1, 1]
    with pytest.raises(IrisError, match="run 'g-r1' already exists; use --resume"):
        iterate(project.path, image.id, spec(1), runs=2, group="g")


def test_a_resume_raises_the_target_but_never_lowers_it(project, image):
    iterate(project.path, image.id, spec(1), group="g")
    (more,) = iterate(project.path, image.id, spec(3), group="g", resume=True)
    assert (more.status, more.completed, more.steps) == ("done", 3, 3)
    assert project.run("g-r1").params["steps"] == 3
    (fewer,) = iterate(project.path, image.id, spec(2), group="g", resume=True)
    assert (fewer.status, fewer.completed, fewer.steps) == ("done", 3, 3)
    assert project.run("g-r1").params["steps"] == 3
    assert [r.step_index for r in project.results(project.run("g-r1").id)] == [0, 1, 2, 3]


def test_a_complete_run_is_marked_done_without_new_steps(project, image):
    iterate(project.path, image.id, spec(1), group="g")
    run = project.run("g-r1")
    project.set_run_status(run.id, RunStatus.FAILED, "left over")
    outcome = continue_run(project.path, "g-r1")
    assert (outcome.status, outcome.completed, outcome.error) == ("done", 1, None)
    assert project.run("g-r1").status == RunStatus.DONE
    assert len(project.results(run.id)) == 2


def _iterate_row(project, name, params):
    return project.create_run(name, RunKind.ITERATE, params=params, status=RunStatus.DONE)


def test_stored_runs_that_cannot_be_continued_are_refused(project, image):
    params = spec(2).params(runner.get_method("generation-loss"), dict(LOSS), image.id)
    project.create_run("restored", RunKind.RESTORE, params={}, status=RunStatus.DONE)
    with pytest.raises(IrisError, match="run 'restored' is a restore run, not an iterative one"):
        continue_run(project.path, "restored")
    _iterate_row(project, "empty", params)
    with pytest.raises(ProjectError, match="run 'empty' has no step 0"):
        continue_run(project.path, "empty")
    gap = _iterate_row(project, "gap", params)
    for index in (0, 2):
        project.add_result(gap.id, status=ResultStatus.OK, step_index=index,
                           input_image_id=image.id, output_image_id=image.id)  # fmt: skip
    with pytest.raises(
        ProjectError, match=r"run 'gap': steps are not contiguous from 0 \(\[0, 2\]"
    ):
        continue_run(project.path, "gap")
    assert len(project.results(gap.id)) == 2, "a refused run is left as it was"
