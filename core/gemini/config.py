"""Gemini model ids and endpoint configuration, kept as data rather than code."""

from __future__ import annotations

import json
import math
import os
from functools import lru_cache

from resources import resource_path

BASE_URL_ENV = "IRIS_GEMINI_BASE_URL"
MODELS_ENV = "IRIS_GEMINI_MODELS"
RETRY_BASE_ENV = "IRIS_GEMINI_RETRY_BASE_S"
IMAGE_SIZES = ("1K", "2K", "4K")
DEFAULT_IMAGE_SIZE = "2K"  # Banana100's default resolution (section 2.2)
ASPECT_RATIOS = ("auto", "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")


@lru_cache(maxsize=1)
def _shipped_models() -> tuple[dict, ...]:
    data = json.loads(resource_path("gemini", "models.json").read_text(encoding="utf-8"))
    return tuple(data["models"])


def model_ids() -> tuple[str, ...]:
    """Configured model ids; ``IRIS_GEMINI_MODELS`` (comma-separated) replaces the shipped list."""
    override = [m.strip() for m in os.environ.get(MODELS_ENV, "").split(",") if m.strip()]
    return tuple(override) if override else tuple(m["id"] for m in _shipped_models())


def model_label(model_id: str) -> str:
    for entry in _shipped_models():
        if entry["id"] == model_id:
            return f"{entry['label']} ({model_id})"
    return model_id


def base_url() -> str | None:
    """An endpoint override (a proxy, or the fake server in tests)."""
    return os.environ.get(BASE_URL_ENV) or None


def retry_base_seconds() -> float:
    """First back-off delay; doubled per retry and capped at 8x (``IRIS_GEMINI_RETRY_BASE_S``)."""
    try:
        seconds = float(os.environ.get(RETRY_BASE_ENV, "1.0"))
    except ValueError:
        return 1.0
    return max(0.0, seconds) if math.isfinite(seconds) else 1.0  # "inf" would wait forever
