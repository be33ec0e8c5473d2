"""The image formats IRIS decodes, recognised by their first bytes, never by the file name.

This is an allow-list: PNG, JPEG, WebP, BMP and TIFF. Anything else Pillow could
open (EPS and PostScript, which run Ghostscript; PDF; ICNS; the long tail of
plugins) is refused before a decoder sees it, so a renamed file cannot reach a
decoder IRIS does not name. Each format says which Pillow plugins may open it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.errors import ImageLoadError

# Enough leading bytes for every signature below and for a PNG's IHDR.
SIGNATURE_BYTES = 32


@dataclass(frozen=True)
class ImageFormat:
    """One decodable format: IRIS's name, the Pillow plugin ids allowed, the stored extension."""

    name: str
    pillow_formats: tuple[str, ...]
    extension: str
    matches: Callable[[bytes], bool]


ALLOWED_FORMATS: tuple[ImageFormat, ...] = (
    ImageFormat("PNG", ("PNG",), "png", lambda h: h.startswith(b"\x89PNG\r\n\x1a\n")),
    # A JPEG with a multi-picture segment is opened by Pillow as "MPO"; it is still a JPEG.
    ImageFormat("JPEG", ("JPEG", "MPO"), "jpg", lambda h: h.startswith(b"\xff\xd8\xff")),
    ImageFormat("WEBP", ("WEBP",), "webp", lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP"),
    ImageFormat("BMP", ("BMP",), "bmp", lambda h: h[:2] == b"BM"),
    ImageFormat("TIFF", ("TIFF",), "tif", lambda h: h[:4] in (b"II*\x00", b"MM\x00*")),
)

# Formats IRIS recognises only to say what a refused file is.
_REFUSED_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%!PS", "PostScript/EPS"),
    (b"\xc5\xd0\xd3\xc6", "EPS"),
    (b"%PDF", "PDF"),
    (b"GIF8", "GIF"),
    (b"icns", "ICNS"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"8BPS", "Photoshop PSD"),
    (b"\x93NUMPY", "NumPy array"),
    (b"v/1\x01", "OpenEXR"),
    (b"\x00\x00\x00\x0cjP  ", "JPEG 2000"),
    (b"\xff\x4f\xff\x51", "JPEG 2000"),
    (b"II+\x00", "BigTIFF"),
    (b"MM\x00+", "BigTIFF"),
)

ALLOWED_NAMES = ", ".join(f.name for f in ALLOWED_FORMATS)


def identify(head: bytes, label: str) -> ImageFormat:
    """The allowed format whose signature ``head`` starts with; refuses everything else."""
    for image_format in ALLOWED_FORMATS:
        if image_format.matches(head):
            return image_format
    for signature, what in _REFUSED_SIGNATURES:
        if head.startswith(signature):
            raise ImageLoadError(
                label, "not-an-image", f"{what} is not a format IRIS reads ({ALLOWED_NAMES})"
            )
    raise ImageLoadError(label, "not-an-image", f"not {ALLOWED_NAMES} by its content")


def format_named(name: str) -> ImageFormat:
    """The allowed format called ``name`` (IRIS's or Pillow's id, e.g. ``MPO`` is JPEG)."""
    for image_format in ALLOWED_FORMATS:
        if name == image_format.name or name in image_format.pillow_formats:
            return image_format
    raise KeyError(name)
