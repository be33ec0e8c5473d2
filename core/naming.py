"""Short, unique display names for a project's images, runs and groups, and their provenance.

Stored names grow with every operation (``fabric [nlmeans] [nlmeans]``,
``gradient-generation-loss-r2 step 7``) and look alike once a widget elides them.
Here every image, run and group gets a name that is short (about
:data:`BUDGET` characters), says what it is (``fabric · nlmeans×2``,
``gradient · run 2 · step 7``) and is unique by construction: look-alikes are
elided around the part where they differ, and true duplicates get a stable
``(2)`` suffix in id order. The full story lives in :func:`provenance_text`.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from core.project import ImageRecord, Project, RunRecord

BUDGET = 28  # characters a display name aims for (two lines of a thumbnail caption)
SEP = " · "
ELLIPSIS = "…"
_OP_BUDGET = 14
_MIN_ROOT = 8
_MIN_WORDS = 3  # characters of whole words a cut part keeps, at least ("…q10")
_MIN_CHARS = 6  # characters a part cut in a word keeps, at least; else the parts fold to "…"
_IMAGE_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".webp", ".bmp", ".gif", ".exr", ".jxl",
    ".avif", ".heic", ".ppm", ".pgm", ".pnm", ".tga", ".dng", ".jp2",
}  # fmt: skip
_REPEAT = re.compile(r"\s#(\d+)$")
_RUN_NUMBER = re.compile(r"-r(\d+)$")
_MAX_DEPTH = 64  # a parent chain longer than this (or a cycle) in a damaged project stops here


def elide_middle(text: str, budget: int) -> str:
    """``text`` cut to ``budget`` characters by replacing its middle with an ellipsis."""
    if len(text) <= budget:
        return text
    if budget <= 1:
        return ELLIPSIS
    head = (budget - 1 + 1) // 2
    tail = budget - 1 - head
    return text[:head] + ELLIPSIS + (text[len(text) - tail :] if tail else "")


def elide_words(text: str, budget: int) -> str:
    """``text`` cut to ``budget`` by dropping whole leading words (``gaussian noise`` ->
    ``…noise``: the noun stays); a middle elision when even its last word is too long."""
    if len(text) <= budget:
        return text
    words = text.split(" ")
    for start in range(1, len(words)):
        tail = ELLIPSIS + " ".join(words[start:])
        if len(tail) <= budget:
            return tail
    return elide_middle(text, budget)


def elide_around(text: str, budget: int, start: int, end: int) -> str:
    """``text`` cut to ``budget`` characters keeping ``text[start:end]`` whole, and as much of
    its end (what the thing is: ``run 2 · step 7``) as leaves the start a few characters.

    A window too wide to keep gives a plain middle elision.
    """
    if len(text) <= budget:
        return text
    left, window, right = text[:start], text[start:end], text[end:]
    room = budget - len(window)
    if room < min(len(left), 2) + min(len(right), 2):
        return elide_middle(text, budget)
    right_room = min(len(right), max(room - min(len(left), _MIN_ROOT), min(len(right), 2)))
    left_room = min(len(left), room - right_room)
    right_room = min(len(right), room - left_room)
    return elide_middle(left, left_room) + window + elide_middle(right, right_room)


def stem(name: str) -> str:
    """A file-like name without folders and image extension: ``/a/IMG_1.JPG`` -> ``IMG_1``."""
    base = re.split(r"[\\/]", name.strip())[-1] or name.strip()
    dot = base.rfind(".")
    if dot > 0 and base[dot:].lower() in _IMAGE_SUFFIXES:
        base = base[:dot]
    return base or "image"


def window_title(project_name: str | None, path: object = None) -> str:
    """The text for ``setWindowTitle``: the project's name once (its folder's when it has
    none), ``IRIS`` without a project. Qt adds the application's display name itself
    (``IRIS sample — IRIS``), so the title never repeats it."""
    name = " ".join((project_name or "").split())
    if not name and path is not None:
        name = stem(str(path).rstrip("/\\"))
    return name or "IRIS"


def unique_labels(
    entries: Iterable[tuple[Hashable, Sequence[str], str]], budget: int = BUDGET
) -> dict[Hashable, str]:
    """Labels for ``(key, levels, full)`` entries, in order, no two equal.

    Each key starts at its shortest level; keys that share a label move on to their
    next level together. Still equal, labels of different ``full`` texts are elided
    around where those differ; what collides after that gets `` (2)``, `` (3)``... in
    entry order (the first keeps its label), so adding entries renames no earlier one.
    """
    entries = [
        (key, [level for level in levels if level] or ["?"], full) for key, levels, full in entries
    ]
    order = [key for key, _levels, _full in entries]
    levels = {key: lv for key, lv, _full in entries}
    fulls = {key: full or lv[-1] for key, lv, full in entries}
    depth = dict.fromkeys(order, 0)
    labels = {key: levels[key][0] for key in order}
    moved = True
    while moved:
        moved = False
        for keys in _collisions(labels, order):
            for key in keys:
                if depth[key] + 1 < len(levels[key]):
                    depth[key] += 1
                    labels[key] = levels[key][depth[key]]
                    moved = True
    for keys in _collisions(labels, order):
        distinct = [fulls[key] for key in keys]
        if len(set(distinct)) > 1:
            prefix, suffix = _common_ends(distinct)
            for key in keys:
                full = fulls[key]
                labels[key] = elide_around(full, budget, prefix, len(full) - suffix)
    taken = set(labels.values())
    for keys in _collisions(labels, order):
        for key in keys[1:]:
            number = 2
            while f"{labels[key]} ({number})" in taken:
                number += 1
            labels[key] = f"{labels[key]} ({number})"
            taken.add(labels[key])
    return labels


def _collisions(labels: dict[Hashable, str], order: list[Hashable]) -> list[list[Hashable]]:
    by_label: dict[str, list[Hashable]] = {}
    for key in order:
        by_label.setdefault(labels[key], []).append(key)
    return [keys for keys in by_label.values() if len(keys) > 1]


def _common_ends(texts: list[str]) -> tuple[int, int]:
    """The lengths of the prefix and suffix all ``texts`` share (never overlapping)."""
    shortest = min(len(text) for text in texts)
    prefix = 0
    while prefix < shortest and len({text[prefix] for text in texts}) == 1:
        prefix += 1
    suffix = 0
    while suffix < shortest - prefix and len({text[-1 - suffix] for text in texts}) == 1:
        suffix += 1
    return prefix, suffix


def fit(parts: Sequence[str], budget: int = BUDGET, keep: int = 1) -> str:
    """``parts`` joined by `` · `` in about ``budget`` characters.

    The first part (the origin) and the last ``keep`` parts (what this is) stay; the
    parts between are elided, or folded into one ellipsis when too little room is
    left for them; then the origin is elided, never below a few characters.
    """
    parts = [part for part in parts if part]
    if len(SEP.join(parts)) <= budget:
        return SEP.join(parts)
    if len(parts) == 1:
        return elide_middle(parts[0], budget)
    keep = min(keep, len(parts) - 1)
    head, middle, tail = parts[:1], parts[1 : len(parts) - keep], parts[len(parts) - keep :]
    if middle:
        room = budget - len(SEP.join(head + tail)) - len(SEP) * len(middle)
        shares = _shares([len(part) for part in middle], room)
        cut = [elide_words(part, max(share, 1)) for part, share in zip(middle, shares, strict=True)]
        readable = all(_readable(c, part) for c, part in zip(cut, middle, strict=True))
        middle = cut if readable else [ELLIPSIS]
    rest = len(SEP.join(middle + tail)) + len(SEP)
    head = [elide_middle(head[0], max(budget - rest, _MIN_ROOT))]
    return SEP.join(head + middle + tail)


def _readable(cut: str, part: str) -> bool:
    """Whether ``cut`` still says something of ``part``: its last words, or enough of it."""
    if cut == part:
        return True
    if cut.startswith(ELLIPSIS) and part.endswith(" " + cut[1:]):
        return len(cut) - 1 >= _MIN_WORDS
    return len(cut) - 1 >= _MIN_CHARS


def _shares(lengths: list[int], room: int) -> list[int]:
    """Characters for each part: short parts whole, the rest share what is left equally."""
    shares = [0] * len(lengths)
    left = sorted(range(len(lengths)), key=lambda i: lengths[i])
    while left:
        fair = room // len(left)
        index = left.pop(0)
        shares[index] = min(lengths[index], fair)
        room -= shares[index]
    return shares


def _compress(ops: list[str]) -> list[str]:
    """Consecutive repeats counted: ``[nlmeans, nlmeans, bm3d]`` -> ``[nlmeans×2, bm3d]``."""
    out: list[tuple[str, int]] = []
    for op in ops:
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + 1)
        else:
            out.append((op, 1))
    return [op if count == 1 else f"{op}×{count}" for op, count in out]


def text_of(value: Any, limit: int = 200) -> str:
    """A stored value as short single-line text (project data is untrusted)."""
    text = " ".join(str(value).split())
    return elide_middle(text, limit)


@dataclass
class ProjectNames:
    """The display names of one project's images, runs and groups, read in one pass."""

    images: dict[int, str] = field(default_factory=dict)
    runs: dict[int, str] = field(default_factory=dict)
    groups: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, project: Project, budget: int = BUDGET) -> ProjectNames:
        """The project's names, read once until it changes (``Project.cached``)."""
        return project.cached(("names", budget), lambda: _Namer(project, budget).names())


class _Namer:
    """Builds :class:`ProjectNames`: origins and operations first, then groups, runs and steps."""

    def __init__(self, project: Project, budget: int) -> None:
        self.budget = budget
        self.records = {image.id: image for image in project.images()}
        self.run_records = {run.id: run for run in project.runs()}
        self.methods = {int(row["id"]): row for row in project.methods()}

    def names(self) -> ProjectNames:
        plain = {
            key: self.chain(image) for key, image in self.records.items() if image.kind != "step"
        }
        origins = unique_labels(
            ((key, [self.short(*chain)], SEP.join(chain[0] + chain[1]))
             for key, chain in plain.items()),
            self.budget,
        )  # fmt: skip
        groups = self.group_parts(origins)
        group_labels = unique_labels(
            ((group, [fit(level, self.budget) for level in levels], "")
             for group, levels in groups.items()),
            self.budget,
        )  # fmt: skip
        runs, run_parts = self.run_names(groups, group_labels)
        prefixes = self.step_prefixes(run_parts)
        entries = []
        for key, image in self.records.items():
            if image.kind != "step":
                entries.append((key, [origins[key]], SEP.join(plain[key][0] + plain[key][1])))
                continue
            step = f"step {image.step_index}" if image.step_index is not None else "step"
            prefix = prefixes.get(image.run_id) if image.run_id is not None else None
            label = SEP.join([prefix or elide_middle(stem(image.name), _OP_BUDGET), step])
            entries.append((key, [label], ""))
        images = unique_labels(entries, self.budget)
        return ProjectNames(images, runs, group_labels)

    def step_prefixes(self, run_parts: dict[int, list[str]]) -> dict[int, str]:
        """What a run's steps are called before `` · step N``: unique per run, so that the
        steps of one run read alike and no two runs' steps can be confused."""
        room = self.budget - len(f"{SEP}step 99")
        return unique_labels(
            ((run_id, [fit(parts, room), fit(parts, room + 8)], SEP.join(parts))
             for run_id, parts in run_parts.items()),
            room + 8,
        )  # fmt: skip

    # -- images ----------------------------------------------------------------------

    def chain(self, image: ImageRecord) -> tuple[list[str], list[str]]:
        """``([origin], ops)``: the origin's stem and each operation from it to ``image``."""
        ops: list[str] = []
        seen: set[int] = set()
        current = image
        while current.kind != "imported" and len(seen) < _MAX_DEPTH:
            seen.add(current.id)
            parent = self.records.get(current.parent_id) if current.parent_id else None
            if parent is None or parent.id in seen:
                break
            ops.append(self.operation(current, parent))
            current = parent
        return [stem(current.name)], _compress(ops[::-1])

    def short(self, origin: list[str], ops: list[str]) -> str:
        return fit(origin + [elide_middle(op, _OP_BUDGET) for op in ops], self.budget)

    def operation(self, image: ImageRecord, parent: ImageRecord | None) -> str:
        """What made ``image`` from its parent, in a word or two."""
        meta = image.meta if isinstance(image.meta, dict) else {}
        if image.kind == "degraded":
            return degrade_label(image, parent)
        if image.kind in ("restored", "method_output"):
            label = self.method_name(image.method_id) or text_of(meta.get("method", image.kind), 40)
            repeat = _REPEAT.search(image.name)
            return f"{label} #{repeat.group(1)}" if repeat else label
        if image.kind == "derived" and meta.get("role") == "draft":
            index = meta.get("index")
            return f"draft {index + 1}" if isinstance(index, int) else "draft"
        return text_of(image.kind, 20)

    def method_name(self, method_id: int | None) -> str:
        return method_label(self.methods, method_id)

    # -- groups and runs -------------------------------------------------------------

    def group_parts(self, images: dict[int, str]) -> dict[str, list[list[str]]]:
        """Each group's name levels, shortest first: its input image, then with its editor,
        its schedule, or the part of its own name no other group shares."""
        first_runs: dict[str, RunRecord] = {}
        for run in self.run_records.values():
            if run.group_name:
                first_runs.setdefault(run.group_name, run)
        tails = _distinct_tails(list(first_runs))
        out = {}
        for group, run in first_runs.items():
            params = run.params if isinstance(run.params, dict) else {}
            image_id = params.get("input_image_id")
            label = images.get(image_id) if isinstance(image_id, int) else None
            origin = label.split(SEP) if label else [elide_middle(stem(group), _OP_BUDGET)]
            editor = text_of(params.get("editor") or self.method_name(run.method_id) or "", 24)
            schedule = text_of(params.get("schedule") or "", 16)
            out[group] = [origin, [*origin, editor], [*origin, schedule], [*origin, tails[group]]]
        return out

    def run_names(
        self, groups: dict[str, list[list[str]]], labels: dict[str, str]
    ) -> tuple[dict[int, str], dict[int, list[str]]]:
        """Labels, and the parts steps build on: ``<group> · run N``, or ``<method> · <kind>``."""
        numbers: dict[str, int] = {}
        entries, parts = [], {}
        for run in self.run_records.values():
            if run.group_name and run.group_name in groups:
                numbers[run.group_name] = numbers.get(run.group_name, 0) + 1
                match = _RUN_NUMBER.search(run.name)
                number = int(match.group(1)) if match else numbers[run.group_name]
                level = next(
                    (lv for lv in groups[run.group_name] if fit(lv) == labels[run.group_name]),
                    [labels[run.group_name]],  # a suffixed label: as it stands
                )
                parts[run.id] = [*level, f"run {number}"]
                entries.append((run.id, [fit(parts[run.id], self.budget)], SEP.join(parts[run.id])))
                continue
            method = self.method_name(run.method_id) or text_of(run.name, 40)
            verb = "import" if run.name.startswith("import ") else run.kind
            parts[run.id] = [elide_middle(method, _OP_BUDGET), verb]
            levels = [fit(parts[run.id]), fit([method, short_time(run.created_at)])]
            entries.append((run.id, levels, ""))
        return unique_labels(entries, self.budget), parts


def _distinct_tails(names: list[str]) -> dict[str, str]:
    """Each name's end from where it stops sharing a prefix with the others (whole words)."""
    tails = {}
    for name in names:
        others = [other for other in names if other != name]
        shared = max((_common_ends([name, other])[0] for other in others), default=0)
        start = max(
            name.rfind("-", 0, shared), name.rfind("_", 0, shared), name.rfind(" ", 0, shared)
        )
        if len(name) - start <= 3:  # "1" says little: keep the word before it too
            start = max(
                name.rfind("-", 0, start), name.rfind("_", 0, start), 0 if start > 0 else -1
            )
        tails[name] = elide_middle(name[start + 1 :] or name, _OP_BUDGET)
    return tails


def degrade_label(image: ImageRecord, parent: ImageRecord | None) -> str:
    """The recipe that degraded ``image`` in a few words (``gaussian noise``, ``haze + jpeg``)."""
    name = image.name
    if parent is not None and name.startswith(parent.name):
        rest = name[len(parent.name) :].strip()
        if rest.startswith("(") and rest.endswith(")") and len(rest) > 2:
            return text_of(rest[1:-1], 40)
    meta = image.meta if isinstance(image.meta, dict) else {}
    recipe = meta.get("recipe")
    if isinstance(recipe, dict):
        if recipe.get("name"):
            return text_of(recipe["name"], 40)
        steps = recipe.get("steps")
        if isinstance(steps, list) and steps:
            kinds = [s.get("kind", "?") for s in steps if isinstance(s, dict)]
            return text_of(" + ".join(str(kind) for kind in kinds), 40)
        if recipe.get("op"):
            return text_of(str(recipe["op"]).replace("_", " "), 40)
    return "degraded"


def method_label(methods: dict[int, dict[str, Any]], method_id: int | None) -> str:
    """The stored name of method ``method_id`` (empty when unknown)."""
    row = methods.get(method_id) if method_id is not None else None
    return text_of(row["name"], 40) if row else ""


def short_time(stamp: str) -> str:
    """``2026-12-01T15:20:41.363+00:00`` -> ``12-01 15:20``."""
    match = re.match(r"\d{4}-(\d\d-\d\d)[T ](\d\d:\d\d)", stamp or "")
    return f"{match.group(1)} {match.group(2)}" if match else text_of(stamp, 16)


def display_names(project: Project) -> dict[int, str]:
    """Every image's short, unique display name, by image id."""
    return ProjectNames.read(project).images


def run_display_name(project: Project, run: RunRecord | int) -> str:
    """A run's short, unique display name (reads the project: batch callers use ProjectNames)."""
    run_id = run if isinstance(run, int) else run.id
    return ProjectNames.read(project).runs.get(run_id, f"run {run_id}")


def group_display_name(project: Project, group: str) -> str:
    """A run group's short, unique display name (its raw name when no run holds it)."""
    return ProjectNames.read(project).groups.get(group, elide_middle(group, BUDGET))


def provenance_text(project: Project, image: ImageRecord, names: ProjectNames | None = None) -> str:
    """Where ``image`` came from, one line per generation (see :mod:`core.provenance`)."""
    from core.provenance import provenance_text as explain  # it builds on these names

    return explain(project, image, names)
