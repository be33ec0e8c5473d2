"""Header-first reading of raw depth files (``.npy``, OpenEXR): size checked before any sample.

A 100-byte ``.npy`` can declare a terabyte array and an EXR any data window;
both are refused from their headers, against the pixel limit and against the
file's real size, before NumPy or OpenCV allocates anything.
"""

from __future__ import annotations

import os
import stat
import struct
from pathlib import Path

import numpy as np

from core.errors import IrisError
from core.files import FileReadError, read_bounded
from core.limits import max_pixels_from_env

EXR_MAGIC = b"v/1\x01"
_EXR_HEADER_LIMIT = 1024 * 1024
# Depth needs numbers: booleans, integers and floats; never objects, strings or records.
_NUMERIC_KINDS = "biuf"


def _check_pixels(path: str | Path, width: int, height: int, limit: int) -> None:
    if width < 1 or height < 1:
        raise IrisError(f"{path}: corrupt header (size {width}x{height})")
    if width * height > limit:
        raise IrisError(
            f"{path}: too-large ({width}x{height} = {width * height / 1e6:.1f} MP exceeds the "
            f"limit of {limit / 1e6:.1f} MP)"
        )


def _regular_file(path: Path):
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise IrisError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise IrisError(f"{path}: not a regular file")
    return os.fdopen(fd, "rb")


def load_npy(path: str | Path, *, max_pixels: int | None = None) -> np.ndarray:
    """A numeric ``.npy`` array of 2 or 3 dimensions, never pickled, refused from its header."""
    limit = max_pixels if max_pixels is not None else max_pixels_from_env()
    path = Path(path)
    with _regular_file(path) as handle:
        try:
            version = np.lib.format.read_magic(handle)
            reader = (
                np.lib.format.read_array_header_1_0
                if version == (1, 0)
                else np.lib.format.read_array_header_2_0
            )
            shape, fortran, dtype = reader(handle)
        except (ValueError, OSError, SyntaxError, struct.error) as exc:
            raise IrisError(f"{path}: not a .npy file ({exc})") from exc
        if dtype.kind not in _NUMERIC_KINDS or dtype.hasobject:
            raise IrisError(f"{path}: .npy holds {dtype}, not numbers")
        if len(shape) not in (2, 3) or (len(shape) == 3 and not 1 <= shape[2] <= 4):
            raise IrisError(f"{path}: .npy depth must be (H, W) or (H, W, C<=4), got {shape}")
        _check_pixels(path, int(shape[1]), int(shape[0]), limit)
        count = int(np.prod(shape))
        remaining = os.fstat(handle.fileno()).st_size - handle.tell()
        if remaining != count * dtype.itemsize:
            raise IrisError(
                f"{path}: corrupt .npy ({remaining} data bytes for shape {shape} of {dtype})"
            )
        array = np.fromfile(handle, dtype=dtype, count=count)
    return array.reshape(shape, order="F" if fortran else "C")


def exr_size(data: bytes, path: str | Path) -> tuple[int, int]:
    """Width and height from an OpenEXR header's ``dataWindow`` attribute."""
    if not data.startswith(EXR_MAGIC):
        raise IrisError(f"{path}: not an OpenEXR file")
    pos = 8
    while pos < len(data):
        end = data.find(b"\x00", pos)
        if end < 0:
            break
        name = data[pos:end]
        if not name:
            break
        type_end = data.find(b"\x00", end + 1)
        if type_end < 0 or type_end + 4 > len(data):
            break
        (size,) = struct.unpack_from("<i", data, type_end + 1)
        value_at = type_end + 5
        if size < 0 or value_at + size > len(data):
            break
        if name == b"dataWindow" and size == 16:
            xmin, ymin, xmax, ymax = struct.unpack_from("<4i", data, value_at)
            return xmax - xmin + 1, ymax - ymin + 1
        pos = value_at + size
    raise IrisError(f"{path}: corrupt OpenEXR header (no dataWindow)")


def read_exr_bytes(path: str | Path, *, max_pixels: int | None = None) -> bytes:
    """The bytes of an EXR whose declared size passed the limits (header read first)."""
    limit = max_pixels if max_pixels is not None else max_pixels_from_env()
    path = Path(path)
    with _regular_file(path) as handle:
        head = handle.read(_EXR_HEADER_LIMIT)
    width, height = exr_size(head, path)
    _check_pixels(path, width, height, limit)
    try:  # at most 4 float32 channels a pixel, plus offset tables and metadata
        return read_bounded(path, width * height * 16 + 16 * 1024 * 1024)
    except FileReadError as exc:
        raise IrisError(str(exc)) from exc
