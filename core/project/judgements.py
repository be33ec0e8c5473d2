"""Judge answers: what a VLM/LLM judge said about one image (or one thought text), and who.

A part of :class:`core.project.Project` (a mixin) writing through its private connection.
A judgement is keyed like a score (content SHA-256, metric, metric version: the version
names backend, model, prompt and task, so changing any of them asks again) and keeps
the record the papers' protocols need beside the rating: the judge backend, the model,
the prompt id, the task and the answer text. A rejected answer is a row with value None
and the reason in ``error``, never a 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from core.clock import now
from core.errors import IrisError

JUDGEMENT_FIELDS = ("judge", "model", "prompt_id", "task", "answer", "value", "error")
MAX_ANSWER = 2000  # characters of an answer kept


def _checked_value(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise IrisError(f"a judgement's value must be a number or None, not {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise IrisError(f"a judgement's value must be finite, not {value!r}")
    return number


class JudgementStore:
    """Store and read judge answers."""

    def put_judgement(
        self,
        image_sha256: str,
        metric: str,
        metric_version: str,
        *,
        judge: str,
        model: str = "",
        prompt_id: str = "",
        task: str = "",
        answer: str = "",
        value: float | None = None,
        error: str | None = None,
    ) -> None:
        """Store (or replace) the judgement of ``image_sha256`` under ``metric``/``version``."""
        number = _checked_value(value)
        with self.transaction():
            self._db.execute(
                "INSERT INTO judgements(image_sha256, metric, metric_version, judge, model, "
                "prompt_id, task, answer, value, error, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(image_sha256, metric, metric_version) DO UPDATE SET "
                "judge = excluded.judge, model = excluded.model, prompt_id = excluded.prompt_id, "
                "task = excluded.task, answer = excluded.answer, value = excluded.value, "
                "error = excluded.error, created_at = excluded.created_at",
                [
                    image_sha256, metric, metric_version, str(judge), str(model or ""),
                    str(prompt_id or ""), str(task or ""), str(answer or "")[:MAX_ANSWER],
                    number, None if error is None else str(error), now(),
                ],
            )  # fmt: skip

    def judgement(
        self, image_sha256: str, metric: str, metric_version: str
    ) -> dict[str, Any] | None:
        """The stored judgement row (all columns), or None."""
        rows = list(
            self._db.query(
                "SELECT * FROM judgements WHERE image_sha256 = ? AND metric = ? "
                "AND metric_version = ?",
                [image_sha256, metric, metric_version],
            )
        )
        return rows[0] if rows else None

    def judgements(
        self, metric: str | None = None, shas: Sequence[str] | None = None
    ) -> list[dict[str, Any]]:
        """Judgement rows, of ``metric`` and/or of the contents ``shas`` if given, newest first."""
        where, params = [], []
        if metric is not None:
            where.append("metric = ?")
            params.append(metric)
        rows: list[dict[str, Any]] = []
        chunks = [list(shas[i : i + 500]) for i in range(0, len(shas), 500)] if shas else [None]
        if shas is not None and not shas:
            return []
        for chunk in chunks:
            clause = list(where)
            values = list(params)
            if chunk is not None:
                clause.append(f"image_sha256 IN ({', '.join('?' * len(chunk))})")
                values += chunk
            sql = "SELECT * FROM judgements" + (f" WHERE {' AND '.join(clause)}" if clause else "")
            rows += self._db.query(sql, values)
        rows.sort(key=lambda r: (r["created_at"], r["id"]), reverse=True)
        return rows
