"""Content-addressed image files: ``images/<sha[:2]>/<sha>.<ext>`` inside a project.

A file is written (atomically) before the row that names it is committed, so a
crash leaves at worst an unreferenced file, never a row without its file.
"""

from __future__ import annotations

from pathlib import Path

from core.files import write_atomic
from core.hashing import sha256_of

BLOB_DIR = "images"


class BlobStore:
    """Stores byte strings under their SHA-256 in a project's ``images`` folder."""

    def __init__(self, root: Path) -> None:
        self.root = root / BLOB_DIR

    def relative_path(self, sha256: str, ext: str) -> str:
        return f"{BLOB_DIR}/{sha256[:2]}/{sha256}.{ext.lower().lstrip('.')}"

    def put(self, data: bytes, ext: str) -> tuple[str, str]:
        """Store ``data``; returns ``(sha256, path relative to the project)``."""
        sha = sha256_of(data)
        relative = self.relative_path(sha, ext)
        target = self.root.parent / relative
        if not (target.exists() and target.stat().st_size == len(data)):
            write_atomic(target, data)
        return sha, relative
