"""Iterative edit runs: feed each output back to the editor for N steps, keeping every step.

A run is a ``runs`` row (kind ``iterate``) whose ``params`` hold the whole
setting, so that ``resume`` (another process, after a crash) rebuilds the same
plan. Step 0 is the input. Each step's image and its ``results`` row are
committed in one transaction the moment the editor answers; a resumed run
continues after the last committed step, so no step is ever duplicated or
dropped. A step that ends without an image is retried ``step_retries`` times;
if it still fails, it is stored as a failed step and the run ends ``blocked``
(refused or imageless answers) or ``failed`` (anything else), with its reason.
Runs of one setting form a group (``group_name``), named ``<group>-r1..rR``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from core.clock import stamp
from core.errors import IrisError, ProjectError
from core.iterate.chain import Chain, StepEvent
from core.iterate.schedules import Schedule
from core.jobs import ProgressFn, check_cancelled, no_progress
from core.methods.base import Method
from core.methods.registry import get_method
from core.project import Project, ResultStatus, RunKind, RunStatus
from core.project.records import ResultRecord, RunRecord

RUN_KIND = RunKind.ITERATE
RUN_SEED_STRIDE = 10_007


@dataclass
class IterateSpec:
    """One setting: the editor and its parameters, the number of steps and the schedule."""

    editor: str
    steps: int
    schedule: Schedule = field(default_factory=Schedule)
    editor_params: dict[str, Any] = field(default_factory=dict)
    step_retries: int = 2
    device: str = "auto"

    def __post_init__(self) -> None:
        if self.steps < 1:
            raise IrisError(f"steps must be at least 1, got {self.steps}")
        if self.step_retries < 0:
            raise IrisError("step_retries cannot be negative")

    def params(self, method: Method, values: dict[str, Any], input_image_id: int) -> dict:
        """The ``runs.params`` JSON (the data contract other features read)."""
        schedule = self.schedule.as_dict()
        return {
            "editor": method.name,
            "editor_instance": method.stored_name(values),
            "editor_params": values,
            "schedule": schedule.pop("name"),
            **schedule,
            "steps": self.steps,
            "step_retries": self.step_retries,
            "device": self.device,
            "input_image_id": input_image_id,
        }

    def for_run(self, number: int) -> IterateSpec:
        """The setting of run ``number`` (1-based): per-step seeds differ between runs."""
        if self.schedule.seed_policy != "per-step" or number == 1:
            return self
        seed = (self.schedule.seed + (number - 1) * RUN_SEED_STRIDE) % 2**31
        return replace(self, schedule=replace(self.schedule, seed=seed))

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> IterateSpec:
        schedule = Schedule.from_dict({**params, "name": params.get("schedule", "replicate")})
        return cls(
            editor=params["editor"],
            steps=int(params["steps"]),
            schedule=schedule,
            editor_params=dict(params.get("editor_params") or {}),
            step_retries=int(params.get("step_retries", 2)),
            device=params.get("device", "auto"),
        )


@dataclass
class RunOutcome:
    """How a run ended, as ``iris iterate`` prints it (one JSON line per run)."""

    run: str
    run_id: int
    group: str | None
    status: str
    steps: int
    completed: int
    error: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "run_id": self.run_id,
            "group": self.group,
            "status": self.status,
            "steps": self.steps,
            "completed": self.completed,
            "error": self.error,
        }


StepCallback = Callable[[StepEvent], None]


def default_group_name(editor: str, schedule: str, image_name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", Path(image_name).stem).strip("-")[:24] or "image"
    return f"{stem}-{editor}-{schedule}-{stamp()}".replace(":", "_")


def _editor(spec: IterateSpec | dict[str, Any]) -> tuple[Method, dict[str, Any]]:
    editor = spec.editor if isinstance(spec, IterateSpec) else spec["editor"]
    params = spec.editor_params if isinstance(spec, IterateSpec) else spec["editor_params"]
    method = get_method(editor)
    return method, method.prepare(params)  # validated and checked (API key, model file)


def create_run(
    project: Project, image_id: int, spec: IterateSpec, name: str, group: str | None
) -> RunRecord:
    """Create the run row and its step 0 (the input) in one transaction."""
    method, values = _editor(spec)
    image = project.image(image_id)
    method_id = project.ensure_method(
        method.stored_name(values),
        method.kind,
        params=method.defaults(),
        meta={"method": method.name},
    )
    with project.transaction():
        run = project.create_run(
            name,
            RUN_KIND,
            method_id=method_id,
            params=spec.params(method, values, image.id),
            group_name=group,
            status=RunStatus.RUNNING,
        )
        project.add_result(
            run.id,
            status=ResultStatus.OK,
            step_index=0,
            input_image_id=image.id,
            output_image_id=image.id,
            seconds=0.0,
            meta={"width": image.width, "height": image.height, "role": "input"},
        )
    return run


def iterate(
    project_dir: str | Path,
    image_id: int,
    spec: IterateSpec,
    *,
    runs: int = 1,
    group: str | None = None,
    resume: bool = False,
    on_step: StepCallback | None = None,
    on_run: Callable[[RunOutcome], None] | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[RunOutcome]:
    """Run (or, with ``resume``, continue) the runs ``<group>-r1..rR`` of one setting."""
    if runs < 1:
        raise IrisError(f"runs must be at least 1, got {runs}")
    method, values = _editor(spec)
    with Project.open(project_dir) as project:
        image = project.image(int(image_id))
        group = group or default_group_name(method.name, spec.schedule.name, image.name)
        names = [f"{group}-r{number}" for number in range(1, runs + 1)]
        existing = {run.name for run in project.runs()}
        if not resume and (clash := [n for n in names if n in existing]):
            raise IrisError(f"run {clash[0]!r} already exists; use --resume or another --run name")
    outcomes: list[RunOutcome] = []
    total = runs * spec.steps
    for number, name in enumerate(names):

        def inner(done: int, count: int, base: int = number * spec.steps) -> None:
            progress(base + done, total)

        with Project.open(project_dir) as project:
            if name not in existing:
                create_run(project, image.id, spec.for_run(number + 1), name, group)
            elif resume:
                _extend(project, project.run(name), spec.steps)
        outcome = continue_run(project_dir, name, on_step=on_step, progress=inner, cancel=cancel)
        outcomes.append(outcome)
        if on_run is not None:
            on_run(outcome)
    return outcomes


def _extend(project: Project, run: RunRecord, steps: int) -> None:
    """A resume asking for more steps than stored raises the run's target."""
    if steps > int(run.params.get("steps", 0)):
        project.set_run_params(run.id, {**run.params, "steps": steps})


def committed_steps(project: Project, run: RunRecord) -> list[ResultRecord]:
    """The run's results in step order; raises when steps are missing or repeated."""
    results = [r for r in project.results(run.id) if r.step_index is not None]
    indices = [r.step_index for r in results]
    if indices != list(range(len(indices))):
        raise ProjectError(f"run {run.name!r}: steps are not contiguous from 0 ({indices[:12]}...)")
    return results


def continue_run(
    project_dir: str | Path,
    run_name: str,
    *,
    on_step: StepCallback | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> RunOutcome:
    """Run the steps of ``run_name`` after its last committed one, up to its ``steps``."""
    with Project.open(project_dir) as project:
        run = project.run(run_name)
        if run.kind != RUN_KIND:
            raise IrisError(f"run {run_name!r} is a {run.kind} run, not an iterative one")
        spec = IterateSpec.from_params(run.params)
        results = committed_steps(project, run)
        if not results:
            raise ProjectError(f"run {run_name!r} has no step 0")
        if results[-1].status != ResultStatus.OK:  # a blocked/failed last step is tried again
            project.delete_result(results[-1].id)
            results = results[:-1]
        done = len(results) - 1
        if done >= spec.steps:
            if run.status != RunStatus.DONE:
                project.set_run_status(run.id, RunStatus.DONE)
            return RunOutcome(run.name, run.id, run.group_name, "done", spec.steps, done, None)
        with project.running(run.id) as ending:
            method, values = _editor(spec)
            chain = Chain(project, run, spec, method, values, results, cancel)
            for index in range(done + 1, spec.steps + 1):
                check_cancelled(cancel)
                event = chain.step(index)
                progress(index, spec.steps)
                if on_step is not None:
                    on_step(event)
                if event.status != ResultStatus.OK:
                    status = chain.stop_status
                    ending.end(status, event.error)
                    return RunOutcome(
                        run.name, run.id, run.group_name, status, spec.steps, index - 1, event.error
                    )
        return RunOutcome(run.name, run.id, run.group_name, "done", spec.steps, spec.steps, None)
