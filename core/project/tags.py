"""Study tags on images: ``key=value`` pairs (scene, degradation, dataset, subject...).

A part of :class:`core.project.Project` (a mixin) writing through its private connection.
An image has at most one value per key. Outputs inherit their input's tags: the tags
an image *shows* are its own over those of its parents (``parent_id`` chain), nearest
first, so a restored image of a ``scene=text`` input is ``scene=text`` unless it says
otherwise. Inheritance is resolved when read, so tagging an input later reaches every
output already made from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from core.clock import now
from core.errors import IrisError

KEY_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,63}")
MAX_VALUE_LENGTH = 256
_MAX_DEPTH = 10_000  # generations followed at most (a 100-step edit chain is 100; a damaged
# project may hold a cycle)
_CHAIN_LIMIT = 200  # more images than this: resolve the whole tree at once

_CHAIN = """
WITH RECURSIVE chain(start, id, depth) AS (
    SELECT id, id, 0 FROM images {where}
    UNION ALL
    SELECT chain.start, images.parent_id, chain.depth + 1
    FROM chain JOIN images ON images.id = chain.id
    WHERE images.parent_id IS NOT NULL AND chain.depth < {depth}
)
SELECT chain.start AS image_id, t.key AS key, t.value AS value, chain.depth AS depth
FROM chain JOIN image_tags t ON t.image_id = chain.id
ORDER BY chain.start, t.key, chain.depth DESC
"""


class TagError(IrisError):
    """A tag that cannot be stored: the message names the tag and the rule it breaks."""


def check_tag(key: str, value: str) -> tuple[str, str]:
    """The tag as stored (stripped), or :class:`TagError` naming what is wrong."""
    key, value = str(key).strip(), str(value).strip()
    if not KEY_PATTERN.fullmatch(key):
        raise TagError(
            f"tag key {key!r}: use letters, digits, '_', '.' or '-', starting with a letter "
            "or '_' (at most 64 characters)"
        )
    if not value:
        raise TagError(f"tag {key}: empty value")
    if len(value) > MAX_VALUE_LENGTH:
        raise TagError(f"tag {key}: value longer than {MAX_VALUE_LENGTH} characters")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise TagError(f"tag {key}: value contains a control character")
    return key, value


def parse_tag(text: str) -> tuple[str, str]:
    """``"scene=text"`` -> ``("scene", "text")``, checked."""
    if "=" not in text:
        raise TagError(f"tag {text!r}: write it as key=value")
    key, value = text.split("=", 1)
    return check_tag(key, value)


class TagStore:
    """Set, remove and read study tags; read them with inheritance from inputs."""

    def set_tags(self, image_ids: Iterable[int], tags: Mapping[str, str]) -> int:
        """Give every image these tags (replacing a key's old value); returns rows written."""
        checked = [check_tag(key, value) for key, value in tags.items()]
        ids = [int(image_id) for image_id in image_ids]
        stamp = now()
        with self.transaction():
            for image_id in ids:
                self.image(image_id)  # a missing image is one clear ProjectError
                for key, value in checked:
                    self._db.execute(
                        "INSERT INTO image_tags(image_id, key, value, created_at) "
                        "VALUES (?, ?, ?, ?) ON CONFLICT(image_id, key) DO UPDATE SET "
                        "value = excluded.value, created_at = excluded.created_at",
                        [image_id, key, value, stamp],
                    )
        return len(ids) * len(checked)

    def remove_tags(self, image_ids: Iterable[int], keys: Iterable[str]) -> int:
        """Remove these keys from the images' own tags; returns rows removed."""
        ids, names = [int(i) for i in image_ids], [str(k).strip() for k in keys]
        removed = 0
        with self.transaction():
            for image_id in ids:
                for key in names:
                    cursor = self._db.execute(
                        "DELETE FROM image_tags WHERE image_id = ? AND key = ?", [image_id, key]
                    )
                    removed += cursor.rowcount
        return removed

    def edit_tags(
        self, image_ids: Iterable[int], tags: Mapping[str, str], remove: Iterable[str] = ()
    ) -> int:
        """Set ``tags`` and remove the keys ``remove`` on every image, in one transaction
        (the tag editor's OK); returns the rows written and removed."""
        ids, keys = [int(i) for i in image_ids], list(remove)
        with self.transaction():
            changed = self.set_tags(ids, tags) if tags else 0
            return changed + (self.remove_tags(ids, keys) if keys else 0)

    def own_tags_of(self, image_ids: Iterable[int]) -> dict[int, dict[str, str]]:
        """Each image's own tags (none inherited); images without any are absent."""
        ids = sorted({int(i) for i in image_ids})
        found: dict[int, dict[str, str]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            sql = (
                "SELECT image_id, key, value FROM image_tags "
                f"WHERE image_id IN ({','.join('?' * len(chunk))})"
            )
            for row in self._db.query(sql, chunk):
                found.setdefault(row["image_id"], {})[row["key"]] = row["value"]
        return found

    def own_tags(self, image_id: int) -> dict[str, str]:
        """The tags set on this image itself (none inherited)."""
        return {
            row["key"]: row["value"]
            for row in self._db.query(
                "SELECT key, value FROM image_tags WHERE image_id = ? ORDER BY key", [image_id]
            )
        }

    def tags_for(self, image_ids: Iterable[int] | None = None) -> dict[int, dict[str, str]]:
        """Each image's tags with inheritance (own over parent's); ``None`` means all images.

        Images without any tag are absent from the result.
        """
        if image_ids is None:
            return self._all_inherited(None)
        ids = sorted({int(i) for i in image_ids})
        if not ids:
            return {}
        if len(ids) > _CHAIN_LIMIT:  # many images: one pass over the whole tree is faster
            return self._all_inherited(set(ids))
        sql = _CHAIN.format(where=f"WHERE id IN ({','.join('?' * len(ids))})", depth=_MAX_DEPTH)
        found: dict[int, dict[str, str]] = {}
        for row in self._db.query(sql, ids):
            # rows come farthest ancestor first, so nearer values overwrite farther ones
            found.setdefault(row["image_id"], {})[row["key"]] = row["value"]
        return found

    def _all_inherited(
        self, wanted: set[int] | None, *, shared: bool = False
    ) -> dict[int, dict[str, str]]:
        """Inherited tags of every image (or of ``wanted``), resolved in one pass over the
        ``(id, parent_id)`` pairs: each image's tags are its parent's updated by its own.
        With ``shared`` images may share one dict (read-only use, no copies made)."""
        own: dict[int, dict[str, str]] = {}
        for image_id, key, value in self._db.execute(
            "SELECT image_id, key, value FROM image_tags"
        ).fetchall():
            own.setdefault(image_id, {})[key] = value
        if not own:
            return {}
        parents = dict(self._db.execute("SELECT id, parent_id FROM images").fetchall())
        resolved: dict[int, dict[str, str]] = {}
        for start in parents if wanted is None else wanted:
            if start in resolved or start not in parents:
                continue
            chain, seen, current = [], set(), start
            while current is not None and current not in resolved and len(chain) <= _MAX_DEPTH:
                chain.append(current)
                seen.add(current)
                current = parents.get(current)
                if current in seen:  # a damaged project's cycle
                    current = None
            tags = resolved.get(current, {}) if current is not None else {}
            for image_id in reversed(chain):  # nearest last, so its own tags win
                mine = own.get(image_id)
                tags = {**tags, **mine} if mine else tags
                resolved[image_id] = tags
        keep = parents if wanted is None else wanted
        if shared:
            return {i: t for i, t in resolved.items() if t and i in keep}
        return {i: dict(t) for i, t in resolved.items() if t and i in keep}

    def tag_keys(self) -> list[str]:
        """Every tag key in use, sorted."""
        return [
            row["key"] for row in self._db.query("SELECT DISTINCT key FROM image_tags ORDER BY key")
        ]

    def tag_values(self, key: str) -> list[str]:
        """Every value a key has in this project, sorted."""
        return [
            row["value"]
            for row in self._db.query(
                "SELECT DISTINCT value FROM image_tags WHERE key = ? ORDER BY value", [key]
            )
        ]

    def tag_pairs(self) -> list[tuple[str, str, int]]:
        """Every ``(key, value, images)`` set in this project (own tags), sorted: a filter's menu."""
        return [
            (row["key"], row["value"], int(row["n"]))
            for row in self._db.query(
                "SELECT key, value, count(*) AS n FROM image_tags GROUP BY key, value "
                "ORDER BY key, value"
            )
        ]

    def images_tagged(self, where: Mapping[str, str]) -> list[int]:
        """Ids of the images whose (inherited) tags match every ``key=value`` given."""
        wanted = dict(where)
        return sorted(
            image_id
            for image_id, tags in self._all_inherited(None, shared=True).items()
            if all(tags.get(key) == value for key, value in wanted.items())
        )
