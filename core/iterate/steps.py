"""A run's steps in one stable shape: what ``iris runs show`` prints and the metrics code reads.

Step 0 is the input; step i >= 1 is the i-th edit, ``ok`` with its image or
``failed`` with its error. ``image`` is the step image's absolute file path.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from core.project import Project, RunKind
from core.project.records import RunRecord


@dataclass
class StepRecord:
    """One step of an iterative run."""

    index: int
    status: str
    image: str | None
    image_id: int | None
    width: int | None
    height: int | None
    thoughts: str
    error: str | None
    seconds: float | None
    meta: dict[str, Any] = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """The documented JSON shape (``meta`` left out: read it from the project).

        From the meta it keeps ``inputs`` (the step indexes the step edited; step 0
        has none), and for mirror/rotate steps ``transform_performed`` with the two
        correlations it was decided on (None for other steps).
        """
        out = asdict(self)
        meta = out.pop("meta")
        default = [self.index - 1] if self.index > 0 else []
        out["inputs"] = list(meta.get("inputs") or default)
        out["transform_performed"] = meta.get("transform_performed")
        out["transform_correlation"] = meta.get("transform_correlation")
        return out


def run_steps(project: Project, run: RunRecord | str | int) -> list[StepRecord]:
    """The steps of ``run`` in order, step 0 (the input) first."""
    record = run if isinstance(run, RunRecord) else project.run(run)
    steps: list[StepRecord] = []
    for result in project.results(record.id):
        if result.step_index is None:
            continue
        image = project.image(result.output_image_id) if result.output_image_id else None
        steps.append(
            StepRecord(
                index=result.step_index,
                status=result.status,
                image=str(project.image_path(image)) if image else None,
                image_id=image.id if image else None,
                width=image.width if image else None,
                height=image.height if image else None,
                thoughts=result.meta.get("thoughts") or "",
                error=result.error,
                seconds=result.seconds,
                meta=result.meta,
            )
        )
    return steps


def run_summary(project: Project, run: RunRecord | str | int) -> dict[str, Any]:
    """``{"run", "editor", "status", "steps": [...]}`` as ``iris runs show --json`` prints it."""
    record = run if isinstance(run, RunRecord) else project.run(run)
    return {
        "run": record.name,
        "group": record.group_name,
        "editor": record.params.get("editor", ""),
        "status": record.status,
        "error": record.error,
        "steps_planned": record.params.get("steps"),
        "steps": [step.as_dict() for step in run_steps(project, record)],
    }


def iterate_runs(project: Project) -> list[dict[str, Any]]:
    """Every iterative run with its progress, for ``iris runs list`` and the Runs view."""
    counts = project.step_counts()
    out = []
    for run in project.runs():
        if run.kind != RunKind.ITERATE:
            continue
        ok, _n = counts.get(run.id, (0, 0))
        out.append(
            {
                "run": run.name,
                "run_id": run.id,
                "group": run.group_name,
                "editor": run.params.get("editor", ""),
                "schedule": run.params.get("schedule", ""),
                "status": run.status,
                "steps": run.params.get("steps"),
                "completed": ok,
                "error": run.error,
                "created_at": run.created_at,
            }
        )
    return out
