"""What ``iris info`` prints about a project: counts by table, kind and status.

A part of :class:`core.project.Project` (a mixin) reading through its private connection.
"""

from __future__ import annotations

from typing import Any

from core.project.schema import schema_version


class ProjectSummary:
    """Counts and the stable ``info()`` summary of an open project."""

    def counts(self) -> dict[str, int]:
        tables = ("images", "methods", "runs", "results", "scores")
        return {t: int(self._db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}

    def info(self) -> dict[str, Any]:
        """The stable summary ``iris info --json`` prints (documented in the README)."""
        meta = self.meta()
        by_kind = {
            row["kind"]: row["n"]
            for row in self._db.query(
                "SELECT kind, count(*) AS n FROM images GROUP BY kind ORDER BY kind"
            )
        }
        runs_by_status = {
            row["status"]: row["n"]
            for row in self._db.query(
                "SELECT status, count(*) AS n FROM runs GROUP BY status ORDER BY status"
            )
        }
        return {
            "path": str(self.path),
            "name": self.name,
            "id": meta.get("id", ""),
            "schema_version": schema_version(self._db.conn),
            "created_at": meta.get("created_at", ""),
            "created_by": meta.get("created_by", ""),
            "counts": self.counts(),
            "images_by_kind": by_kind,
            "runs_by_status": runs_by_status,
        }
