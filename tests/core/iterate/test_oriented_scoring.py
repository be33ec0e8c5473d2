"""Mirror and rotate runs: steps scored turned back to the original, and "performed" recorded.

The offline ``generation-loss`` editor performs the mirror/rotate its prompt asks for
(``follow_prompt``); JPEG is not exactly mirror-equivariant, so a faithful mirror run
scores like the replicate run within a fraction of a dB, while the same steps scored
as stored (mirrored) are some 20 dB off.
"""

from __future__ import annotations

import pytest

from core.iterate.runner import IterateSpec, iterate
from core.iterate.schedules import Schedule
from core.iterate.steps import run_steps
from core.metrics.alignment import oriented_version
from core.metrics.engine import metric_version
from core.metrics.series import collect_series

STEPS = 4
LOSS = {"quality": 60}


def run(project, image, schedule: str, group: str, **params) -> None:
    spec = IterateSpec(
        "generation-loss",
        STEPS,
        Schedule(schedule, seed_policy="fixed", seed=3),
        {**LOSS, **params},
    )
    (outcome,) = iterate(project.path, image.id, spec, group=group)
    assert outcome.status == "done"


def psnr_curve(project, group: str, oriented: bool = True, compute: bool = True) -> list[float]:
    (series,) = collect_series(
        project.path, [group], ["psnr"], reference="input", device="cpu",
        oriented=oriented, compute=compute,
    )  # fmt: skip
    return series.values["psnr"][1:]


@pytest.mark.parametrize(("schedule", "period"), [("mirror", 2), ("rotate", 4)])
def test_a_performed_transform_run_scores_like_the_replicate_run(project, image, schedule, period):
    run(project, image, "replicate", "rep")
    run(project, image, schedule, "turn")
    replicate = psnr_curve(project, "rep")
    aligned = psnr_curve(project, "turn")
    assert aligned == pytest.approx(replicate, abs=0.5), (aligned, replicate)
    stored = psnr_curve(project, "turn", oriented=False)  # scored as the files are
    for step, value in enumerate(stored, start=1):
        if step % period:  # a turned step compared unturned with the input: far off
            assert value < replicate[step - 1] - 10, (step, stored, replicate)
        else:  # back in the original's orientation: nothing to undo, the same score
            assert value == aligned[step - 1]
    steps = run_steps(project, "turn-r1")
    assert all(s.meta["transform_performed"] is True for s in steps[1:])
    assert all(
        s.meta["transform_correlation"]["expected"]
        > s.meta["transform_correlation"]["untransformed"]
        for s in steps[1:]
    )
    # the aligned and the stored scores are two cache entries: both read back without computing
    assert psnr_curve(project, "turn", compute=False) == aligned
    assert psnr_curve(project, "turn", oriented=False, compute=False) == stored


def test_orientation_is_part_of_the_score_key_for_no_reference_metrics_too(project, image):
    run(project, image, "rotate", "turn")
    (series,) = collect_series(project.path, ["turn"], ["entropy"], device="cpu")
    steps = run_steps(project, "turn-r1")
    step1 = project.image(steps[1].image_id)
    keyed = oriented_version(metric_version("entropy"), series.orientations[step1.id])
    assert keyed.endswith("+orient=r1")
    stored = project.score(step1.sha256, "entropy", keyed, "")
    assert stored is not None and stored["value"] == series.values["entropy"][1]
    assert project.score(step1.sha256, "entropy", metric_version("entropy"), "") is None
    assert steps[4].image_id not in series.orientations  # four turns: the original orientation


@pytest.mark.parametrize("schedule", ["mirror", "rotate"])
def test_an_editor_ignoring_the_transform_is_recorded_as_not_performed(project, image, schedule):
    run(project, image, schedule, "lazy", follow_prompt=False)
    steps = run_steps(project, "lazy-r1")
    assert [s.meta["transform_performed"] for s in steps[1:]] == [False] * STEPS
    for s in steps[1:]:
        check = s.meta["transform_correlation"]
        assert check["untransformed"] > 0.9 > check["expected"], check
