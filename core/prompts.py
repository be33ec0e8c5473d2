"""The prompt library: shipped prompt sets (``resources/prompts/*.json``) plus a project's own.

Shipped sets carry their citation. User prompts are saved in the project
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


@dataclass(frozen=True)
class Prompt:
    id: str
    text: str
    group: str = ""
    library: str = "user"
    citation: str = ""
    verbatim: bool = True

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


def all_prompts(project=None) -> list[Prompt]:
    return [*shipped_prompts(), *(user_prompts(project) if project is not None else [])]


def resolve_prompt(id_or_text: str, project=None) -> Prompt:
    """The prompt with this id, or an ad-hoc prompt whose text is ``id_or_text``."""
    key = id_or_text.strip()
    if not key:
        raise IrisError("an empty prompt was given")
    for prompt in all_prompts(project):
        if prompt.id.lower() == key.lower():
            return prompt
    return Prompt(id="", text=key, group="Ad hoc", library="")
