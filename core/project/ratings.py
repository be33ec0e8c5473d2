"""Human quality ratings: one 0-5 score per image per rater (seed 000's user study).

A part of :class:`core.project.Project` (a mixin) writing through its private connection.
A rater rating an image again replaces their earlier score.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from core.clock import now
from core.errors import IrisError

MIN_SCORE, MAX_SCORE = 0, 5
MAX_RATER_LENGTH = 64


class RatingError(IrisError):
    """A rating that cannot be stored: the message names the value and the rule."""


def check_rating(rater: str, score: Any) -> tuple[str, int]:
    """The rating as stored, or :class:`RatingError`: an integer 0-5 and a named rater."""
    rater = str(rater).strip()
    if not rater or len(rater) > MAX_RATER_LENGTH or any(ord(ch) < 32 for ch in rater):
        raise RatingError(f"rater {rater!r}: give a name of 1-{MAX_RATER_LENGTH} characters")
    if isinstance(score, bool):
        raise RatingError(f"score {score!r}: not a number")
    try:
        number = float(score)
    except (TypeError, ValueError):
        raise RatingError(f"score {score!r}: not a number") from None
    if not math.isfinite(number) or number != int(number):
        raise RatingError(f"score {score!r}: must be a whole number {MIN_SCORE}-{MAX_SCORE}")
    value = int(number)
    if not MIN_SCORE <= value <= MAX_SCORE:
        raise RatingError(f"score {value}: outside {MIN_SCORE}-{MAX_SCORE}")
    return rater, value


class RatingStore:
    """Store and read human ratings."""

    def put_rating(self, image_id: int, rater: str, score: Any) -> None:
        """Store (or replace) ``rater``'s score for the image."""
        rater, value = check_rating(rater, score)
        with self.transaction():
            self.image(int(image_id))
            self._db.execute(
                "INSERT INTO ratings(image_id, rater, score, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(image_id, rater) DO UPDATE SET score = excluded.score, "
                "created_at = excluded.created_at",
                [int(image_id), rater, value, now()],
            )

    def put_ratings(self, rows: Iterable[tuple[int, str, Any]]) -> int:
        """Store many ``(image_id, rater, score)`` in one transaction: all or none."""
        checked = [(int(i), *check_rating(r, s)) for i, r, s in rows]
        stamp = now()
        with self.transaction():
            for image_id, rater, value in checked:
                self.image(image_id)
                self._db.execute(
                    "INSERT INTO ratings(image_id, rater, score, created_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(image_id, rater) DO UPDATE SET score = excluded.score, "
                    "created_at = excluded.created_at",
                    [image_id, rater, value, stamp],
                )
        return len(checked)

    def delete_rating(self, image_id: int, rater: str) -> bool:
        with self.transaction():
            cursor = self._db.execute(
                "DELETE FROM ratings WHERE image_id = ? AND rater = ?", [int(image_id), rater]
            )
        return cursor.rowcount > 0

    def ratings(self, rater: str | None = None) -> list[dict[str, Any]]:
        """Rows ``image_id, image (name), rater, score, created_at``, by image then rater."""
        where, params = ("WHERE r.rater = ?", [rater]) if rater is not None else ("", [])
        return list(
            self._db.query(
                "SELECT r.image_id, i.name AS image, r.rater, r.score, r.created_at "
                f"FROM ratings r JOIN images i ON i.id = r.image_id {where} "
                "ORDER BY r.image_id, r.rater",
                params,
            )
        )

    def raters(self) -> list[str]:
        return [
            row["rater"]
            for row in self._db.query("SELECT DISTINCT rater FROM ratings ORDER BY rater")
        ]
