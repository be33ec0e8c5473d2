"""Plain records the project store returns: no SQL, no Qt, safe to pass between threads.

Kinds and statuses are the plain strings read back (compare them with the enums of
:mod:`core.project.kinds`; an old project may hold values IRIS no longer writes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any


def _json(value: str | None) -> dict[str, Any]:
    return json.loads(value) if value else {}


@dataclass(frozen=True)
class ImageRecord:
    """One image in a project and where it came from."""

    id: int
    sha256: str
    file: str
    name: str
    kind: str
    width: int
    height: int
    bit_depth: int
    format: str
    has_alpha: bool = False
    has_icc: bool = False
    has_exif: bool = False
    source_path: str | None = None
    parent_id: int | None = None
    method_id: int | None = None
    run_id: int | None = None
    step_index: int | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    created_at: str = ""

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ImageRecord:
        values = dict(row)
        values["meta"] = _json(values.get("meta"))
        for flag in ("has_alpha", "has_icc", "has_exif"):
            values[flag] = bool(values.get(flag))
        return cls(**values)


@dataclass(frozen=True)
class RunRecord:
    """A run: a restore batch, an iterative edit chain, a scoring job."""

    id: int
    name: str
    kind: str
    method_id: int | None
    group_name: str | None
    params: dict[str, Any]
    status: str
    error: str | None
    created_at: str
    updated_at: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> RunRecord:
        values = dict(row)
        values["params"] = _json(values.get("params"))
        return cls(**values)


@dataclass(frozen=True)
class ResultRecord:
    """One result of a run (one output, or one step of an iterative run)."""

    id: int
    run_id: int
    step_index: int | None
    input_image_id: int | None
    output_image_id: int | None
    status: str
    error: str | None
    seconds: float | None
    started_at: str | None
    finished_at: str | None
    meta: dict[str, Any]

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> ResultRecord:
        values = dict(row)
        values["meta"] = _json(values.get("meta"))
        return cls(**values)
