"""The rows a study table is built from: every image's provenance and the scores of its content.

A part of :class:`core.project.Project` (a mixin) reading through its private connection,
so the store stays the only place that writes SQL. Reads return plain tuples (not
dictionaries): a study of 100,000 scores is read in one pass each, without per-row
overhead, and :mod:`core.studies.facts` turns them into facts.
"""

from __future__ import annotations

from collections.abc import Sequence

# One row per image: what it is and where it came from (its method, run, result).
# A result belongs to the image when it is the image's own run's result naming it as
# output (the input of an iterative run is step 0's output of that run, but its own
# run_id is empty, so it takes no run's keys).
_PROVENANCE = """
SELECT i.id, i.name, i.sha256, i.kind, i.width, i.height, i.parent_id, i.run_id,
       i.step_index, coalesce(m1.name, m2.name) AS method, r.name AS run,
       r.group_name, r.kind AS run_kind, r.params AS run_params,
       (SELECT res.meta FROM results res
        WHERE res.run_id = i.run_id AND res.output_image_id = i.id
        ORDER BY res.id LIMIT 1) AS result_meta
FROM images i
LEFT JOIN methods m1 ON m1.id = i.method_id
LEFT JOIN runs r ON r.id = i.run_id
LEFT JOIN methods m2 ON m2.id = r.method_id
ORDER BY i.id
"""

_SCORES_OF = """
SELECT image_sha256, metric, metric_version, reference_sha256, value, error, created_at
FROM scores WHERE metric IN ({marks})
"""

_STEP_OUTPUTS = """
SELECT run_id, step_index, output_image_id FROM results
WHERE output_image_id IS NOT NULL AND step_index IS NOT NULL
ORDER BY step_index, id
"""

# Columns of :meth:`FactStore.image_provenance` rows, in order.
PROVENANCE_COLUMNS = (
    "id",
    "name",
    "sha256",
    "kind",
    "width",
    "height",
    "parent_id",
    "run_id",
    "step_index",
    "method",
    "run",
    "group_name",
    "run_kind",
    "run_params",
    "result_meta",
)
# Columns of :meth:`FactStore.scores_of` rows, in order.
SCORE_COLUMNS = (
    "image_sha256",
    "metric",
    "metric_version",
    "reference_sha256",
    "value",
    "error",
    "created_at",
)


class FactStore:
    """Bulk reads for study tables: images with provenance, scores by metric, run steps."""

    def image_provenance(self) -> list[tuple]:
        """One tuple per image (:data:`PROVENANCE_COLUMNS`), by id; JSON columns as text."""
        return self._db.execute(_PROVENANCE).fetchall()

    def scores_of(self, metrics: Sequence[str]) -> list[tuple]:
        """Every stored score of these metrics (:data:`SCORE_COLUMNS`), in no set order."""
        names = list(dict.fromkeys(str(m) for m in metrics))
        if not names:
            return []
        sql = _SCORES_OF.format(marks=",".join("?" * len(names)))
        return self._db.execute(sql, names).fetchall()

    def step_outputs(self) -> list[tuple[int, int, int]]:
        """(run id, step index, output image id) of every result with a step, in step order."""
        return self._db.execute(_STEP_OUTPUTS).fetchall()

    def score_metric_names(self) -> list[str]:
        """Every metric name the score table holds, sorted."""
        rows = self._db.execute("SELECT DISTINCT metric FROM scores ORDER BY metric").fetchall()
        return [row[0] for row in rows]
