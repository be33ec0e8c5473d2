"""Steps of mirror/rotate runs turned back to the original's orientation, as project images.

The Runs view's *aligned to the original* compare shows a step with its
schedule's cumulative transform undone. The Compare view shows project images,
so the aligned step is stored once as a ``derived`` image (parent = the step,
``meta.role = "aligned"``, ``meta.undone_transform``) and found again the next
time. Mirroring and quarter turns move pixels without resampling, so the
aligned file holds exactly the step's values.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from core.iterate.schedules import Transform
from core.project import ImageKind, Project
from core.project.records import ImageRecord

ROLE = "aligned"


def step_transform(meta: dict[str, Any]) -> Transform:
    """The transform a step's result meta says it should show (identity when none)."""
    return Transform.from_dict(meta.get("expected_transform"))


def find_aligned(project: Project, image_id: int, transform: Transform) -> ImageRecord | None:
    """The stored aligned version of ``image_id`` for ``transform``, if one was made."""
    wanted = transform.as_dict()
    for image in project.images(kind=ImageKind.DERIVED.value):
        meta = image.meta or {}
        if (
            image.parent_id == image_id
            and meta.get("role") == ROLE
            and meta.get("undone_transform") == wanted
        ):
            return image
    return None


def aligned_image(project: Project, image_id: int, transform: Transform) -> ImageRecord:
    """``image_id`` turned back by ``transform``: itself for the identity, else a derived image."""
    record = project.image(image_id)
    if transform.is_identity:
        return record
    found = find_aligned(project, image_id, transform)
    if found is not None:
        return found
    from core.imageio import encode_png
    from core.iterate.geometry import undo_transform

    pixels = undo_transform(project.load_pixels(record).pixels, transform)
    data = encode_png(pixels, 16 if record.bit_depth > 8 else 8)
    return project.add_image_bytes(
        data,
        name=f"{record.name} (aligned to the original)",
        kind=ImageKind.DERIVED,
        parent_id=record.id,
        meta={"role": ROLE, "undone_transform": transform.as_dict()},
    )


def aligned_ids(
    project_dir: str | Path, items: Sequence[tuple[int, dict[str, Any] | None]]
) -> list[int]:
    """For each (image id, expected transform as stored), the id of the aligned image.

    Opens the project itself: it runs off the GUI thread (the Runs view's pool task).
    """
    with Project.open(project_dir) as project:
        return [aligned_image(project, i, Transform.from_dict(t)).id for i, t in items]
