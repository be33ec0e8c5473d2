"""Which images go together in the Depth view: a map and its photo share a name key."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.project import ImageRecord

_PAIR_SUFFIX = re.compile(
    r"[_\-. ](\d+|depth|normals?|map|rgb|photo|image|input|output|seg|segmentation|labels?)$",
    re.I,
)


def pair_key(name: str) -> str:
    """``scene_1.png`` and ``scene_0.jpg`` share the key ``scene``."""
    stem = name.rsplit(".", 1)[0]
    return _PAIR_SUFFIX.sub("", stem).lower()


def find_photo(image: ImageRecord, images: list[ImageRecord]) -> ImageRecord | None:
    """Another image whose name pairs with ``image``'s (the first by id), photos first.

    An image whose metadata says it is a depth photo wins over other partners
    (the sample's room has a depth map, a segmentation map and a photo).
    """
    key = pair_key(image.name)
    partners = [o for o in images if o.id != image.id and pair_key(o.name) == key]
    photo_id = (image.meta or {}).get("photo_image_id")
    for other in partners:
        if other.id == photo_id or (other.meta or {}).get("role") == "depth photo":
            return other
    maps = ("depth map", "segmentation map", "normal map")
    plain = [o for o in partners if (o.meta or {}).get("role") not in maps]
    return (plain or partners or [None])[0]
