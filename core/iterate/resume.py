"""Resume planning: which run group to continue, with which setting, image and run count.

``iris iterate --resume`` (without ``--run``) continues the latest group on the
image and editor that has an unfinished run; the Runs view's Resume button
continues the group of the selected run. Both ask :func:`plan_resume`, which
reads the setting back from the stored run so a resumed run plans exactly the
same steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.errors import IrisError

if TYPE_CHECKING:
    from core.iterate.runner import IterateSpec
    from core.project import Project
    from core.project.records import RunRecord

NOTHING_TO_RESUME = "nothing to resume for this image and editor; give --run NAME"


@dataclass(frozen=True)
class ResumePlan:
    """A group to continue: its name, input image, how many runs it holds, its stored setting."""

    group: str
    image_id: int
    runs: int
    params: dict[str, Any]
    """The stored ``runs.params`` of the run the plan was made from."""

    @property
    def spec(self) -> IterateSpec:
        """The stored setting, rebuilt (raises IrisError when it no longer parses)."""
        from core.iterate.runner import IterateSpec

        return IterateSpec.from_params(self.params)


def plan_resume(
    project: Project,
    *,
    run: str | None = None,
    image_id: int | None = None,
    editor: str | None = None,
) -> ResumePlan:
    """The plan for ``run``'s group, or else for the latest unfinished group on image + editor.

    Raises IrisError when ``run`` is unknown or no run of ``editor`` on
    ``image_id`` is unfinished.
    """
    record = project.run(run) if run is not None else _latest_unfinished(project, image_id, editor)
    group = record.group_name or record.name
    return ResumePlan(
        group=group,
        image_id=int(record.params["input_image_id"]),
        runs=len([r for r in project.runs() if r.group_name == group]),
        params=dict(record.params),
    )


def _latest_unfinished(project: Project, image_id: int | None, editor: str | None) -> RunRecord:
    from core.iterate.runner import RUN_KIND

    for record in reversed(project.runs()):
        params = record.params
        if (
            record.kind == RUN_KIND
            and record.status != "done"
            and params.get("input_image_id") == image_id
            and params.get("editor") == editor
            and record.group_name
        ):
            return record
    raise IrisError(NOTHING_TO_RESUME)
