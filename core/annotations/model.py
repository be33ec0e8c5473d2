"""The annotation record and the compared-with reference, as plain data."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from typing import Any

COMPARED_KINDS = ("input", "method", "step", "image", "none")


@dataclass(frozen=True)
class Annotation:
    """One flagged infidelity: a region of an image with a label, severity and note.

    ``uuid`` is stable across exports, imports and merges; ``image_sha256``
    lets another project match the image by content. ``compared_with`` says
    what the annotator compared against, e.g. ``{"kind": "input"}``,
    ``{"kind": "method", "method": "hypir"}``, ``{"kind": "step", "step": 1}``.
    """

    uuid: str
    image_sha256: str
    label: str
    annotator: str
    region_kind: str = "image"
    region: dict[str, Any] = field(default_factory=dict)
    severity: int = 1
    note: str = ""
    compared_with: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""
    updated_at: str = ""
    deleted: bool = False
    image_id: int | None = None

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Annotation:
        return cls(
            uuid=row["uuid"],
            image_sha256=row["image_sha256"],
            label=row["label"],
            annotator=row["annotator"],
            region_kind=row["region_kind"],
            region=json.loads(row["region"] or "{}"),
            severity=int(row["severity"]),
            note=row["note"] or "",
            compared_with=json.loads(row["compared_with"] or "{}"),
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            deleted=bool(row["deleted"]),
            image_id=row.get("image_id"),
        )

    def as_dict(self, with_image_id: bool = False) -> dict[str, Any]:
        """The portable form exports use (``image_id`` is project-local, left out by default)."""
        data = {name: getattr(self, name) for name in FIELDS}  # shallow: asdict is 10x slower
        if not with_image_id:
            data.pop("image_id")
        return data


FIELDS = tuple(f.name for f in fields(Annotation))
