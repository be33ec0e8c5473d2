"""The label taxonomy: groups of labels, shipped as data, overridable per project.

The default lives in ``resources/taxonomy/default.json``. A project may store
its own (same JSON shape) under the ``annotations.taxonomy`` key of
``project_meta``; annotations keep the label *id*, so renaming a title never
orphans existing annotations.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core.errors import IrisError
from resources import resource_path

TAXONOMY_FILE_BYTES = 1024 * 1024

if TYPE_CHECKING:
    from core.project import Project

META_KEY = "annotations.taxonomy"
MAX_LABELS_PER_GROUP = 9  # number keys 1-9 pick a label of the active group


class TaxonomyError(IrisError):
    """A taxonomy file or override is malformed."""


@dataclass(frozen=True)
class Label:
    id: str
    title: str
    group: str


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    labels: tuple[Label, ...]


@dataclass(frozen=True)
class Taxonomy:
    """Ordered groups of labels; ``labels`` flattens them in display order."""

    name: str
    groups: tuple[Group, ...]

    @property
    def labels(self) -> list[Label]:
        return [label for group in self.groups for label in group.labels]

    def label(self, label_id: str) -> Label | None:
        return next((label for label in self.labels if label.id == label_id), None)

    def title(self, label_id: str) -> str:
        found = self.label(label_id)
        return found.title if found else label_id

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": 1,
            "groups": [
                {
                    "id": g.id,
                    "title": g.title,
                    "labels": [{"id": lab.id, "title": lab.title} for lab in g.labels],
                }
                for g in self.groups
            ],
        }

    @classmethod
    def from_dict(cls, data: Any, source: str = "taxonomy") -> Taxonomy:
        """Validate and build; errors name the source and the faulty entry."""
        if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
            raise TaxonomyError(f"{source}: expected an object with a 'groups' list")
        groups, seen = [], set()
        for g_index, group in enumerate(data["groups"]):
            if not isinstance(group, dict) or not group.get("id") or not group.get("labels"):
                raise TaxonomyError(f"{source}: group {g_index} needs an 'id' and 'labels'")
            if len(group["labels"]) > MAX_LABELS_PER_GROUP:
                raise TaxonomyError(
                    f"{source}: group {group['id']!r} has {len(group['labels'])} labels; "
                    f"at most {MAX_LABELS_PER_GROUP} (one per number key)"
                )
            labels = []
            for entry in group["labels"]:
                label_id = str(entry.get("id", "")) if isinstance(entry, dict) else ""
                if not label_id:
                    raise TaxonomyError(f"{source}: a label of group {group['id']!r} has no id")
                if label_id in seen:
                    raise TaxonomyError(f"{source}: label {label_id!r} appears twice")
                seen.add(label_id)
                labels.append(Label(label_id, str(entry.get("title") or label_id), group["id"]))
            groups.append(
                Group(str(group["id"]), str(group.get("title") or group["id"]), tuple(labels))
            )
        if not groups:
            raise TaxonomyError(f"{source}: no groups")
        return cls(str(data.get("name", "custom")), tuple(groups))


@functools.lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    """The shipped taxonomy (read once; :class:`Taxonomy` is immutable)."""
    path = resource_path("taxonomy", "default.json")
    return Taxonomy.from_dict(json.loads(path.read_text()), source=str(path))


def load_taxonomy_file(path: str | Path) -> Taxonomy:
    from core.files import FileReadError, decode_text, read_bounded

    try:
        data = json.loads(decode_text(read_bounded(path, TAXONOMY_FILE_BYTES), str(path)))
    except FileReadError as exc:
        raise TaxonomyError(f"cannot read the taxonomy: {exc}") from exc
    except (json.JSONDecodeError, RecursionError) as exc:
        raise TaxonomyError(f"{path}: cannot read the taxonomy (not valid JSON: {exc})") from exc
    if not isinstance(data, dict):
        raise TaxonomyError(f"{path}: a taxonomy is a JSON object, got {type(data).__name__}")
    return Taxonomy.from_dict(data, source=str(path))


def project_taxonomy(project: Project) -> Taxonomy:
    """The project's own taxonomy if it stored one, else the default."""
    stored = project.meta().get(META_KEY)
    if not stored:
        return default_taxonomy()
    return Taxonomy.from_dict(json.loads(stored), source=f"{project.path} ({META_KEY})")


def set_project_taxonomy(project: Project, taxonomy: Taxonomy | None) -> None:
    """Store ``taxonomy`` in the project; ``None`` goes back to the default."""
    project.set_meta(META_KEY, json.dumps(taxonomy.as_dict()) if taxonomy else "")
