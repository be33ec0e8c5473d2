"""The prompt library: shipped prompt sets (``resources/prompts/*.json``) plus a project's own.

Shipped sets carry their citation, and each prompt its ``source`` (paper and figure or
table) and whether it is ``verbatim`` (the paper's text character for character) or
IRIS's own. A prompt's ``role`` is ``edit`` (sent to an editor with an image) or
``judge`` (a judge's instruction, a template with ``{task}`` or ``{reasoning_summary}``);
editors only ever see edit prompts. Benchmark prompts name their ``task`` and
``language`` (RealIR-Bench's are bilingual). User prompts are saved in the project
(``project_meta`` key ``user_prompts``, a JSON list) so they travel with it.
A prompt is referred to by id (``LF3``, ``B100-REPLICA``, ``U1``); anything
that is not a known id is used as the prompt text itself.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from core.errors import IrisError
from resources import resource_path

USER_PROMPTS_KEY = "user_prompts"
EDIT = "edit"
JUDGE = "judge"


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str
    group: str = ""
    library: str = "user"
    citation: str = ""
    verbatim: bool = True
    source: str = ""
    role: str = "edit"
    task: str = ""
    language: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


@lru_cache(maxsize=1)
def shipped_prompts() -> tuple[Prompt, ...]:
    """Every prompt of the shipped libraries, in file order."""
    prompts: list[Prompt] = []
    for path in sorted(Path(resource_path("prompts")).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for item in data["prompts"]:
            prompts.append(
                Prompt(
                    id=item["id"],
                    text=item["text"],
                    group=item.get("group", ""),
                    library=data["library"],
                    citation=data.get("citation", ""),
                    verbatim=bool(item.get("verbatim", data.get("verbatim", True))),
                    source=item.get("source", ""),
                    role=item.get("role", EDIT),
                    task=item.get("task", ""),
                    language=item.get("language", ""),
                )
            )
    return tuple(prompts)


def user_prompts(project) -> list[Prompt]:
    """Prompts saved in ``project`` (a :class:`core.project.Project`)."""
    raw = project.meta().get(USER_PROMPTS_KEY)
    items = json.loads(raw) if raw else []
    return [Prompt(id=i["id"], text=i["text"], group=i.get("group", "User")) for i in items]


def save_user_prompt(project, text: str, prompt_id: str | None = None) -> Prompt:
    """Store ``text`` in the project's library (new id ``U<n>`` unless given); returns it."""
    text = text.strip()
    if not text:
        raise IrisError("a prompt cannot be empty")
    existing = user_prompts(project)
    if prompt_id is None:
        numbers = [int(p.id[1:]) for p in existing if p.id[1:].isdigit()]
        prompt_id = f"U{max(numbers, default=0) + 1}"
    if any(p.id == prompt_id for p in shipped_prompts()):
        raise IrisError(f"{prompt_id!r} is a shipped prompt id; choose another")
    kept = [p for p in existing if p.id != prompt_id]
    prompt = Prompt(id=prompt_id, text=text, group="User")
    items = [{"id": p.id, "text": p.text, "group": p.group} for p in [*kept, prompt]]
    project.set_meta(USER_PROMPTS_KEY, json.dumps(items))
    return prompt


def all_prompts(project=None, role: str = EDIT) -> list[Prompt]:
    """The edit prompts (or those of ``role``) shipped and saved in ``project``."""
    shipped = [p for p in shipped_prompts() if p.role == role]
    return [*shipped, *(user_prompts(project) if project is not None and role == EDIT else [])]


def resolve_prompt(id_or_text: str, project=None) -> Prompt:
    """The edit prompt with this id, or an ad-hoc prompt whose text is ``id_or_text``."""
    key = id_or_text.strip()
    if not key:
        raise IrisError("an empty prompt was given")
    for prompt in all_prompts(project):
        if prompt.id.lower() == key.lower():
            return prompt
    return Prompt(id="", text=key, group="Ad hoc", library="")


def judge_prompt(prompt_id: str) -> Prompt:
    """The shipped judge prompt ``prompt_id``; an unknown id names the known ones."""
    judges = all_prompts(role=JUDGE)
    for prompt in judges:
        if prompt.id.lower() == prompt_id.strip().lower():
            return prompt
    known = ", ".join(p.id for p in judges)
    raise IrisError(f"unknown judge prompt {prompt_id!r}; known: {known}")


def task_prompt(task: str, language: str = "en") -> Prompt:
    """The benchmark's fixed prompt of ``task`` in ``language`` (RealIR-Bench: en or zh)."""
    for prompt in shipped_prompts():
        if prompt.task == task and prompt.language == language:
            return prompt
    tasks = sorted({p.task for p in shipped_prompts() if p.task})
    raise IrisError(f"no {language!r} prompt for task {task!r}; tasks: {', '.join(tasks)}")
