"""Other readings of an allowed image, through the same checks as :func:`load_image`.

- :func:`load_native`: the stored sample values (uint8, uint16 or float32, one
  or three channels), oriented, for codecs that need the numbers themselves
  (a 16-bit depth PNG in millimetres).
- :func:`load_preview`: a small uint8 RGB preview, decoding JPEG at a reduced
  scale, for browsers and filmstrips.
- :func:`read_exif` and :func:`read_png_text`: metadata, read after the header
  passed the size checks.
"""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

from core.errors import ImageLoadError
from core.imageio.decode import (
    ImageInfo,
    _bit_depth,
    _exif_without_pixels,
    _info,
    _load_pixels,
    _opencv_orients_tiff,
    _orient,
    _pillow_oriented,
    load_image,
    read_checked,
)
from core.imageio.encode import to_uint
from core.imageio.header import ImageSource, opened_header, read_bytes, source_name
from core.imageio.png_check import verify_png_chunks
from core.limits import max_pixels_from_env

EXIF_IFD = 0x8769


@dataclass
class NativeImage:
    """Sample values as stored (oriented), and the header facts."""

    values: np.ndarray
    info: ImageInfo


def load_native(
    source: ImageSource, *, max_pixels: int | None = None, name: str | None = None
) -> NativeImage:
    """Stored sample values: (H, W) for grey, (H, W, 3|4) for colour, in the file's own type."""
    checked = read_checked(source, max_pixels=max_pixels, name=name)
    label, data, info, im = checked.label, checked.data, checked.info, checked.header.image
    if checked.needs_opencv:
        import cv2

        values = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
        if values is None or values.size == 0:
            raise ImageLoadError(label, "corrupt", "the 16-bit decoder could not read the data")
        if values.ndim == 3:
            values = values[..., [2, 1, 0, 3][: values.shape[2]]]
        oriented = info.format == "TIFF" and _opencv_orients_tiff()
    else:
        _load_pixels(im, label)
        values = np.asarray(im)
        oriented = _pillow_oriented(im, info.exif_orientation)
    if not oriented:
        values = _orient(values, info.exif_orientation)
    return NativeImage(np.ascontiguousarray(values), info)


def load_preview(
    source: ImageSource, size: int, *, max_pixels: int | None = None, name: str | None = None
) -> np.ndarray:
    """An RGB uint8 array whose longer side is at most ``size``, orientation applied."""
    label = source_name(source, name)
    limit = max_pixels if max_pixels is not None else max_pixels_from_env()
    data, header = read_bytes(source, label, limit)
    info = _info(header, label, _bit_depth(header))
    im = header.image
    if header.format.name == "JPEG":
        im.draft("RGB", (size, size))  # decodes at 1/2, 1/4 or 1/8 scale
    if info.bit_depth > 8 or header.format.name == "PNG":
        # PNG: the CRC walk and 16-bit handling are load_image's; previews must agree with it.
        rgb = to_uint(load_image(data, max_pixels=limit, name=label).pixels, 8)
    else:
        _load_pixels(im, label)
        rgb = np.asarray(im.convert("RGB"), dtype=np.uint8)
        if not _pillow_oriented(im, info.exif_orientation):
            rgb = _orient(rgb, info.exif_orientation)
    preview = Image.fromarray(np.ascontiguousarray(rgb))
    preview.thumbnail((size, size), Image.Resampling.BILINEAR)
    return np.ascontiguousarray(np.asarray(preview, dtype=np.uint8))


def read_exif(source: ImageSource, *, name: str | None = None) -> dict[int, Any]:
    """EXIF tags of the main image and its Exif sub-IFD, read without decoding pixels."""
    label = source_name(source, name)
    with opened_header(source, label) as header:
        exif = _exif_without_pixels(header.image)
        if not exif:
            return {}
        tags = dict(exif)
        with contextlib.suppress(Exception), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # a damaged sub-IFD leaves the main tags usable
            tags.update(exif.get_ifd(EXIF_IFD))
        return tags


def read_png_text(
    source: ImageSource, key: str, *, max_pixels: int | None = None, name: str | None = None
) -> str | None:
    """The text chunk ``key`` of a PNG (None for other formats or when absent)."""
    label = source_name(source, name)
    limit = max_pixels if max_pixels is not None else max_pixels_from_env()
    data, header = read_bytes(source, label, limit)
    if header.format.name != "PNG":
        return None
    verify_png_chunks(data, label)
    _load_pixels(header.image, label)  # text chunks may follow the image data
    text = header.image.text
    value = text.get(key)
    return str(value) if value is not None else None
