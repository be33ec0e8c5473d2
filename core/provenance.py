"""The provenance of an image as text: how each generation was made, from its origin on.

Shown in the browser's tooltips and the Images view's facts, beside the short
display names of :mod:`core.naming` (which this text uses to name each generation).
The image's study tags (its own and those inherited from its input) close the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.naming import (
    ProjectNames,
    degrade_label,
    method_label,
    short_time,
    stem,
    text_of,
)

if TYPE_CHECKING:
    from core.project import ImageRecord, Project, RunRecord

_MAX_DEPTH = 10_000  # generations walked at most (a damaged project may hold a cycle)


@dataclass(frozen=True)
class Provenance:
    """A project's images, runs, methods and display names, read once to explain many images."""

    images: dict[int, ImageRecord]
    runs: dict[int, RunRecord]
    methods: dict[int, dict[str, Any]]
    names: ProjectNames
    tags: dict[int, dict[str, str]] = field(default_factory=dict)  # image id -> shown tags

    @classmethod
    def read(cls, project: Project, names: ProjectNames | None = None) -> Provenance:
        """The whole project's story; without ``names``, read once until the project changes."""
        if names is None:
            return project.cached("provenance", lambda: cls._read(project, None))
        return cls._read(project, names)

    @classmethod
    def _read(cls, project: Project, names: ProjectNames | None) -> Provenance:
        return cls(
            {image.id: image for image in project.images()},
            {run.id: run for run in project.runs()},
            {int(row["id"]): row for row in project.methods()},
            names or ProjectNames.read(project),
            project.tags_for(None),
        )

    def text(self, image: ImageRecord | int) -> str:
        """Where ``image`` came from, one line per generation, its origin first.

        ``fabric: imported from /data/fabric.png``, ``fabric · noise: degraded from
        fabric with gaussian_noise (sigma_255 20), seed 11``, ``...: restored from ... by
        nlmeans with h 10``, ``...: step 7 of run ... in group ...``; earlier steps of the
        same run fold into one line. The last line is the name the store holds.
        """
        image = self.images[image] if isinstance(image, int) else image
        lines: list[str] = []
        seen: set[int] = set()
        current: ImageRecord | None = image
        folded = 0
        while current is not None and current.id not in seen and len(seen) < _MAX_DEPTH:
            seen.add(current.id)
            parent = self.images.get(current.parent_id) if current.parent_id else None
            same_run = current.kind == "step" and current.run_id == image.run_id
            if current is not image and same_run:
                folded += 1
            else:
                if folded:
                    lines.append(_folded(folded))
                    folded = 0
                lines.append(_generation(self, current, parent))
            if current.parent_id is not None and parent is None:
                lines.append(f"image #{current.parent_id}: no longer in the project")
            current = parent
        if folded:
            lines.append(_folded(folded))
        lines.reverse()
        lines.append(f"stored as: {text_of(image.name, 200)}")
        if tags := self.tags.get(image.id):
            lines.append(f"tags: {tags_text(tags)}")
        return "\n".join(lines)


def tags_text(tags: dict[str, str], limit: int = 400) -> str:
    """``degradation=blur, scene=text``: an image's tags, sorted by key, bounded in length."""
    return text_of(", ".join(f"{key}={value}" for key, value in sorted(tags.items())), limit)


def provenance_text(project: Project, image: ImageRecord, names: ProjectNames | None = None) -> str:
    """:meth:`Provenance.text` for one image (reads the project; many images: use Provenance)."""
    return Provenance.read(project, names).text(image)


def _folded(count: int) -> str:
    return f"(then {count} earlier step{'s' if count > 1 else ''} of the same run)"


def _params_text(params: Any) -> str:
    if not isinstance(params, dict) or not params:
        return ""
    return text_of(", ".join(f"{key} {value}" for key, value in params.items()), 160)


def _generation(lookups: Provenance, image: ImageRecord, parent: ImageRecord | None) -> str:
    """One line: how ``image`` was made from ``parent``."""
    label = lookups.names.images.get(image.id, stem(image.name))
    source = lookups.names.images.get(parent.id, stem(parent.name)) if parent is not None else ""
    meta = image.meta if isinstance(image.meta, dict) else {}
    when = f" ({short_time(image.created_at)})" if image.created_at else ""
    if image.kind == "imported" or parent is None and image.kind != "step":
        where = f" from {text_of(image.source_path, 200)}" if image.source_path else ""
        verb = "imported" if image.kind == "imported" else f"{image.kind}, imported"
        return f"{label}: {verb}{where}{when}"
    if image.kind == "degraded":
        recipe = meta.get("recipe")
        steps = recipe.get("steps") if isinstance(recipe, dict) else None
        if isinstance(steps, list):
            how = " + ".join(
                f"{s.get('kind')} {s.get('severity', '')} {_params_text(s.get('params'))}".strip()
                for s in steps
                if isinstance(s, dict)
            )
        elif isinstance(recipe, dict):
            rest = {k: v for k, v in recipe.items() if k not in ("op", "seed")}
            how = f"{recipe.get('op', '?')} ({_params_text(rest)})" if rest else recipe.get("op")
        else:
            how = degrade_label(image, parent)
        seed = meta.get("seed", recipe.get("seed") if isinstance(recipe, dict) else None)
        seeded = f", seed {text_of(seed, 24)}" if seed is not None else ""
        return f"{label}: degraded from {source} with {text_of(how, 200)}{seeded}{when}"
    if image.kind in ("restored", "method_output"):
        method = method_label(lookups.methods, image.method_id) or text_of(
            meta.get("method", "?"), 60
        )
        params = _params_text(meta.get("params"))
        how = f" with {params}" if params else ""
        if image.kind == "method_output":
            where = (
                f", imported from {text_of(image.source_path, 200)}" if image.source_path else ""
            )
            return f"{label}: output of {method} for {source}{where}{when}"
        return f"{label}: restored from {source} by {method}{how}{when}"
    if image.kind == "step":
        run = lookups.runs.get(image.run_id) if image.run_id is not None else None
        if run is None:
            return f"{label}: step {image.step_index} of a run no longer in the project"
        params = run.params if isinstance(run.params, dict) else {}
        group = f" in group {text_of(run.group_name, 80)}" if run.group_name else ""
        editor = text_of(params.get("editor", ""), 60)
        prompt = meta.get("prompt")
        said = f"; prompt: {text_of(prompt, 120)}" if prompt else ""
        return (
            f"{label}: step {image.step_index} of run {text_of(run.name, 80)}{group},"
            f" {editor} from {source}{said}"
        )
    role = text_of(meta.get("role", image.kind), 40)
    return f"{label}: {role} of {source}{when}"
