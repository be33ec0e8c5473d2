"""What the project browser lists: each image's or run's short name, tooltip and file.

Read without Qt, so that the browser can read it in a pool thread after a job changed the
project (a run of 100 steps adds 100 images: naming and explaining them takes tens of
milliseconds, which would stall the window) and only apply it on the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.naming import ProjectNames
    from core.project import ImageRecord, Project, RunRecord

RUNS = "runs"  # the listing's kind for "show runs, not images"


@dataclass(frozen=True)
class ListedEntry:
    """One thumbnail: a stable key, its caption, the file to preview and its tooltip."""

    key: int | str
    label: str
    path: Path | None
    tooltip: str


@dataclass(frozen=True)
class Listing:
    """One reading of the project for the browser (under a kind and tag filter)."""

    entries: list[ListedEntry]
    images: dict[int, ImageRecord] = field(default_factory=dict)  # shown images by id
    runs: dict[str, RunRecord] = field(default_factory=dict)  # shown runs by entry key
    names: ProjectNames | None = None
    tag_pairs: list[tuple[str, str, int]] = field(default_factory=list)
    summary: str = ""


def describe_image(image: ImageRecord, name: str = "", provenance: str = "") -> str:
    """A thumbnail's tooltip: its display name, its file facts and where it came from."""
    lines = [
        name or image.name,
        f"{image.kind}, {image.width}x{image.height}, {image.bit_depth}-bit {image.format}",
    ]
    if provenance:
        lines.append(provenance)
    elif image.source_path:
        lines.append(f"from {image.source_path}")
    return "\n".join(lines)


def read_listing(
    project: Project, kind: str | None = None, tags: dict[str, str] | None = None
) -> Listing:
    """The browser's entries: images of ``kind`` (all when None) carrying ``tags``, or runs."""
    from core.naming import ProjectNames

    names = ProjectNames.read(project)
    tag_pairs = list(project.tag_pairs())
    shown = ""
    if kind == RUNS:
        entries, runs = _runs(project, names)
        images: dict[int, ImageRecord] = {}
    else:
        chosen = project.images(kind=kind)
        if tags:
            tagged = set(project.images_tagged(tags))
            chosen = [image for image in chosen if image.id in tagged]
            shown = f" ({len(chosen)} shown)"
        entries, runs = _images(project, names, chosen), {}
        images = {image.id: image for image in chosen}
    counts = project.counts()
    summary = f"{counts['images']} images, {counts['runs']} runs{shown}"
    return Listing(entries, images, runs, names, tag_pairs, summary)


def read_listing_at(
    path: str | Path, kind: str | None = None, tags: dict[str, str] | None = None
) -> Listing:
    """:func:`read_listing` on its own connection (for a pool thread)."""
    from core.project import Project

    with Project.open(path) as project:
        return read_listing(project, kind, tags)


def _images(project: Project, names: ProjectNames, images: list[ImageRecord]) -> list:
    from core.provenance import Provenance

    story = Provenance.read(project)  # the same names: ProjectNames.read is cached
    entries = []
    for image in images:
        name = names.images.get(image.id, image.name)
        tooltip = describe_image(image, name, story.text(image))
        entries.append(ListedEntry(image.id, name, project.image_path(image), tooltip))
    return entries


def _runs(project: Project, names: ProjectNames) -> tuple[list, dict]:
    entries, runs = [], {}
    for run in project.runs():
        outputs = project.images(run_id=run.id)
        preview = project.image_path(outputs[-1]) if outputs else None
        key = f"run:{run.id}"
        runs[key] = run
        name = names.runs.get(run.id, run.name)
        group = f"\ngroup {run.group_name}" if run.group_name else ""
        tooltip = f"{name}\n{run.kind} run {run.name}, {run.status}{group}"
        if run.error:
            tooltip += f"\n{run.error.splitlines()[0] if run.error.strip() else ''}"
        entries.append(ListedEntry(key, f"{name}\n{run.status}", preview, tooltip))
    return entries, runs
