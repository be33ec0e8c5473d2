"""Import iterative chains made elsewhere (Banana100's released runs) as IRIS iterative runs.

A folder whose files follow a layout pattern, by default ``{image}/{run}/{step}.png``,
or a CSV manifest (columns ``image,run,step,path`` and optionally ``thoughts``, paths
relative to the manifest), becomes one run group per ``{image}`` holding one run per
``{run}``, with steps 0..N (step 0 is the input). A text file beside a step with the
same stem (``{step}.txt``) holds that step's thoughts (its reasoning summary).

The runs are stored exactly as ``iris iterate`` stores its own (see
:mod:`core.iterate.runner` and :mod:`core.iterate.chain`): a ``runs`` row of kind
``iterate`` in group ``<image>`` named ``<image>-<run>``, step 0 the imported input,
steps as ``step`` images with their ``results`` rows (thoughts, size, geometry against
the original), so gaps, heatmaps, Friedman and the thoughts judge read them alike.
Every file is read through :mod:`core.imageio` (bounded, allow-listed); the whole plan
is checked (steps contiguous from 0, names free) before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import IrisError
from core.files import FileReadError, decode_text, read_bounded
from core.iterate.schedules import SCHEDULES, Schedule
from core.jobs import ProgressFn, check_cancelled, no_progress
from core.project import ImageKind, MethodKind, Project, ResultStatus, RunKind, RunStatus

DEFAULT_LAYOUT = "{image}/{run}/{step}.png"
FIELDS = ("image", "run", "step")
THOUGHT_BYTES = 1024 * 1024  # a reasoning summary is a few kilobytes
MANIFEST_BYTES = 64 * 1024 * 1024
MAX_STEP = 100_000
MAX_FILES = 1_000_000
NAME = re.compile(r"[^A-Za-z0-9._-]+")


class ChainImportError(IrisError):
    """A folder or manifest that cannot be imported: names the file (and row) and the reason."""


@dataclass
class ChainPlan:
    """One chain to import: its image and run labels and its step files in order."""

    image: str
    run: str
    steps: dict[int, Path] = field(default_factory=dict)
    thoughts: dict[int, Path] = field(default_factory=dict)

    @property
    def group(self) -> str:
        return _clean(self.image)

    @property
    def name(self) -> str:
        return f"{self.group}-{_clean(self.run)}"


@dataclass
class ImportedRun:
    """What was stored for one chain."""

    run: str
    run_id: int
    group: str
    steps: int
    thoughts: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "run": self.run,
            "run_id": self.run_id,
            "group": self.group,
            "steps": self.steps,
            "thoughts": self.thoughts,
        }


def _clean(label: str) -> str:
    return NAME.sub("-", str(label)).strip("-") or "chain"


def layout_regex(layout: str) -> re.Pattern[str]:
    """The pattern as a regex over relative POSIX paths; ``{image}``, ``{run}``, ``{step}``."""
    parts = re.split(r"(\{[a-z]+\})", layout.strip().replace("\\", "/"))
    seen: list[str] = []
    out = []
    for part in parts:
        if part.startswith("{") and part.endswith("}"):
            key = part[1:-1]
            if key not in FIELDS:
                raise ChainImportError(
                    f"layout {layout!r}: unknown field {part}; use {{image}}, {{run}}, {{step}}"
                )
            if key in seen:
                raise ChainImportError(f"layout {layout!r}: {part} appears twice")
            seen.append(key)
            out.append(r"(?P<step>\d+)" if key == "step" else rf"(?P<{key}>[^/]+?)")
        else:
            out.append(re.escape(part))
    if "step" not in seen or "image" not in seen:
        raise ChainImportError(f"layout {layout!r}: needs at least {{image}} and {{step}}")
    return re.compile("".join(out))


def _add(plans: dict, image: str, run: str, step_text: str, path: Path, where: str) -> ChainPlan:
    try:
        step = int(step_text)
    except ValueError:
        raise ChainImportError(f"{where}: step {step_text!r} is not a whole number") from None
    if not 0 <= step <= MAX_STEP:
        raise ChainImportError(f"{where}: step {step} is outside 0..{MAX_STEP}")
    plan = plans.setdefault((image, run), ChainPlan(image, run))
    if step in plan.steps:
        raise ChainImportError(
            f"{where}: step {step} of {image}/{run} appears twice ({plan.steps[step].name})"
        )
    plan.steps[step] = path
    return plan


def _inside(base: Path, name: str, where: str, what: str) -> Path:
    """``name`` resolved against ``base``, refused if it leaves it (``..``, an absolute
    path, a link pointing elsewhere): a manifest or folder brings only its own files."""
    file = (base / name).resolve()
    if not file.is_relative_to(base.resolve()):
        raise ChainImportError(f"{where}: {what} {name!r} is outside {base}")
    return file


def plan_folder(folder: str | Path, layout: str = DEFAULT_LAYOUT) -> list[ChainPlan]:
    """The chains a folder holds under ``layout`` (files that do not match are ignored)."""
    root = Path(folder)
    if not root.is_dir():
        raise ChainImportError(f"{root}: not a folder")
    pattern = layout_regex(layout)
    plans: dict[tuple[str, str], ChainPlan] = {}
    for count, path in enumerate(sorted(p for p in root.rglob("*") if p.is_file())):
        if count >= MAX_FILES:
            raise ChainImportError(f"{root}: more than {MAX_FILES} files")
        relative = path.relative_to(root).as_posix()
        match = pattern.fullmatch(relative)
        if not match:
            continue
        fields = match.groupdict()
        file = _inside(root, relative, str(root), "file")
        plan = _add(plans, fields["image"], fields.get("run") or "r1", fields["step"], file,
                    str(path))  # fmt: skip
        beside = Path(relative).with_suffix(".txt").as_posix()
        if (root / beside).is_file():
            plan.thoughts[int(fields["step"])] = _inside(root, beside, str(root), "thoughts file")
    return _checked(list(plans.values()), str(root), layout)


def plan_manifest(manifest: str | Path) -> list[ChainPlan]:
    """The chains a CSV manifest lists (``image,run,step,path[,thoughts]``)."""
    path = Path(manifest)
    try:
        text = decode_text(read_bounded(path, MANIFEST_BYTES), str(path))
    except FileReadError as exc:
        raise ChainImportError(str(exc)) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("image", "step", "path") if c not in (reader.fieldnames or [])]
    if missing:
        raise ChainImportError(f"{path}: missing column(s) {', '.join(missing)}")
    plans: dict[tuple[str, str], ChainPlan] = {}
    for number, row in enumerate(reader, start=2):
        where = f"{path}, row {number}"
        if not (row.get("image") or "").strip() or not (row.get("path") or "").strip():
            raise ChainImportError(f"{where}: empty image or path")
        file = _inside(path.parent, row["path"].strip(), where, "file")
        if not file.is_file():
            raise ChainImportError(f"{where}: no file {row['path'].strip()!r}")
        plan = _add(plans, row["image"].strip(), (row.get("run") or "r1").strip() or "r1",
                    (row.get("step") or "").strip(), file, where)  # fmt: skip
        thought = (row.get("thoughts") or "").strip()
        if thought:
            thought_file = _inside(path.parent, thought, where, "thoughts file")
            if not thought_file.is_file():
                raise ChainImportError(f"{where}: no thoughts file {thought!r}")
            plan.thoughts[int(row["step"])] = thought_file
    return _checked(list(plans.values()), str(path), "the manifest")


def _checked(plans: list[ChainPlan], source: str, layout: str) -> list[ChainPlan]:
    if not plans:
        raise ChainImportError(f"{source}: no file matches {layout}")
    for plan in plans:
        steps = sorted(plan.steps)
        if steps[0] != 0:
            raise ChainImportError(
                f"{source}: {plan.image}/{plan.run} has no step 0 (the input); first is {steps[0]}"
            )
        missing = sorted(set(range(steps[-1] + 1)) - set(steps))
        if missing:
            raise ChainImportError(
                f"{source}: {plan.image}/{plan.run} misses step(s) "
                f"{', '.join(map(str, missing[:8]))} of 0..{steps[-1]}"
            )
        if len(steps) < 2:
            raise ChainImportError(f"{source}: {plan.image}/{plan.run} has only step 0")
    names = [p.name for p in plans]
    if len(set(names)) != len(names):
        clash = next(n for n in names if names.count(n) > 1)
        raise ChainImportError(f"{source}: two chains would both be named {clash!r}")
    return sorted(plans, key=lambda p: (p.group, p.name))


def _read_image(path: Path):
    from core.imageio import read_image_file, read_info

    try:
        data = read_image_file(path)
        return data, read_info(data, name=str(path))
    except IrisError as exc:
        raise ChainImportError(f"{path}: {exc}") from None


def _read_thoughts(path: Path) -> str:
    try:
        return decode_text(read_bounded(path, THOUGHT_BYTES), str(path)).strip()
    except FileReadError as exc:
        raise ChainImportError(str(exc)) from None


def _shape(width: int, height: int) -> np.ndarray:
    """An array of this size that holds no memory (geometry reads only shapes)."""
    return np.broadcast_to(np.zeros((1, 1, 1), np.uint8), (height, width, 1))


def _geometry(project, input_image, step_image, expected, previous_size) -> dict[str, Any]:
    """:func:`step_geometry` from the sizes; decoded pixels only when the aspect changed."""
    from core.iterate.geometry import step_geometry

    original = _shape(input_image.width, input_image.height)
    found = step_geometry(original, _shape(step_image.width, step_image.height), expected,
                          previous_size)  # fmt: skip
    if found["aspect_change"] is None:
        return found
    return step_geometry(
        project.load_pixels(input_image).pixels,
        project.load_pixels(step_image).pixels,
        expected,
        previous_size,
    )


def import_chains(
    project_dir: str | Path,
    plans: list[ChainPlan],
    *,
    editor: str = "imported",
    schedule: str = "replicate",
    source: str = "",
    on_run: Callable[[ImportedRun], None] | None = None,
    progress: ProgressFn = no_progress,
    cancel: threading.Event | None = None,
) -> list[ImportedRun]:
    """Store ``plans`` as iterative runs (one group per image); returns what was stored."""
    if schedule not in SCHEDULES:
        raise ChainImportError(f"unknown schedule {schedule!r}; known: {', '.join(SCHEDULES)}")
    plan_of = Schedule(name=schedule)
    total = sum(len(p.steps) for p in plans)
    done = 0
    out: list[ImportedRun] = []
    with Project.open(project_dir) as project:
        taken = {r.name for r in project.runs()}
        if clash := [p.name for p in plans if p.name in taken]:
            raise ChainImportError(f"run {clash[0]!r} already exists in the project")
        method_id = project.ensure_method(
            f"imported:{editor}", MethodKind.IMPORTED, meta={"method": "imported-chain"}
        )
        for plan in plans:
            check_cancelled(cancel)
            stored = _import_one(project, plan, plan_of, editor, method_id, source, cancel)
            done += len(plan.steps)
            progress(done, total)
            out.append(stored)
            if on_run is not None:
                on_run(stored)
    return out


def _import_one(project, plan, schedule, editor, method_id, source, cancel) -> ImportedRun:
    steps = sorted(plan.steps)
    data, info = _read_image(plan.steps[0])
    with project.transaction():  # a chain is stored whole or not at all
        original = project.add_image_bytes(
            data, name=f"{plan.image}.{plan.steps[0].suffix.lstrip('.').lower() or 'png'}",
            kind=ImageKind.IMPORTED, info=info, source_path=str(plan.steps[0]),
        )  # fmt: skip
        params = {
            "editor": editor,
            "editor_instance": f"imported:{editor}",
            "editor_params": {},
            **{k: v for k, v in schedule.as_dict().items() if k != "name"},
            "schedule": schedule.name,
            "steps": steps[-1],
            "step_retries": 0,
            "device": "none",
            "input_image_id": original.id,
            "imported_from": source or str(plan.steps[0].parent),
        }
        run = project.create_run(
            plan.name, RunKind.ITERATE, method_id=method_id, params=params,
            group_name=plan.group, status=RunStatus.RUNNING,
        )  # fmt: skip
        project.add_result(
            run.id, status=ResultStatus.OK, step_index=0, input_image_id=original.id,
            output_image_id=original.id, seconds=0.0,
            meta={"width": original.width, "height": original.height, "role": "input"},
        )  # fmt: skip
        previous = original
        thoughts = 0
        for index in steps[1:]:
            check_cancelled(cancel)
            data, info = _read_image(plan.steps[index])
            text = _read_thoughts(plan.thoughts[index]) if index in plan.thoughts else ""
            thoughts += bool(text)
            image = project.add_image_bytes(
                data, name=f"{plan.name} step {index}", kind=ImageKind.STEP, info=info,
                source_path=str(plan.steps[index]), parent_id=previous.id,
                method_id=method_id, run_id=run.id, step_index=index,
            )  # fmt: skip
            geometry = _geometry(project, original, image, schedule.expected(index),
                                 (previous.width, previous.height))  # fmt: skip
            project.add_result(
                run.id, status=ResultStatus.OK, step_index=index, input_image_id=previous.id,
                output_image_id=image.id, seconds=None,
                meta={**geometry, "editor": editor, "thoughts": text, "imported": True,
                      "source": str(plan.steps[index])},
            )  # fmt: skip
            previous = image
        project.set_run_status(run.id, RunStatus.DONE)
    return ImportedRun(run.name, run.id, plan.group, steps[-1], thoughts)
