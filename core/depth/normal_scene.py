"""A generated normal map decoded for the Depth view: the vectors, an image of them, the photo.

The view shows what :func:`core.depth.normals.decode_normals` made of the map
(the map re-painted from the decoded vectors, invalid pixels grey), so a
background or a JPEG-damaged patch that is not a normal is seen as such; the
photo beside it is resized to the map, as for depth.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.depth.normals import DEFAULT_FLIPS, NormalDecoding, decode_normals, encode_normals
from core.jobs import check_cancelled, no_progress

INVALID_RGB = (96, 96, 96)


@dataclass
class NormalScene:
    """Decoded normals, their display image (H, W, 3) uint8 and the photo at the map's size."""

    decoding: NormalDecoding
    image: np.ndarray
    photo: np.ndarray | None


def build_normal_scene(
    map_path: str | Path,
    photo_path: str | Path | None = None,
    *,
    flips: tuple[bool, bool, bool] = DEFAULT_FLIPS,
    progress=no_progress,
    cancel=None,
) -> NormalScene:
    """Decode the normal map ``map_path`` (and load the photo) on the caller's thread."""
    from core.depth.codecs import to_uint8_rgb
    from core.depth.unproject import resize_to
    from core.imageio import load_image

    progress(0, 2)
    decoding = decode_normals(load_image(map_path).pixels, flips=flips)
    check_cancelled(cancel)
    image = encode_normals(np.nan_to_num(decoding.normals, nan=0.0), flips=flips)
    image[~decoding.valid] = INVALID_RGB
    height, width = decoding.valid.shape
    photo = None
    if photo_path is not None:
        photo = resize_to(to_uint8_rgb(load_image(photo_path).pixels), width, height)
    progress(2, 2)
    return NormalScene(decoding, image, photo)
