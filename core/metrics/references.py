"""Which image a full-reference metric compares a project image against.

``input``: the image it was made from (``parent_id``; for a step of an
iterative run without a parent, the run's step 0). ``step0`` / ``step1``: that
step of the image's run. ``clean``: the root of its ``parent_id`` chain (the
ground truth of a degraded-then-restored image). An image id or a file path
names any image.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.errors import IrisError
from core.hashing import sha256_of
from core.imageio import read_image_file
from core.project import Project
from core.project.records import ImageRecord

NAMED = ("input", "step0", "step1", "clean")


@dataclass(frozen=True)
class Reference:
    """A resolved reference: its content hash, a label, and how to load it."""

    sha256: str
    label: str
    image_id: int | None = None
    path: Path | None = None


def run_step_image(project: Project, run_id: int, step: int) -> int | None:
    """The output image of ``step`` of run ``run_id`` (step 0 is the run's input)."""
    for result in project.results(run_id):
        if result.step_index == step and result.output_image_id is not None:
            return result.output_image_id
    if step == 0:
        return None
    found = [i for i in project.images(kind="step", run_id=run_id) if i.step_index == step]
    return found[0].id if found else None


def _runs_of(project: Project, image: ImageRecord) -> list[int]:
    if image.run_id is not None:
        return [image.run_id]
    return project.runs_with_output(image.id)


def resolve_reference(project: Project, image: ImageRecord, spec: str) -> Reference | None:
    """The reference ``spec`` names for ``image``; None when it has none (e.g. an input)."""
    ref_id: int | None = None
    if spec == "input":
        ref_id = image.parent_id
        if ref_id is None and image.kind == "step":
            ref_id = run_step_image(project, image.run_id, 0) if image.run_id else None
    elif spec in ("step0", "step1"):
        step = int(spec[-1])
        for run_id in _runs_of(project, image):
            ref_id = run_step_image(project, run_id, step)
            if ref_id is not None:
                break
    elif spec == "clean":
        current = image
        while current.parent_id is not None:
            current = project.image(current.parent_id)
        ref_id = current.id if current.id != image.id else None
    elif spec.isdigit():
        ref_id = int(spec)
    else:
        path = Path(spec).expanduser()
        if not path.is_file():
            raise IrisError(
                f"reference {spec!r}: not {', '.join(NAMED)}, an image id, or an existing file"
            )
        return Reference(sha256_of(read_image_file(path)), path.name, path=path)
    if ref_id is None:
        return None
    record = project.image(ref_id)
    return Reference(record.sha256, f"{record.name} (#{record.id})", image_id=record.id)
