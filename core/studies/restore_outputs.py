"""The outputs of restore runs with the facts a study groups them by.

One :class:`RestoreOutput` per ok result of a ``restore`` run: its run, method,
prompt (library id when the prompt is a library prompt), prompt group (its code,
S/SF/L/LF, as the Tables use it), repeat
index (0-based, the treatment of the stability protocol), input and output
image, and the output's tags (inherited from its input). The stability test,
the case counts and the correlations read them here, so "per prompt" means
the same thing in each.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.errors import IrisError

if TYPE_CHECKING:
    from core.project import Project

NONE = "(none)"
FIXED_KEYS = ("prompt", "prompt_group", "method", "run")
MAX_PROMPT_LABEL = 40


@dataclass(frozen=True)
class RestoreOutput:
    run: str
    run_id: int
    method: str
    prompt: str
    prompt_group: str
    repeat: int
    input_id: int
    output_id: int
    tags: dict[str, str] = field(default_factory=dict)

    def key(self, name: str) -> str:
        """The value of grouping key ``name`` (a fixed key or a tag key; ``(none)`` if unset)."""
        if name in FIXED_KEYS:
            return str(getattr(self, name))
        return self.tags.get(name, NONE)


def _prompt_label(project: Project, text: object, cache: dict[str, tuple[str, str]]):
    """(prompt id or shortened text, its library group) of a prompt as a run stored it."""
    from core.prompts import resolve_prompt
    from core.studies.facts import group_code

    key = str(text or "").strip()
    if not key:
        return NONE, NONE
    if key not in cache:
        prompt = resolve_prompt(key, project)
        if prompt.id:
            cache[key] = (prompt.id, group_code(prompt.group) if prompt.group else NONE)
        else:
            short = key if len(key) <= MAX_PROMPT_LABEL else key[: MAX_PROMPT_LABEL - 3] + "..."
            cache[key] = (short, NONE)
    return cache[key]


def restore_outputs(project: Project, runs: Iterable[str] | None = None) -> list[RestoreOutput]:
    """Every ok output of the project's restore runs (or of the named runs), in run order."""
    all_runs = [run for run in project.runs() if run.kind == "restore"]
    if runs is not None:
        wanted = list(dict.fromkeys(runs))
        known = {run.name for run in all_runs}
        unknown = [name for name in wanted if name not in known]
        if unknown:
            raise IrisError(
                f"no restore run {unknown[0]!r}; restore runs: {', '.join(sorted(known)) or '(none)'}"
            )
        all_runs = [run for run in all_runs if run.name in wanted]
    methods = {m["id"]: m["name"] for m in project.methods()}
    prompts: dict[str, tuple[str, str]] = {}
    rows: list[tuple] = []
    for run in all_runs:
        run_params = run.params.get("params") or {}
        for result in project.results(run.id):
            if result.status != "ok" or not result.output_image_id:
                continue
            meta = result.meta or {}
            prompt_text = meta.get("prompt_id") or run_params.get("prompt")
            repeat = meta.get("repeat", 0)
            repeat = repeat if isinstance(repeat, int) and not isinstance(repeat, bool) else 0
            rows.append((run, result, prompt_text, repeat))
    tags = project.tags_for([r[1].output_image_id for r in rows]) if rows else {}
    out = []
    for run, result, prompt_text, repeat in rows:
        prompt, group = _prompt_label(project, prompt_text, prompts)
        out.append(
            RestoreOutput(
                run=run.name,
                run_id=run.id,
                method=methods.get(run.method_id, NONE),
                prompt=prompt,
                prompt_group=group,
                repeat=repeat,
                input_id=int(result.input_image_id or result.output_image_id),
                output_id=int(result.output_image_id),
                tags=tags.get(result.output_image_id, {}),
            )
        )
    return out


def check_group_key(project: Project, name: str) -> str:
    """``name`` if it is a fixed key or a tag key in use, else IrisError listing the keys."""
    if name in FIXED_KEYS or name in project.tag_keys():
        return name
    known = [*FIXED_KEYS, *project.tag_keys()]
    raise IrisError(f"cannot group by {name!r}; keys: {', '.join(known)}")
