"""The sets a review queue walks: all images, a run's steps, a method's outputs, a prompt's results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.annotations.summary import image_method, image_prompt
from core.errors import IrisError

if TYPE_CHECKING:
    from core.project import ImageRecord, Project


def image_sets(project: Project) -> list[tuple[str, str]]:
    """``(key, title)`` of every set worth walking, in menu order."""
    found = [("all", f"All images ({len(project.images())})")]
    for run in project.runs():
        n = len(project.images(run_id=run.id))
        if n:
            found.append((f"run:{run.id}", f"Run {run.name} ({n})"))
    methods = {m["id"]: m["name"] for m in project.methods()}
    by_method = image_method(project)
    for method_id, name in methods.items():
        n = sum(1 for value in by_method.values() if value == name)
        if n:
            found.append((f"method:{method_id}", f"Method {name} ({n})"))
    prompts: dict[str, int] = {}
    for value in image_prompt(project).values():
        if value != "(none)":
            prompts[value] = prompts.get(value, 0) + 1
    found += [(f"prompt:{p}", f"Prompt {p} ({n})") for p, n in sorted(prompts.items())]
    return found


def images_in_set(project: Project, key: str) -> list[ImageRecord]:
    """The images of set ``key`` (see :func:`image_sets`), run steps in step order."""
    kind, _, value = key.partition(":")
    if kind == "all":
        return project.images()
    if kind == "run":
        images = project.images(run_id=int(value))
        return sorted(images, key=lambda i: (i.step_index is None, i.step_index or 0, i.id))
    if kind == "method":
        name = next((m["name"] for m in project.methods() if m["id"] == int(value)), None)
        by_method = image_method(project)
        return [i for i in project.images() if by_method.get(i.id) == name]
    if kind == "prompt":
        return [i for i in project.images() if str(i.meta.get("prompt_id")) == value]
    raise IrisError(f"unknown image set {key!r}; use all, run:ID, method:ID or prompt:ID")


def review_queue(
    project: Project,
    key: str,
    *,
    selection: list[ImageRecord] | None = None,
    label: str | None = None,
    annotator: str | None = None,
    method: str | None = None,
) -> list[ImageRecord]:
    """The images an annotator walks: set ``key`` (or ``selection`` for ``"selection"``),
    kept to those flagged with ``label`` / by ``annotator`` and made by ``method``."""
    from core.annotations.store import annotations

    images = list(selection or []) if key == "selection" else images_in_set(project, key)
    if label is not None or annotator is not None:
        flagged = {a.image_id for a in annotations(project, label=label, annotator=annotator)}
        images = [image for image in images if image.id in flagged]
    if method is not None:
        by_method = image_method(project)
        images = [image for image in images if by_method.get(image.id) == method]
    return images
