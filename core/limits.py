"""Limits that protect IRIS from hostile or accidental input (stdlib only: used at startup)."""

from __future__ import annotations

import os

DEFAULT_MAX_PIXELS = 256_000_000


def max_pixels_from_env() -> int:
    """The pixel limit: ``IRIS_MAX_PIXELS`` when set, else the default."""
    value = os.environ.get("IRIS_MAX_PIXELS", "")
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_PIXELS
