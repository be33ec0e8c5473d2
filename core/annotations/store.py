"""Annotations on a :class:`~core.project.Project`: every change committed at once, undo persisted.

Each change (create, update, delete) is one ``BEGIN IMMEDIATE`` transaction
that writes the annotation row and appends an event holding the row before and
after. Undo applies the ``before`` of the annotator's latest undoable event and
records that as its own ``undo`` event; redo re-applies an undone ``after``.
The undo and redo stacks are therefore a function of the event log and survive
restarts and crashes.

This module (with :mod:`core.project`) is the only one that reads or writes the
annotation tables; imports and summaries call the functions here.
"""

from __future__ import annotations

import json
import uuid as uuid_module
from typing import TYPE_CHECKING, Any

from core.annotations.model import COMPARED_KINDS, Annotation
from core.annotations.regions import normalise
from core.errors import IrisError

if TYPE_CHECKING:
    from core.project import ImageRecord, Project

EDIT_ACTIONS = ("create", "update", "delete")
COLUMNS = (
    "uuid",
    "image_id",
    "image_sha256",
    "label",
    "severity",
    "note",
    "annotator",
    "region_kind",
    "region",
    "compared_with",
    "created_at",
    "updated_at",
    "deleted",
)


class AnnotationError(IrisError):
    """An annotation cannot be made, found or changed."""


def _now() -> str:
    from core.clock import now

    return now()


def _row(annotation: Annotation) -> dict[str, Any]:
    return {
        "uuid": annotation.uuid,
        "image_id": annotation.image_id,
        "image_sha256": annotation.image_sha256,
        "label": annotation.label,
        "severity": int(annotation.severity),
        "note": annotation.note,
        "annotator": annotation.annotator,
        "region_kind": annotation.region_kind,
        "region": json.dumps(annotation.region, sort_keys=True),
        "compared_with": json.dumps(annotation.compared_with, sort_keys=True),
        "created_at": annotation.created_at,
        "updated_at": annotation.updated_at,
        "deleted": int(annotation.deleted),
    }


def _upsert(project: Project, row: dict[str, Any]) -> None:
    names = ", ".join(COLUMNS)
    marks = ", ".join("?" for _ in COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS if c != "uuid")
    project._db.execute(
        f"INSERT INTO annotations({names}) VALUES ({marks}) "
        f"ON CONFLICT(uuid) DO UPDATE SET {updates}",
        [row[c] for c in COLUMNS],
    )


def _log(
    project: Project,
    annotator: str,
    uuid: str,
    action: str,
    before: dict | None,
    after: dict | None,
    target: int | None = None,
) -> int:
    cursor = project._db.execute(
        "INSERT INTO annotation_events(annotator, annotation_uuid, action, target_event_id, "
        "before, after, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            annotator,
            uuid,
            action,
            target,
            json.dumps(before) if before is not None else None,
            json.dumps(after) if after is not None else None,
            _now(),
        ],
    )
    return int(cursor.lastrowid)


def _check(label: str, severity: int, compared_with: dict, taxonomy_labels: set[str]) -> None:
    if label not in taxonomy_labels:
        raise AnnotationError(f"unknown label {label!r}; the project's taxonomy has no such label")
    if severity not in (1, 2, 3):
        raise AnnotationError(f"severity must be 1, 2 or 3, got {severity!r}")
    kind = (compared_with or {}).get("kind", "none")
    if kind not in COMPARED_KINDS:
        raise AnnotationError(
            f"compared_with kind {kind!r} unknown; known: {', '.join(COMPARED_KINDS)}"
        )


def _labels(project: Project) -> set[str]:
    from core.annotations.taxonomy import project_taxonomy

    return {label.id for label in project_taxonomy(project).labels}


def get(project: Project, uuid: str) -> Annotation:
    rows = list(project._db.query("SELECT * FROM annotations WHERE uuid = ?", [uuid]))
    if not rows:
        raise AnnotationError(f"{project.path}: no annotation {uuid}")
    return Annotation.from_row(rows[0])


def add(
    project: Project,
    image: ImageRecord | int,
    *,
    label: str,
    annotator: str,
    region_kind: str = "image",
    region: dict[str, Any] | None = None,
    severity: int = 1,
    note: str = "",
    compared_with: dict[str, Any] | None = None,
) -> Annotation:
    """Create an annotation, committed before this returns."""
    record = project.image(image) if isinstance(image, int) else image
    if not annotator:
        raise AnnotationError("an annotation needs the annotator's name")
    _check(label, severity, compared_with or {}, _labels(project))
    stamp = _now()
    annotation = Annotation(
        uuid=str(uuid_module.uuid4()),
        image_sha256=record.sha256,
        label=label,
        annotator=annotator,
        region_kind=region_kind,
        region=normalise(region_kind, region),
        severity=int(severity),
        note=note,
        compared_with=dict(compared_with or {}),
        created_at=stamp,
        updated_at=stamp,
        image_id=record.id,
    )
    row = _row(annotation)
    with project.transaction():
        _upsert(project, row)
        _log(project, annotator, annotation.uuid, "create", None, row)
    return annotation


def update(project: Project, uuid: str, *, annotator: str, **changes: Any) -> Annotation:
    """Change label, severity, note, region or compared_with of an annotation (one event)."""
    allowed = {"label", "severity", "note", "region_kind", "region", "compared_with"}
    unknown = set(changes) - allowed
    if unknown:
        raise AnnotationError(f"cannot change {', '.join(sorted(unknown))} of an annotation")
    with project.transaction():
        current = get(project, uuid)
        if current.deleted:
            raise AnnotationError(f"annotation {uuid} is deleted")
        values = current.as_dict(with_image_id=True) | changes
        values["region"] = normalise(values["region_kind"], values["region"])
        _check(values["label"], int(values["severity"]), values["compared_with"], _labels(project))
        values["updated_at"] = _now()
        changed = Annotation(**values)
        before, after = _row(current), _row(changed)
        _upsert(project, after)
        _log(project, annotator, uuid, "update", before, after)
    return changed


def delete(project: Project, uuid: str, *, annotator: str) -> Annotation:
    """Soft-delete an annotation (undo brings it back)."""
    with project.transaction():
        current = get(project, uuid)
        before = _row(current)
        after = before | {"deleted": 1, "updated_at": _now()}
        _upsert(project, after)
        _log(project, annotator, uuid, "delete", before, after)
    return Annotation.from_row(after)


def _stacks(project: Project, annotator: str) -> tuple[list[int], list[int]]:
    """(undoable event ids, redoable event ids) of ``annotator``, replayed from the log."""
    done: list[int] = []
    undone: list[int] = []
    for row in project._db.query(
        "SELECT id, action, target_event_id FROM annotation_events WHERE annotator = ? ORDER BY id",
        [annotator],
    ):
        if row["action"] in EDIT_ACTIONS:
            done.append(row["id"])
            undone.clear()
        elif row["action"] == "undo" and done:
            undone.append(done.pop())
        elif row["action"] == "redo" and undone:
            done.append(undone.pop())
    return done, undone


def _apply(project: Project, annotator: str, event_id: int, action: str) -> Annotation:
    event = next(project._db.query("SELECT * FROM annotation_events WHERE id = ?", [event_id]))
    uuid = event["annotation_uuid"]
    current = _row(get(project, uuid))
    wanted = json.loads(event["before" if action == "undo" else "after"] or "null")
    if wanted is None:  # undoing a create: the annotation goes away (softly)
        wanted = current | {"deleted": 1}
    wanted = wanted | {"updated_at": _now()}
    _upsert(project, wanted)
    _log(project, annotator, uuid, action, current, wanted, target=event_id)
    return Annotation.from_row(wanted)


def undo(project: Project, annotator: str) -> Annotation | None:
    """Revert ``annotator``'s latest change; returns the annotation as it now is (or None)."""
    with project.transaction():
        done, _undone = _stacks(project, annotator)
        return _apply(project, annotator, done[-1], "undo") if done else None


def redo(project: Project, annotator: str) -> Annotation | None:
    """Re-apply ``annotator``'s latest undone change (until a new change clears it)."""
    with project.transaction():
        _done, undone = _stacks(project, annotator)
        return _apply(project, annotator, undone[-1], "redo") if undone else None


def can_undo_redo(project: Project, annotator: str) -> tuple[bool, bool]:
    done, undone = _stacks(project, annotator)
    return bool(done), bool(undone)


def annotations(
    project: Project,
    *,
    image_id: int | None = None,
    label: str | None = None,
    annotator: str | None = None,
    include_deleted: bool = False,
) -> list[Annotation]:
    """Annotations in creation order, optionally filtered."""
    clauses, params = [], []
    for column, value in (("image_id", image_id), ("label", label), ("annotator", annotator)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if not include_deleted:
        clauses.append("deleted = 0")
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    sql = f"SELECT * FROM annotations {where} ORDER BY created_at, id"
    return [Annotation.from_row(row) for row in project._db.query(sql, params)]


def annotators(project: Project) -> list[str]:
    sql = (
        "SELECT annotator FROM annotations UNION SELECT annotator FROM review_marks "
        "ORDER BY annotator"
    )
    return [row["annotator"] for row in project._db.query(sql)]


def mark_reviewed(project: Project, image_id: int, annotator: str, reviewed: bool = True) -> None:
    """Record (or clear) that ``annotator`` has looked at an image."""
    with project.transaction():
        if reviewed:
            project._db.execute(
                "INSERT INTO review_marks(image_id, annotator, reviewed_at) VALUES (?, ?, ?) "
                "ON CONFLICT(image_id, annotator) DO UPDATE SET reviewed_at = excluded.reviewed_at",
                [image_id, annotator, _now()],
            )
        else:
            project._db.execute(
                "DELETE FROM review_marks WHERE image_id = ? AND annotator = ?",
                [image_id, annotator],
            )


def put(project: Project, annotation: Annotation, *, image_id: int | None) -> None:
    """Write ``annotation`` as it is, attached to ``image_id`` (an import: no undo event)."""
    with project.transaction():
        _upsert(project, _row(annotation) | {"image_id": image_id})


def updated_at(project: Project, uuid: str) -> str | None:
    """When annotation ``uuid`` was last changed here (deleted ones too), or None."""
    rows = list(project._db.query("SELECT updated_at FROM annotations WHERE uuid = ?", [uuid]))
    return rows[0]["updated_at"] if rows else None


def deleted_count(project: Project) -> int:
    """How many annotations are soft-deleted."""
    sql = "SELECT count(*) FROM annotations WHERE deleted = 1"
    return int(project._db.execute(sql).fetchone()[0])


def merge_review_mark(project: Project, image_id: int, annotator: str, at: str) -> None:
    """Record an imported review mark; of two marks for one image and annotator the later wins."""
    with project.transaction():
        project._db.execute(
            "INSERT INTO review_marks(image_id, annotator, reviewed_at) VALUES (?, ?, ?) "
            "ON CONFLICT(image_id, annotator) DO UPDATE SET reviewed_at = "
            "max(reviewed_at, excluded.reviewed_at)",
            [image_id, annotator, at],
        )


def review_marks(project: Project, image_id: int) -> list[tuple[str, str]]:
    """(annotator, reviewed_at) of every review mark on image ``image_id``, by annotator."""
    sql = "SELECT annotator, reviewed_at FROM review_marks WHERE image_id = ? ORDER BY annotator"
    return [(row["annotator"], row["reviewed_at"]) for row in project._db.query(sql, [image_id])]


def reviewed_contents(project: Project) -> list[tuple[str, str]]:
    """(image sha256, annotator) of every review mark: what agreement is computed over."""
    sql = (
        "SELECT images.sha256 AS sha256, review_marks.annotator AS annotator "
        "FROM review_marks JOIN images ON images.id = review_marks.image_id"
    )
    return [(row["sha256"], row["annotator"]) for row in project._db.query(sql)]


def reviewed_images(project: Project, annotator: str | None = None) -> dict[int, list[str]]:
    """image id -> annotators who marked it reviewed."""
    sql = "SELECT image_id, annotator FROM review_marks"
    params: list[Any] = []
    if annotator is not None:
        sql += " WHERE annotator = ?"
        params.append(annotator)
    marks: dict[int, list[str]] = {}
    for row in project._db.query(sql + " ORDER BY annotator", params):
        marks.setdefault(row["image_id"], []).append(row["annotator"])
    return marks
