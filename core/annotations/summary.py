"""Counts for the studies' figures (cases per label x method / prompt) and the CLI summary."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.annotations.agreement import agreement
from core.annotations.store import annotations, annotators, deleted_count, reviewed_contents

if TYPE_CHECKING:
    from core.project import Project

UNKNOWN = "(none)"


def image_method(project: Project) -> dict[int, str]:
    """image id -> the method that made it (its own, else its run's), else ``(none)``."""
    return {image_id: method or UNKNOWN for image_id, method in project.image_methods().items()}


def image_prompt(project: Project) -> dict[int, str]:
    """image id -> the prompt id in its meta (``prompt_id``), else ``(none)``."""
    return {image.id: str(image.meta.get("prompt_id") or UNKNOWN) for image in project.images()}


def counts(
    project: Project, by: str = "method", annotator: str | None = None
) -> dict[str, dict[str, int]]:
    """label -> {method or prompt -> number of annotations}: the "cases per prompt" figure."""
    if by not in ("method", "prompt", "annotator"):
        raise ValueError(f"count by 'method', 'prompt' or 'annotator', not {by!r}")
    keys = image_method(project) if by == "method" else image_prompt(project)
    table: dict[str, dict[str, int]] = {}
    for a in annotations(project, annotator=annotator):
        if by == "annotator":
            key = a.annotator
        else:
            key = keys.get(a.image_id, UNKNOWN) if a.image_id is not None else UNKNOWN
        row = table.setdefault(a.label, {})
        row[key] = row.get(key, 0) + 1
    return table


def summary(project: Project) -> dict[str, Any]:
    """The stable JSON ``iris annotations summary --json`` prints."""
    from core.annotations.taxonomy import project_taxonomy

    live = annotations(project)
    taxonomy = project_taxonomy(project)
    by_label: dict[str, int] = {}
    by_annotator: dict[str, int] = {}
    for a in live:
        by_label[a.label] = by_label.get(a.label, 0) + 1
        by_annotator[a.annotator] = by_annotator.get(a.annotator, 0) + 1
    reviews = reviewed_contents(project)
    reviewed: dict[str, int] = {}
    for _sha, who in reviews:
        reviewed[who] = reviewed.get(who, 0) + 1
    labels = [label.id for label in taxonomy.labels]
    labels += sorted(set(by_label) - set(labels))
    return {
        "annotations": len(live),
        "deleted": deleted_count(project),
        "unmatched_images": sum(1 for a in live if a.image_id is None),
        "annotators": annotators(project),
        "by_label": by_label,
        "by_annotator": by_annotator,
        "by_label_method": counts(project, "method"),
        "by_label_prompt": counts(project, "prompt"),
        "reviewed": reviewed,
        "taxonomy": taxonomy.name,
        "agreement": agreement(live, labels, reviews),
    }
