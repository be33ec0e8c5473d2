"""Orientation is applied exactly once, for every EXIF/TIFF orientation, at 8 and 16 bits.

Expected pixels come from the EXIF specification's description of each value (where
the stored first row and column end up on screen), not from the code under test.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from core.imageio import load_image, read_info

# Stored image: 5 rows x 8 columns, a distinct colour in each corner.
ROWS, COLS = 5, 8
TL, TR, BL, BR = (250, 10, 10), (10, 250, 10), (10, 10, 250), (250, 250, 10)

# Where each stored corner is shown, per orientation (EXIF 2.32, tag 0x0112).
SHOWN_AT = {
    1: {"TL": "TL", "TR": "TR", "BL": "BL", "BR": "BR"},
    2: {"TL": "TR", "TR": "TL", "BL": "BR", "BR": "BL"},  # mirrored left-right
    3: {"TL": "BR", "TR": "BL", "BL": "TR", "BR": "TL"},  # rotated 180
    4: {"TL": "BL", "TR": "BR", "BL": "TL", "BR": "TR"},  # mirrored top-bottom
    5: {"TL": "TL", "TR": "BL", "BL": "TR", "BR": "BR"},  # transposed
    6: {"TL": "TR", "TR": "BR", "BL": "TL", "BR": "BL"},  # shown rotated 90 clockwise
    7: {"TL": "BR", "TR": "TR", "BL": "BL", "BR": "TL"},  # transversed
    8: {"TL": "BL", "TR": "TL", "BL": "BR", "BR": "TR"},  # shown rotated 90 anticlockwise
}


def stored_pixels(top: int) -> np.ndarray:
    scale = top // 255
    image = np.full((ROWS, COLS, 3), 128, np.uint32)
    image[0, 0], image[0, -1], image[-1, 0], image[-1, -1] = TL, TR, BL, BR
    return (image * scale).astype(np.uint16 if top > 255 else np.uint8)


def corner(pixels: np.ndarray, where: str) -> tuple[int, ...]:
    row = 0 if where[0] == "T" else -1
    col = 0 if where[1] == "L" else -1
    return tuple(int(v) for v in np.round(pixels[row, col] * 255))


def tiff_bytes(values: np.ndarray, orientation: int) -> bytes:
    if values.dtype == np.uint16:
        import cv2  # Pillow cannot write 16-bit colour TIFF

        ok, encoded = cv2.imencode(
            ".tiff", np.ascontiguousarray(values[..., ::-1]), [cv2.IMWRITE_TIFF_COMPRESSION, 1]
        )
        assert ok
        return _set_tiff_orientation(encoded.tobytes(), orientation)
    buffer = io.BytesIO()
    Image.fromarray(values).save(buffer, format="TIFF", tiffinfo={0x0112: orientation})
    return buffer.getvalue()


def _set_tiff_orientation(data: bytes, orientation: int) -> bytes:
    """Rewrite a little-endian TIFF with an Orientation tag added to its first IFD (via Pillow's
    tag writer would lose 16 bits, so the IFD is edited by hand)."""
    import struct

    assert data[:4] == b"II*\x00"
    (ifd,) = struct.unpack_from("<I", data, 4)
    (count,) = struct.unpack_from("<H", data, ifd)
    entries = [data[ifd + 2 + 12 * i : ifd + 14 + 12 * i] for i in range(count)]
    (next_ifd,) = struct.unpack_from("<I", data, ifd + 2 + 12 * count)
    assert next_ifd == 0
    entries.append(struct.pack("<HHII", 0x0112, 3, 1, orientation))
    entries.sort(key=lambda e: struct.unpack_from("<H", e)[0])
    new_ifd = len(data) + (len(data) % 2)
    body = data + b"\x00" * (new_ifd - len(data))
    table = struct.pack("<H", len(entries)) + b"".join(entries) + struct.pack("<I", 0)
    return body[:4] + struct.pack("<I", new_ifd) + body[8:] + table


def jpeg_free_png_bytes(values: np.ndarray, orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    Image.fromarray(values).save(buffer, format="PNG", exif=exif.tobytes())
    return buffer.getvalue()


@pytest.mark.parametrize("orientation", range(1, 9))
@pytest.mark.parametrize("top", [255, 65535], ids=["8bit", "16bit"])
def test_tiff_orientation_applied_once(orientation, top):
    data = tiff_bytes(stored_pixels(top), orientation)
    loaded = load_image(data, name="oriented.tif")
    swapped = orientation >= 5
    assert loaded.pixels.shape[:2] == ((COLS, ROWS) if swapped else (ROWS, COLS))
    assert (loaded.info.width, loaded.info.height) == ((ROWS, COLS) if swapped else (COLS, ROWS))
    assert loaded.info.bit_depth == (16 if top > 255 else 8)
    for stored, shown in SHOWN_AT[orientation].items():
        expected = {"TL": TL, "TR": TR, "BL": BL, "BR": BR}[stored]
        assert corner(loaded.pixels, shown) == expected, (stored, shown)
    info = read_info(data, name="oriented.tif")
    assert (info.width, info.height) == (loaded.info.width, loaded.info.height)
    assert info.exif_orientation == orientation


@pytest.mark.parametrize("orientation", range(1, 9))
def test_png_exif_orientation_applied_once(orientation):
    data = jpeg_free_png_bytes(stored_pixels(255), orientation)
    loaded = load_image(data, name="oriented.png")
    for stored, shown in SHOWN_AT[orientation].items():
        expected = {"TL": TL, "TR": TR, "BL": BL, "BR": BR}[stored]
        assert corner(loaded.pixels, shown) == expected, (stored, shown)
    assert read_info(data).exif_orientation == orientation


def png16_with_orientation(values: np.ndarray, orientation: int) -> bytes:
    """A 16-bit colour PNG (written by OpenCV) with an eXIf chunk inserted after IHDR."""
    import struct
    import zlib

    import cv2

    ok, encoded = cv2.imencode(".png", np.ascontiguousarray(values[..., ::-1]))
    assert ok
    data = encoded.tobytes()
    exif = Image.Exif()
    exif[0x0112] = orientation
    payload = exif.tobytes()[6:] if exif.tobytes().startswith(b"Exif") else exif.tobytes()
    chunk = (
        struct.pack(">I", len(payload))
        + b"eXIf"
        + payload
        + struct.pack(">I", zlib.crc32(b"eXIf" + payload))
    )
    ihdr_end = 8 + 25
    return data[:ihdr_end] + chunk + data[ihdr_end:]


@pytest.mark.parametrize("orientation", range(1, 9))
def test_16bit_png_exif_orientation_applied_once(orientation):
    data = png16_with_orientation(stored_pixels(65535), orientation)
    loaded = load_image(data, name="oriented16.png")
    assert loaded.info.bit_depth == 16
    assert loaded.info.exif_orientation == orientation
    for stored, shown in SHOWN_AT[orientation].items():
        expected = {"TL": TL, "TR": TR, "BL": BL, "BR": BR}[stored]
        assert corner(loaded.pixels, shown) == expected, (stored, shown)
