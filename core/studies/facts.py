"""Facts: one stored score of one project image, with every key a study table groups by.

A fact is (image, metric, value, reference) plus the image's keys: ``method``,
``model``, ``prompt``, ``prompt_group``, ``run``, ``group``, ``repeat``, ``step``,
``kind``, ``image``, ``input`` and every study tag (inherited by outputs, see
:mod:`core.project.tags`). Scores are keyed by content, so every image holding the
pixels gets the fact.

Which stored score counts is what ``iris score --project`` would read: the metric's
current version (:func:`core.metrics.engine.metric_version`, with the alignment policy
folded in for pairs of two sizes) and, for a full-reference metric, the reference the
``--ref`` spec names for that image (:mod:`core.metrics.references`; resolved here for
all images at once, a test keeps both equal). Scores the store has no current value
for are not dropped: each (image, metric) without one gets a status saying why
(``missing``, ``no reference``, ``error: ...``, ``other version``).
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import IrisError
from core.jobs import ProgressFn, check_cancelled, no_progress

# Keys every image has (None where they do not apply), besides its tags.
BUILTIN_KEYS = (
    "method",
    "model",
    "prompt",
    "prompt_group",
    "run",
    "group",
    "repeat",
    "step",
    "kind",
    "image",
    "input",
)
MISSING = "missing"
NO_REFERENCE = "no reference"
OTHER_VERSION = "other version"
INPUT_KINDS = ("imported", "degraded")
NAMED_REFERENCES = ("input", "previous", "step0", "step1", "clean")


class StudyError(IrisError):
    """A table that cannot be built as asked: the message says which option and why."""


@dataclass(frozen=True)
class Fact:
    """One stored score of one image, with the image's keys."""

    image_id: int
    metric: str
    value: float
    reference: str  # the reference image's name, "" for a no-reference metric
    keys: dict[str, Any]


@dataclass
class FactSet:
    """The facts of some metrics over every project image, and why the others have none.

    ``values[metric][image_id]`` is a stored (finite) value; ``status[metric][image_id]``
    is the reason an image has none. Every image appears in ``keys``, scored or not.
    """

    metrics: list[str]
    reference: str | None
    keys: dict[int, dict[str, Any]] = field(default_factory=dict)
    values: dict[str, dict[int, float]] = field(default_factory=dict)
    status: dict[str, dict[int, str]] = field(default_factory=dict)
    references: dict[str, dict[int, str]] = field(default_factory=dict)
    versions: dict[str, list[str]] = field(default_factory=dict)
    tag_keys: list[str] = field(default_factory=list)

    def facts(self) -> Iterator[Fact]:
        """Every stored value as a :class:`Fact`, by image then metric."""
        for image_id in sorted(self.keys):
            for metric in self.metrics:
                value = self.values.get(metric, {}).get(image_id)
                if value is not None:
                    reference = self.references.get(metric, {}).get(image_id, "")
                    yield Fact(image_id, metric, value, reference, self.keys[image_id])

    def known_keys(self) -> list[str]:
        return [*BUILTIN_KEYS, *(k for k in self.tag_keys if k not in BUILTIN_KEYS)]


def _json(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def group_code(group: str) -> str:
    """A prompt group's short name: its words' initials (``Short + Fidelity`` -> ``SF``).

    The restoration library's groups give the paper's S, SF, L and LF.
    """
    words = [w for w in re.split(r"\s+", group.strip()) if w and w[0].isalnum()]
    return "".join(w[0].upper() for w in words) or group


def _prompt_groups(project) -> dict[str, str]:
    from core.prompts import all_prompts

    return {p.id.lower(): group_code(p.group) for p in all_prompts(project) if p.id}


def _prompt_of(result: dict[str, Any], run_params: dict[str, Any]) -> str | None:
    if result.get("prompt_id"):
        return str(result["prompt_id"])
    params = run_params.get("params") if isinstance(run_params.get("params"), dict) else {}
    for source in (params, run_params):
        if source.get("prompt"):
            return str(source["prompt"])
    if result.get("prompt"):
        return str(result["prompt"])
    return None


def _model_of(result: dict[str, Any], run_params: dict[str, Any]) -> str | None:
    params = run_params.get("params") if isinstance(run_params.get("params"), dict) else {}
    for source in (result, params, run_params):
        if source.get("model"):
            return str(source["model"])
    return None


class _Images:
    """The project's images as read once: provenance rows and the runs' step outputs."""

    def __init__(self, project) -> None:
        from core.project.facts import PROVENANCE_COLUMNS

        self.rows = {
            row[0]: dict(zip(PROVENANCE_COLUMNS, row, strict=True))
            for row in project.image_provenance()
        }
        self.steps: dict[tuple[int, int], int] = {}
        for run_id, step, output in project.step_outputs():
            self.steps.setdefault((run_id, step), output)
        self.step_images: dict[tuple[int, int], int] = {}
        self.output_runs: dict[int, set[int]] = {}
        for (run_id, _step), output in self.steps.items():
            self.output_runs.setdefault(output, set()).add(run_id)
        for image_id, row in self.rows.items():
            if row["kind"] == "step" and row["run_id"] is not None:
                self.step_images.setdefault((row["run_id"], row["step_index"]), image_id)

    # -- references, as core.metrics.references resolves them one image at a time --------

    def run_step(self, run_id: int, step: int) -> int | None:
        found = self.steps.get((run_id, step))
        if found is not None or step == 0:
            return found
        return self.step_images.get((run_id, step))

    def runs_of(self, image_id: int) -> list[int]:
        row = self.rows[image_id]
        if row["run_id"] is not None:
            return [row["run_id"]]
        return sorted(self.output_runs.get(image_id, ()))

    def reference_id(self, image_id: int, spec: str) -> int | None:
        row = self.rows[image_id]
        step_of_run = row["kind"] == "step" and row["run_id"] is not None
        if spec == "input":
            return self.run_step(row["run_id"], 0) if step_of_run else row["parent_id"]
        if spec == "previous":
            if row["parent_id"] is None and step_of_run:
                return self.run_step(row["run_id"], 0)
            return row["parent_id"]
        if spec in ("step0", "step1"):
            for run_id in self.runs_of(image_id):
                found = self.run_step(run_id, int(spec[-1]))
                if found is not None:
                    return found
            return None
        if spec == "clean":
            current, seen = image_id, {image_id}
            while self.rows.get(current, {}).get("parent_id") is not None:
                current = self.rows[current]["parent_id"]
                if current in seen or current not in self.rows:
                    break
                seen.add(current)
            return current if current != image_id else None
        raise StudyError(f"--ref {spec!r}: not one of {', '.join(NAMED_REFERENCES)}")

    def input_id(self, image_id: int) -> int:
        """The input this image was made from: a step's run input, an output's parent;
        an imported or degraded image is its own input."""
        row = self.rows[image_id]
        if row["kind"] in INPUT_KINDS:
            return image_id
        if row["kind"] == "step" and row["run_id"] is not None:
            found = self.run_step(row["run_id"], 0)
            if found is not None:
                return found
        return row["parent_id"] if row["parent_id"] in self.rows else image_id


def _image_keys(images: _Images, tags: dict[int, dict[str, str]], groups: dict[str, str]):
    repeats: dict[int, int] = {}
    grouped: dict[str, list[int]] = {}
    for row in images.rows.values():
        if row["group_name"] and row["run_id"] is not None:
            runs = grouped.setdefault(row["group_name"], [])
            if row["run_id"] not in runs:
                runs.append(row["run_id"])
    for runs in grouped.values():
        for index, run_id in enumerate(sorted(runs)):
            repeats[run_id] = index
    keys: dict[int, dict[str, Any]] = {}
    for image_id, row in images.rows.items():
        result, params = _json(row["result_meta"]), _json(row["run_params"])
        prompt = _prompt_of(result, params)
        repeat = result.get("repeat")
        if not isinstance(repeat, int) or isinstance(repeat, bool):
            repeat = repeats.get(row["run_id"]) if row["kind"] == "step" else None
        own = {
            "method": row["method"],
            "model": _model_of(result, params),
            "prompt": prompt,
            "prompt_group": groups.get(prompt.lower()) if prompt else None,
            "run": row["run"],
            "group": row["group_name"],
            "repeat": repeat,
            "step": row["step_index"],
            "kind": row["kind"],
            "image": row["name"],
            "input": images.rows[images.input_id(image_id)]["name"],
        }
        for key, value in tags.get(image_id, {}).items():
            if key not in own:
                own[key] = value
        keys[image_id] = own
    return keys


def _full_reference(metric: str) -> bool | None:
    """True/False for a pyiqa metric, None for a name pyiqa does not know (a judge)."""
    from core.metrics.catalogue import metric_info

    try:
        return metric_info(metric).full_reference
    except IrisError:
        return None


def check_metrics(project, metrics: Sequence[str]) -> list[str]:
    """The metric names, each a pyiqa metric or a name the project holds scores of."""
    from core.metrics.catalogue import metric_names

    names = list(dict.fromkeys(m.strip() for m in metrics if m.strip()))
    if not names:
        raise StudyError("give at least one metric (--metrics)")
    known = set(metric_names())
    if all(name in known for name in names):
        return names
    stored = set(project.score_metric_names())  # a scan of the score table: only when needed
    for name in names:
        if name not in known and name not in stored:
            raise StudyError(
                f"metric {name!r}: not a pyiqa metric (see 'iris score --list') and no score of "
                f"it is stored (stored: {', '.join(sorted(stored)) or 'none'})"
            )
    return names


def read_facts(
    project_dir: str | Path,
    metrics: Sequence[str],
    *,
    reference: str | None = None,
    align_policy: str | None = None,
    align_filter: str | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> FactSet:
    """Every project image's keys and its stored scores of ``metrics`` (see the module).

    ``reference`` (input, previous, step0, step1, clean, an image id or a file) chooses the
    full-reference scores; without it a full-reference metric is refused.
    """
    from core.metrics.alignment import DEFAULT_FILTER, DEFAULT_POLICY, aligned_version
    from core.project import Project

    policy, filt = align_policy or DEFAULT_POLICY, align_filter or DEFAULT_FILTER
    with Project.open(project_dir) as project:
        names = check_metrics(project, metrics)
        fr = {m: _full_reference(m) for m in names}
        if reference is None and any(fr.values()):
            needs = ", ".join(m for m in names if fr[m])
            raise StudyError(
                f"{needs}: full-reference, give --ref ({', '.join(NAMED_REFERENCES)}, "
                "an image id or a file)"
            )
        images = _Images(project)
        check_cancelled(cancel)
        tags = project.tags_for(None)
        facts = FactSet(names, reference, tag_keys=project.tag_keys())
        facts.keys = _image_keys(images, tags, _prompt_groups(project))
        refs = _reference_shas(project, images, reference) if any(fr.values()) else {}
        stored = _stored(project.scores_of(names))
    progress(1, 3)
    check_cancelled(cancel)
    current = _current_versions(names, fr)
    for metric in names:
        values = facts.values.setdefault(metric, {})
        status = facts.status.setdefault(metric, {})
        named = facts.references.setdefault(metric, {})
        used = facts.versions.setdefault(metric, [])
        found = stored.get(metric, {})
        for image_id, row in images.rows.items():
            ref_sha, version = "", current[metric]
            if fr[metric]:
                ref = refs.get(image_id)
                if ref is None:
                    status[image_id] = NO_REFERENCE
                    continue
                ref_sha = ref[0]
                if version is not None and ref[2] != (row["width"], row["height"]):
                    version = aligned_version(
                        version, (row["width"], row["height"]), ref[2], policy, filt
                    )
            candidates = found.get((row["sha256"], ref_sha))
            if candidates is None:
                status[image_id] = MISSING
                continue
            chosen = _choose(candidates, version)
            if chosen is None:
                status[image_id] = OTHER_VERSION
                continue
            chosen_version, value, error = chosen[:3]
            if error is not None or value is None:
                status[image_id] = f"error: {error or 'no value'}"
            elif not math.isfinite(value):
                status[image_id] = "not finite"
            else:
                values[image_id] = float(value)
                if ref_sha:
                    named[image_id] = ref[1]
                if chosen_version not in used:
                    used.append(chosen_version)
    progress(3, 3)
    return facts


def _current_versions(names: Iterable[str], fr: dict[str, bool | None]) -> dict[str, str | None]:
    """The version ``iris score`` writes for each pyiqa metric; None (any) for other names."""
    from core.metrics.engine import metric_version

    return {m: (metric_version(m) if fr[m] is not None else None) for m in names}


def _stored(rows: list[tuple]) -> dict[str, dict[tuple[str, str], Any]]:
    """metric -> (image sha, reference sha) -> (version, value, error, created_at), or a list
    of such tuples where several versions are stored."""
    found: dict[str, dict[tuple[str, str], Any]] = {}
    for row in rows:
        by_metric = found.get(row[1])
        if by_metric is None:
            by_metric = found[row[1]] = {}
        key = (row[0], row[3])
        entry = (row[2], row[4], row[5], row[6])
        before = by_metric.get(key)
        if before is None:
            by_metric[key] = entry
        elif isinstance(before, list):
            before.append(entry)
        else:
            by_metric[key] = [before, entry]
    return found


def _choose(candidates: Any, version: str | None) -> tuple | None:
    """The stored score of ``version``; for a name outside pyiqa (None), the newest one."""
    if isinstance(candidates, tuple):
        return candidates if version is None or candidates[0] == version else None
    if version is None:
        return max(candidates, key=lambda c: c[3] or "")
    return next((c for c in candidates if c[0] == version), None)


def _reference_shas(project, images: _Images, spec: str) -> dict[int, tuple[str, str, tuple]]:
    """image id -> (reference sha, reference label, reference size) for every image."""
    if spec in NAMED_REFERENCES or spec.isdigit():
        if spec.isdigit() and int(spec) not in images.rows:
            raise StudyError(f"--ref {spec}: no image with id {spec} in the project")
        out: dict[int, tuple[str, str, tuple]] = {}
        for image_id in images.rows:
            ref_id = int(spec) if spec.isdigit() else images.reference_id(image_id, spec)
            if ref_id is None or ref_id not in images.rows:
                continue
            ref = images.rows[ref_id]
            out[image_id] = (ref["sha256"], ref["name"], (ref["width"], ref["height"]))
        return out
    from core.metrics.references import resolve_reference

    if not images.rows:
        return {}
    first = project.image(next(iter(images.rows)))
    ref = resolve_reference(project, first, spec)  # a file: the same for every image
    if ref is None:
        return {}
    return {image_id: (ref.sha256, ref.label, ref.size) for image_id in images.rows}
