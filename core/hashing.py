"""The content hash IRIS keys everything by: image files, scores, imports (stdlib only)."""

from __future__ import annotations

import hashlib


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of ``data``: the name a project stores a file under and scores are keyed by."""
    return hashlib.sha256(data).hexdigest()
