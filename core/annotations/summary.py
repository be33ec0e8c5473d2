"""Case counts as seed 000 counts them, and the CLI summary.

A *case* is an image with at least one live flag of a label (or of any label
of a label group, such as infidelity): several regions on one image are one
case. Cases are counted per method, prompt, annotator or study tag, over the
images looked at in that column (marked reviewed, or carrying a flag), so
"2 infidelity cases of 35 reviewed" reads as the paper's "cases per prompt".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from core.annotations.agreement import agreement
from core.annotations.store import (
    annotations,
    annotators,
    deleted_count,
    reviewed_contents,
    reviewed_images,
)

if TYPE_CHECKING:
    from core.project import Project

UNKNOWN = "(none)"
FIXED_GROUPINGS = ("method", "prompt", "annotator")


def image_method(project: Project) -> dict[int, str]:
    """image id -> the method that made it (its own, else its run's), else ``(none)``."""
    return {image_id: method or UNKNOWN for image_id, method in project.image_methods().items()}


def image_prompt(project: Project) -> dict[int, str]:
    """image id -> its prompt: ``prompt_id`` in its meta, else its restore run's prompt."""
    from core.studies.restore_outputs import restore_outputs

    by_output = {o.output_id: o.prompt for o in restore_outputs(project)}
    return {
        image.id: str(image.meta.get("prompt_id") or by_output.get(image.id) or UNKNOWN)
        for image in project.images()
    }


def image_tag(project: Project, key: str) -> dict[int, str]:
    """image id -> its (inherited) value of tag ``key``, else ``(none)``."""
    tags = project.tags_for(None)
    return {image.id: tags.get(image.id, {}).get(key, UNKNOWN) for image in project.images()}


def groupings(project: Project) -> list[str]:
    """What cases can be counted by: method, prompt, annotator and every tag key in use."""
    return [*FIXED_GROUPINGS, *(k for k in project.tag_keys() if k not in FIXED_GROUPINGS)]


@dataclass
class CaseTable:
    """rows (label groups and labels) x columns (methods, prompts...) of images flagged.

    ``cases[row][column]`` counts distinct images; ``reviewed[column]`` the images looked at.
    ``rows`` lists group ids each followed by its labels (``groups`` says which are groups).
    """

    by: str
    columns: list[str] = field(default_factory=list)
    rows: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    cases: dict[str, dict[str, int]] = field(default_factory=dict)
    reviewed: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def case_table(
    project: Project, by: str = "prompt", annotator: str | None = None, taxonomy=None
) -> CaseTable:
    """Images with at least one flag of each label and label group, per ``by`` value.

    ``taxonomy`` defaults to the project's (a view passes the one it shows).
    """
    from core.annotations.taxonomy import project_taxonomy

    if by not in groupings(project):
        raise ValueError(f"count by one of {', '.join(groupings(project))}, not {by!r}")
    taxonomy = taxonomy or project_taxonomy(project)
    group_of = {label.id: label.group for label in taxonomy.labels}
    if by == "method":
        keys = image_method(project)
    elif by == "prompt":
        keys = image_prompt(project)
    elif by == "annotator":
        keys = {}
    else:
        keys = image_tag(project, by)

    def columns_of(image_id: int | None, who: str) -> str:
        if by == "annotator":
            return who
        return keys.get(image_id, UNKNOWN) if image_id is not None else UNKNOWN

    flagged: dict[str, dict[str, set]] = {}
    looked: dict[str, set] = {}
    for a in annotations(project, annotator=annotator):
        column = columns_of(a.image_id, a.annotator)
        image = a.image_id if a.image_id is not None else ("unmatched", a.image_sha256)
        looked.setdefault(column, set()).add(image)
        for row in (a.label, group_of.get(a.label)):
            if row:
                flagged.setdefault(row, {}).setdefault(column, set()).add(image)
    for image_id, who in reviewed_images(project, annotator).items():
        for name in who:
            looked.setdefault(columns_of(image_id, name), set()).add(image_id)
    table = CaseTable(by=by, columns=sorted(looked))
    for group in taxonomy.groups:
        table.rows.append(group.id)
        table.groups.append(group.id)
        table.rows += [label.id for label in group.labels]
    table.rows += sorted(set(flagged) - set(table.rows))
    table.cases = {
        row: {column: len(images) for column, images in flagged.get(row, {}).items()}
        for row in table.rows
    }
    table.reviewed = {column: len(images) for column, images in looked.items()}
    return table


def counts(
    project: Project, by: str = "method", annotator: str | None = None
) -> dict[str, dict[str, int]]:
    """label -> {method, prompt, annotator or tag value -> images with that label}."""
    table = case_table(project, by, annotator)
    return {row: cells for row, cells in table.cases.items() if cells and row not in table.groups}


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
        "cases": {by: case_table(project, by).as_dict() for by in groupings(project)},
        "reviewed": reviewed,
        "taxonomy": taxonomy.name,
        "agreement": agreement(live, labels, reviews),
    }
