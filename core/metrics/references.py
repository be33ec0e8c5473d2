"""Which image a full-reference metric compares a project image against.

``input``: the image it was made from; for a step of an iterative run, the
run's input (step 0), never the step before it. ``previous``: the image it was
made from directly (``parent_id``: for a step, the step before; for a restored
image, its input). ``step0`` / ``step1``: that step of the image's run.
``clean``: the root of its ``parent_id`` chain (the ground truth of a
degraded-then-restored image). An image id or a file path names any image.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.errors import IrisError
from core.hashing import sha256_of
from core.imageio import read_image_file, read_info
from core.project import Project
from core.project.records import ImageRecord


@dataclass(frozen=True)
class Reference:
    """A resolved reference: its content hash, a label, how to load it, and its size."""

    sha256: str
    label: str
    image_id: int | None = None
    path: Path | None = None
    width: int = 0
    height: int = 0

    @property
    def size(self) -> tuple[int, int]:
        return self.width, self.height


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


def _input(project: Project, image: ImageRecord) -> int | None:
    if image.kind == "step" and image.run_id is not None:
        return run_step_image(project, image.run_id, 0)
    return image.parent_id


def _previous(project: Project, image: ImageRecord) -> int | None:
    if image.parent_id is None and image.kind == "step" and image.run_id is not None:
        return run_step_image(project, image.run_id, 0)
    return image.parent_id


def _step(step: int) -> Callable[[Project, ImageRecord], int | None]:
    def resolve(project: Project, image: ImageRecord) -> int | None:
        for run_id in _runs_of(project, image):
            ref_id = run_step_image(project, run_id, step)
            if ref_id is not None:
                return ref_id
        return None

    return resolve


def _clean(project: Project, image: ImageRecord) -> int | None:
    current = image
    while current.parent_id is not None:
        current = project.image(current.parent_id)
    return current.id if current.id != image.id else None


RESOLVERS: dict[str, Callable[[Project, ImageRecord], int | None]] = {
    "input": _input,
    "previous": _previous,
    "step0": _step(0),
    "step1": _step(1),
    "clean": _clean,
}
NAMED = tuple(RESOLVERS)


def _file_reference(spec: str) -> Reference:
    path = Path(spec).expanduser()
    if not path.is_file():
        raise IrisError(
            f"reference {spec!r}: not {', '.join(NAMED)}, an image id, or an existing file"
        )
    info = read_info(path)
    return Reference(
        sha256_of(read_image_file(path)), path.name, path=path, width=info.width, height=info.height
    )


def resolve_reference(project: Project, image: ImageRecord, spec: str) -> Reference | None:
    """The reference ``spec`` names for ``image``; None when it has none (e.g. an input)."""
    if spec in RESOLVERS:
        ref_id = RESOLVERS[spec](project, image)
    elif spec.isdigit():
        ref_id = int(spec)
    else:
        return _file_reference(spec)
    if ref_id is None:
        return None
    record = project.image(ref_id)
    return Reference(
        record.sha256,
        f"{record.name} (#{record.id})",
        image_id=record.id,
        width=record.width,
        height=record.height,
    )
