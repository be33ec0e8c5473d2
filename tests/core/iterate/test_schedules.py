"""Schedules: prompts per step, seed policies, output sizes and the expected geometry."""

from __future__ import annotations

import numpy as np
import pytest

from core.errors import IrisError
from core.iterate.generation_loss import prompt_transform
from core.iterate.geometry import apply_transform, undo_transform
from core.iterate.schedules import Schedule, fruits, schedule_from_spec


def test_replicate_uses_the_banana100_prompt_with_a_fixed_seed():
    schedule = Schedule("replicate", seed_policy="fixed", seed=42, image_size="2K")
    plans = [schedule.plan(i) for i in (1, 2, 50)]
    assert {p.prompt for p in plans} == {
        "Produce an exact replica of the provided image, with no alterations."
    }
    assert {p.prompt_id for p in plans} == {"B100-REPLICA"}
    assert [p.seed for p in plans] == [42, 42, 42] and {p.image_size for p in plans} == {"2K"}
    assert all(p.expected.is_identity for p in plans)


def test_seed_per_step_none_and_cycling_sizes():
    per_step = Schedule(seed_policy="per-step", seed=10, image_size="cycle")
    assert [per_step.plan(i).seed for i in (1, 2, 3)] == [11, 12, 13]
    assert [per_step.plan(i).image_size for i in range(1, 7)] == ["1K", "2K", "4K"] * 2
    assert Schedule().plan(5).seed is None


def test_add_objects_names_a_different_fruit_each_step_for_100_steps():
    schedule = Schedule("add-objects")
    prompts = [schedule.plan(i).prompt for i in range(1, 101)]
    assert len(fruits()) == 100 and len(set(prompts)) == 100
    assert prompts[0] == "Add one apple to the image, with no other alterations."
    assert Schedule("add-apple").plan(7).prompt.startswith("Add one more apple")
    templated = Schedule("replicate", prompt="Step {step}: add a {fruit}.")
    assert templated.plan(2).prompt == "Step 2: add a banana."


@pytest.mark.parametrize(("name", "period"), [("mirror", 2), ("rotate", 4)])
def test_mirror_and_rotate_return_to_the_original_at_their_period(name, period):
    schedule = Schedule(name)
    x = np.arange(2 * 3 * 3, dtype=np.float32).reshape(2, 3, 3)
    current = x
    for index in range(1, 9):
        plan = schedule.plan(index)
        mirror, turns = prompt_transform(plan.prompt)
        current = np.rot90(current[:, ::-1] if mirror else current, -turns)
        assert np.array_equal(apply_transform(x, plan.expected), current)
        assert np.array_equal(undo_transform(current, plan.expected), x)
        assert plan.expected.is_identity == (index % period == 0)


def test_prompt_list_file_cycles_and_round_trips_through_params(tmp_path):
    path = tmp_path / "prompts.txt"
    path.write_text("# my list\nMake it warmer.\n\nMake it cooler.\n")
    schedule = schedule_from_spec(str(path), seed_policy="fixed", seed=1)
    assert [schedule.plan(i).prompt for i in (1, 2, 3)] == [
        "Make it warmer.", "Make it cooler.", "Make it warmer.",
    ]  # fmt: skip
    again = Schedule.from_dict(schedule.as_dict())
    assert again == schedule


def test_bad_settings_are_refused_with_the_known_values(tmp_path):
    with pytest.raises(IrisError, match="replicate, mirror"):
        schedule_from_spec(str(tmp_path / "missing.txt"))
    with pytest.raises(IrisError, match="none, fixed, per-step"):
        Schedule(seed_policy="sometimes")
    with pytest.raises(IrisError, match="1K, 2K, 4K, cycle"):
        Schedule(image_size="8K")


def test_gemini_iterative_runs_default_to_2k_as_banana100():
    from core.gemini.client import EditRequest
    from core.gemini.method import GEMINI

    assert Schedule().image_size == "2K" and Schedule().plan(1).image_size == "2K"
    assert GEMINI.param("image_size").default == "2K"
    assert EditRequest(model="m", prompt="p").image_size == "2K"
    assert Schedule.from_dict({"name": "replicate", "image_size": "1K"}).image_size == "1K"
