"""The project's score table: one score per image content, metric, metric version, reference.

A part of :class:`core.project.Project` (a mixin): it uses the project's private
connection and transactions, so the store stays the only place that writes SQL.
"""

from __future__ import annotations

from typing import Any

from core.clock import now

_SCORES_WITH_IMAGES = """
SELECT s.metric, s.metric_version, s.value, s.error, s.image_sha256, s.reference_sha256,
       i.id AS image_id, i.name AS image, i.kind AS kind, r.name AS reference
FROM scores s
LEFT JOIN images i ON i.id = (SELECT MIN(id) FROM images WHERE sha256 = s.image_sha256)
LEFT JOIN images r ON r.id = (SELECT MIN(id) FROM images WHERE sha256 = s.reference_sha256)
ORDER BY i.id, s.metric, s.reference_sha256
"""


class ScoreStore:
    """Scores keyed by content: nothing is computed twice, whatever image holds the pixels."""

    def put_score(
        self,
        image_sha256: str,
        metric: str,
        metric_version: str,
        value: float | None,
        *,
        reference_sha256: str = "",
        error: str | None = None,
        seconds: float | None = None,
    ) -> None:
        """Store a score keyed by image content, metric, metric version and reference."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO scores(image_sha256, metric, metric_version, reference_sha256, value, "
                "error, seconds, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(image_sha256, metric, metric_version, reference_sha256) DO UPDATE SET "
                "value = excluded.value, error = excluded.error, seconds = excluded.seconds, "
                "created_at = excluded.created_at",
                [
                    image_sha256,
                    metric,
                    metric_version,
                    reference_sha256,
                    value,
                    error,
                    seconds,
                    now(),
                ],
            )

    def score(
        self, image_sha256: str, metric: str, metric_version: str, reference_sha256: str = ""
    ) -> dict[str, Any] | None:
        rows = list(
            self._db.query(
                "SELECT * FROM scores WHERE image_sha256 = ? AND metric = ? AND metric_version = ? "
                "AND reference_sha256 = ?",
                [image_sha256, metric, metric_version, reference_sha256],
            )
        )
        return rows[0] if rows else None

    def scores_with_images(self) -> list[dict[str, Any]]:
        """Every stored score beside the first image of its content and of its reference.

        Keys: metric, metric_version, value, error, image_sha256, reference_sha256, and
        image_id, image (name), kind, reference (name): None where that image is not here.
        """
        return list(self._db.query(_SCORES_WITH_IMAGES))
