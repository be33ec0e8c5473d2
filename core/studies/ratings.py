"""Human ratings in and out as CSV, and their per-method summary (seed 000's user study).

The CSV is ``image,rater,score``: the image by id or by name (a name several
images share is refused), the rater's name, a whole score 0-5. Reading is
bounded and strict: one error naming the file, the row and the reason, and
nothing is stored unless every row is good. Export writes the image's name
where it is unique in the project, else its id, so the file reads back.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import IrisError
from core.files import decode_text, read_bounded, write_atomic
from core.project.ratings import MAX_SCORE, MIN_SCORE, RatingError, check_rating

if TYPE_CHECKING:
    from core.project import Project

HEADER = ("image", "rater", "score")
MAX_BYTES = 32 * 1024 * 1024
MAX_ROWS = 200_000
MAX_FIELD = 1000


class RatingsFileError(IrisError):
    """A ratings CSV that cannot be read: names the file, the row and the reason."""


def _image_finder(project: Project):
    by_name: dict[str, list[int]] = {}
    ids = set()
    for image in project.images():
        by_name.setdefault(image.name, []).append(image.id)
        ids.add(image.id)

    def find(text: str) -> int:
        text = text.strip()
        if text.isdigit() and int(text) in ids:
            return int(text)
        found = by_name.get(text, [])
        if len(found) == 1:
            return found[0]
        if found:
            raise RatingError(f"image {text!r} names {len(found)} images; give its id")
        raise RatingError(f"image {text!r}: no image with this id or name")

    return find


def read_ratings_csv(project: Project, path: str | Path) -> list[tuple[int, str, int]]:
    """The ``(image_id, rater, score)`` rows of a ratings CSV, checked, or RatingsFileError."""
    label = str(path)
    text = decode_text(read_bounded(path, MAX_BYTES, label), label)
    reader = csv.reader(io.StringIO(text, newline=""))
    find = _image_finder(project)
    rows: list[tuple[int, str, int]] = []
    try:
        header = next(reader, None)
        if header is None or tuple(h.strip().lower() for h in header) != HEADER:
            raise RatingsFileError(f"{label} row 1: the header must be image,rater,score")
        for number, row in enumerate(reader, start=2):
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(rows) >= MAX_ROWS:
                raise RatingsFileError(f"{label} row {number}: more than {MAX_ROWS} ratings")
            if len(row) != 3:
                raise RatingsFileError(f"{label} row {number}: {len(row)} fields, expected 3")
            if any(len(cell) > MAX_FIELD for cell in row):
                raise RatingsFileError(f"{label} row {number}: a field over {MAX_FIELD} characters")
            try:
                image_id = find(row[0])
                rater, score = check_rating(row[1], row[2].strip())
            except RatingError as exc:
                raise RatingsFileError(f"{label} row {number}: {exc}") from None
            rows.append((image_id, rater, score))
    except csv.Error as exc:
        raise RatingsFileError(f"{label} row {reader.line_num}: not CSV ({exc})") from None
    return rows


def import_ratings(project: Project, path: str | Path) -> int:
    """Store every rating of the file in one transaction (all or none); returns how many."""
    return project.put_ratings(read_ratings_csv(project, path))


def export_ratings(project: Project, path: str | Path, rater: str | None = None) -> int:
    """Write the project's ratings (or one rater's) as ``image,rater,score``; returns how many."""
    names: dict[str, int] = {}
    for image in project.images():
        names[image.name] = names.get(image.name, 0) + 1
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    rows = project.ratings(rater)
    for row in rows:
        image = row["image"] if names.get(row["image"]) == 1 else str(row["image_id"])
        writer.writerow([image, row["rater"], row["score"]])
    write_atomic(path, buffer.getvalue().encode("utf-8"))
    return len(rows)


@dataclass
class MethodRatings:
    """One method's ratings: count, mean, sample sd and how many of each score 0-5."""

    method: str
    n: int = 0
    mean: float | None = None
    sd: float | None = None
    distribution: list[int] = field(default_factory=lambda: [0] * (MAX_SCORE - MIN_SCORE + 1))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def method_summary(project: Project, rater: str | None = None) -> list[MethodRatings]:
    """Per method (the one that made the image, ``(none)`` for inputs), sorted by name."""
    methods = project.image_methods()
    scores: dict[str, list[int]] = {}
    for row in project.ratings(rater):
        scores.setdefault(methods.get(row["image_id"]) or "(none)", []).append(int(row["score"]))
    out = []
    for method in sorted(scores):
        values = scores[method]
        summary = MethodRatings(method, n=len(values))
        summary.mean = sum(values) / len(values)
        if len(values) > 1:
            var = sum((v - summary.mean) ** 2 for v in values) / (len(values) - 1)
            summary.sd = math.sqrt(var)
        for value in values:
            summary.distribution[value - MIN_SCORE] += 1
        out.append(summary)
    return out
