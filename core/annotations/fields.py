"""Checks of the untrusted values an annotation file carries, one field at a time.

Each check returns the value in its stored type or raises :class:`FieldError`
with a short message naming the field ("severity 9 out of range 1-3"); the
reader adds the file and the row. Values from JSON must have their JSON type;
values from CSV are text and are parsed (``text=True``).
"""

from __future__ import annotations

import math
import re
from datetime import datetime
from typing import Any

from core.annotations import regions
from core.annotations.model import COMPARED_KINDS, Annotation

NAME_CHARS = 1_000
NOTE_CHARS = 100_000
MAX_COMPARED_KEYS = 20
MAX_SIDE = 2**31
# C0 controls but tab, newline and carriage return; DEL; lone UTF-16 surrogates (unstorable).
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class FieldError(ValueError):
    """One value of an annotation file is missing, of the wrong type or out of range."""


def _type(value: Any) -> str:
    return {str: "text", bool: "a boolean", dict: "an object", list: "a list"}.get(
        type(value), type(value).__name__
    )


def text(value: Any, name: str, *, required: bool = False, limit: int = NAME_CHARS) -> str:
    """A string of at most ``limit`` characters without control characters."""
    if value is None or (value == "" and not required):
        if required:
            raise FieldError(f"{name} is missing")
        return ""
    if not isinstance(value, str):
        raise FieldError(f"{name} must be text, got {_type(value)}")
    if required and not value.strip():
        raise FieldError(f"{name} is empty")
    if len(value) > limit:
        raise FieldError(f"{name} is longer than {limit} characters")
    bad = _BAD_CHARS.search(value)
    if bad:
        raise FieldError(f"{name} contains the character {bad.group()!r}")
    return value


def integer(value: Any, name: str, low: int, high: int, *, text_ok: bool = False) -> int:
    """A whole number in ``low..high``; from CSV (``text_ok``) a string of digits."""
    if text_ok and isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise FieldError(f"{name} {value!r:.40} is not a whole number") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"{name} must be a whole number, got {_type(value)}")
    if not low <= value <= high:
        raise FieldError(f"{name} {value} out of range {low}-{high}")
    return value


def flag(value: Any, name: str) -> bool:
    """A boolean: JSON true/false or 0/1, CSV 0/1/true/false (empty is false)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in ("", "0", "1", "true", "false"):
        return value.strip().lower() in ("1", "true")
    if value is None:
        return False
    raise FieldError(f"{name} must be 0 or 1, got {value!r:.40}")


def timestamp(value: Any, name: str, *, required: bool = False) -> str:
    """An ISO 8601 timestamp as text (merging compares them as strings)."""
    stamp = text(value, name, required=required, limit=64)
    if stamp:
        try:
            datetime.fromisoformat(stamp)
        except ValueError:
            raise FieldError(f"{name} {stamp!r} is not an ISO 8601 time") from None
    return stamp


def compared_with(value: Any) -> dict[str, Any]:
    """What the annotator compared against: a flat object, ``kind`` one of COMPARED_KINDS."""
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise FieldError(f"compared_with must be an object, got {_type(value)}")
    if len(value) > MAX_COMPARED_KEYS:
        raise FieldError(f"compared_with has more than {MAX_COMPARED_KEYS} keys")
    out: dict[str, Any] = {}
    for key, item in value.items():
        name = f"compared_with.{text(key, 'a compared_with key', required=True, limit=64)}"
        if isinstance(item, str):
            item = text(item, name)
        elif isinstance(item, float) and not math.isfinite(item):
            raise FieldError(f"{name} must be a finite number, got {item}")
        elif item is not None and not isinstance(item, bool | int | float):
            raise FieldError(f"{name} must be text or a number, got {_type(item)}")
        out[key] = item
    kind = out.get("kind", "none")
    if kind not in COMPARED_KINDS:
        raise FieldError(f"compared_with kind {kind!r} unknown; known: {', '.join(COMPARED_KINDS)}")
    return out


def region(kind: Any, value: Any, size: tuple[int, int] | None) -> tuple[str, dict[str, Any]]:
    """``(region_kind, canonical region)``; a mask must match ``size`` when it is known."""
    if kind is None or kind == "":
        kind = "image"
    if kind not in regions.REGION_KINDS:
        raise FieldError(
            f"region_kind {kind!r:.40} unknown; known: {', '.join(regions.REGION_KINDS)}"
        )
    if value is not None and not isinstance(value, dict):
        raise FieldError(f"region must be an object, got {_type(value)}")
    try:
        return kind, regions.normalise(kind, value, size)
    except regions.RegionError as exc:
        raise FieldError(f"region: {exc}") from None


def annotation(
    data: Any, *, text_values: bool = False, size: tuple[int, int] | None = None
) -> Annotation:
    """An :class:`Annotation` from one untrusted record (a JSON object or a parsed CSV row)."""
    if not isinstance(data, dict):
        raise FieldError(f"must be an object, got {_type(data)}")
    kind, shape = region(data.get("region_kind"), data.get("region"), size)
    severity = data.get("severity")
    if severity is None or severity == "":
        severity = 1
    return Annotation(
        uuid=text(data.get("uuid"), "uuid", required=True, limit=128),
        image_sha256=text(data.get("image_sha256"), "image_sha256", required=True),
        label=text(data.get("label"), "label", required=True, limit=200),
        annotator=text(data.get("annotator"), "annotator", required=True, limit=200),
        region_kind=kind,
        region=shape,
        severity=integer(severity, "severity", 1, 3, text_ok=text_values),
        note=text(data.get("note"), "note", limit=NOTE_CHARS),
        compared_with=compared_with(data.get("compared_with")),
        created_at=timestamp(data.get("created_at"), "created_at"),
        updated_at=timestamp(data.get("updated_at"), "updated_at"),
        deleted=flag(data.get("deleted"), "deleted"),
    )


def review(data: Any) -> dict[str, str]:
    """A review mark ``{"image_sha256", "annotator", "at"}``."""
    if not isinstance(data, dict):
        raise FieldError(f"must be an object, got {_type(data)}")
    return {
        "image_sha256": text(data.get("image_sha256"), "image_sha256", required=True),
        "annotator": text(data.get("annotator"), "annotator", required=True, limit=200),
        "at": timestamp(data.get("at"), "at", required=True),
    }


def image_facts(data: Any, name_key: str = "name") -> dict[str, Any]:
    """An image's ``{"name", "width", "height"}`` (0 when not given)."""
    if not isinstance(data, dict):
        raise FieldError(f"must be an object, got {_type(data)}")
    return {
        "name": text(data.get(name_key), name_key, limit=4096),
        "width": integer(data.get("width", 0), "width", 0, MAX_SIDE),
        "height": integer(data.get("height", 0), "height", 0, MAX_SIDE),
    }
