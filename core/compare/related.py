"""Whether a new comparison shows the same thing as the old one (then its view is kept).

Two sets of images are *related* when their first images (the frames, whose
pixels the zoom and crop are given in) have the same size and the sets share an
image or a source: following ``parent_id`` up, an input, its degraded versions,
its restorers' outputs and every step of runs on it share one top ancestor.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

MAX_DEPTH = 10_000  # a parent chain longer than this is treated as broken (a cycle)


def source_of(image_id: int, parent_of: Mapping[int, int | None]) -> int:
    """The top ancestor of ``image_id`` (itself when it has no known parent)."""
    seen = {image_id}
    current = image_id
    for _ in range(MAX_DEPTH):
        parent = parent_of.get(current)
        if parent is None or parent in seen or parent not in parent_of:
            return current
        seen.add(parent)
        current = parent
    return current


def related(
    old: Iterable[int],
    new: Iterable[int],
    parent_of: Mapping[int, int | None],
    old_frame: tuple[int, int] | None,
    new_frame: tuple[int, int] | None,
) -> bool:
    """Whether ``new`` may keep ``old``'s zoom, position and crop (see the module docstring)."""
    old, new = list(old), list(new)
    if not old or not new or old_frame is None or old_frame != new_frame:
        return False
    if set(old) & set(new):
        return True
    return bool({source_of(i, parent_of) for i in old} & {source_of(i, parent_of) for i in new})
