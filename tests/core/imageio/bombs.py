"""Hostile image files made on the fly: decompression bombs and mislabelled formats."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path


def _chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        struct.pack(">I", len(payload))
        + kind
        + payload
        + struct.pack(">I", zlib.crc32(kind + payload))
    )


def png_bomb(path: Path, width: int, height: int, *, rows: int | None = None) -> Path:
    """A valid 8-bit grey PNG of ``width`` x ``height`` zeros, compressed to a few MB.

    ``rows`` limits the image data written (a declared size with less data), which keeps
    a test's file small while the header still declares the full size.
    """
    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    parts = []
    for _ in range(height if rows is None else rows):
        parts.append(compressor.compress(row))
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )
    path.write_bytes(data)
    return path


EPS_LOOP = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n{ } loop\nshowpage\n"
