"""Reading an image's header, and only its header, from a bounded source.

The order is the security boundary: recognise the format from the first bytes
(allow-list), let the one allowed Pillow plugin parse the header, refuse on the
declared size, and only then read the rest of the file, never more bytes than an
image of that size can need. Special files (FIFOs, devices such as
``/dev/zero``) are refused without reading, so nothing blocks or fills memory.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image, UnidentifiedImageError

from core.errors import ImageLoadError
from core.imageio.formats import SIGNATURE_BYTES, ImageFormat, identify

# IRIS checks sizes itself, from the header, against a limit the user can set;
# Pillow's fixed guard would refuse first with a message that names no file.
Image.MAX_IMAGE_PIXELS = None

ImageSource = str | os.PathLike | bytes
# Room for metadata (EXIF, ICC, XMP, text chunks) beyond the largest possible pixel payload.
METADATA_SLACK_BYTES = 16 * 1024 * 1024
# The most bytes one pixel can take in an allowed format: 16-bit RGBA, uncompressed.
MAX_BYTES_PER_PIXEL = 8


def max_file_bytes(width: int, height: int) -> int:
    """The largest file an image of this size can honestly be."""
    return width * height * MAX_BYTES_PER_PIXEL + METADATA_SLACK_BYTES


@dataclass
class Header:
    """An image opened as far as its header: the format, Pillow's lazy image, its stored size."""

    format: ImageFormat
    image: Image.Image
    width: int
    height: int
    head: bytes  # the first SIGNATURE_BYTES of the file


def source_name(source: ImageSource, name: str | None) -> str:
    if name:
        return name
    return "<bytes>" if isinstance(source, bytes | bytearray | memoryview) else str(source)


def open_header(stream: BinaryIO, label: str) -> Header:
    """Identify the format by content and parse its header with that format's plugin only."""
    head = stream.read(SIGNATURE_BYTES)
    if not head:
        raise ImageLoadError(label, "empty", "0 bytes")
    image_format = identify(head, label)
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # damaged metadata: refusals still raise below
            image = Image.open(stream, formats=list(image_format.pillow_formats))
        width, height = _stored_size(image)
    except UnidentifiedImageError as exc:
        raise ImageLoadError(
            label, "corrupt", f"looks like {image_format.name} but its header is unreadable"
        ) from exc
    except (OSError, SyntaxError, ValueError, TypeError, KeyError, struct.error, EOFError) as exc:
        raise ImageLoadError(label, "corrupt", f"{image_format.name} header: {exc}") from exc
    return Header(image_format, image, width, height, head)


def _stored_size(image: Image.Image) -> tuple[int, int]:
    """Width and height as stored, before any orientation (Pillow may report TIFFs rotated)."""
    if image.format == "TIFF":
        width, height = image.tag_v2.get(256), image.tag_v2.get(257)
        if isinstance(width, int) and isinstance(height, int):
            return width, height
    return image.size


def check_pixels(header: Header, limit: int, label: str) -> None:
    """Refuse a non-positive or over-limit size: the header is all that has been read."""
    width, height = header.width, header.height
    if width < 1 or height < 1:
        raise ImageLoadError(label, "corrupt", f"header gives size {width}x{height}")
    pixels = width * height
    if pixels > limit:
        raise ImageLoadError(
            label,
            "too-large",
            f"{width}x{height} = {pixels / 1e6:.1f} MP exceeds the limit of "
            f"{limit / 1e6:.1f} MP (setting 'max pixels' or IRIS_MAX_PIXELS)",
        )


def check_file_size(header: Header, size: int, label: str) -> None:
    """Refuse a file far larger than its declared image can need (padding, appended payloads)."""
    bound = max_file_bytes(header.width, header.height)
    if size > bound:
        raise ImageLoadError(
            label,
            "too-large",
            f"{size} bytes is more than a {header.width}x{header.height} image can need "
            f"({bound} bytes at most)",
        )


def _open_regular_file(path: Path, label: str) -> tuple[BinaryIO, int]:
    """Open ``path`` for reading if it is a regular file; never blocks on a FIFO or device."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        raise ImageLoadError(label, "missing", "no such file") from exc
    except IsADirectoryError as exc:
        raise ImageLoadError(label, "not-an-image", "is a folder") from exc
    except OSError as exc:
        raise ImageLoadError(label, "unreadable", exc.strerror or str(exc)) from exc
    info = os.fstat(fd)
    if stat.S_ISDIR(info.st_mode):
        os.close(fd)
        raise ImageLoadError(label, "not-an-image", "is a folder")
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise ImageLoadError(label, "unreadable", "not a regular file (a pipe, socket or device)")
    if info.st_size == 0:
        os.close(fd)
        raise ImageLoadError(label, "empty", "0 bytes")
    return os.fdopen(fd, "rb"), info.st_size


@contextlib.contextmanager
def opened_header(source: ImageSource, label: str) -> Iterator[Header]:
    """The header of a file or of encoded bytes, open for the ``with`` block; reads no pixels."""
    if isinstance(source, bytes | bytearray | memoryview):
        yield open_header(io.BytesIO(bytes(source)), label)
        return
    stream, _size = _open_regular_file(Path(source), label)
    with stream:
        yield open_header(stream, label)


def read_bytes(source: ImageSource, label: str, max_pixels: int) -> tuple[bytes, Header]:
    """The whole encoded image, read only after its header passed the size checks.

    Returns the bytes and a header opened on them, ready for decoding.
    """
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        header = open_header(io.BytesIO(data), label)
        check_pixels(header, max_pixels, label)
        check_file_size(header, len(data), label)
        return data, header
    stream, size = _open_regular_file(Path(source), label)
    with stream:
        probe = open_header(stream, label)
        check_pixels(probe, max_pixels, label)
        check_file_size(probe, size, label)
        stream.seek(0)
        try:
            data = stream.read(size)
        except OSError as exc:
            raise ImageLoadError(label, "unreadable", exc.strerror or str(exc)) from exc
    return data, open_header(io.BytesIO(data), label)
