"""The one clock every stored timestamp and run name reads (stdlib only)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> str:
    """UTC timestamp in ISO 8601 with milliseconds, the one format every table uses."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def stamp(at: str | None = None) -> str:
    """``at`` (default: now) as the compact ``YYYYMMDDTHHMMSS`` that run names carry."""
    return (at or now()).replace(":", "").replace("-", "")[:15]
