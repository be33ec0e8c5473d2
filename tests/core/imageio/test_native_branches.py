"""Native values, previews and metadata: the stored numbers, oriented once, and the refusals.

Pins: :func:`load_native` returns the stored samples in the file's own type and channel order
(8/16-bit grey and colour, RGBA, float with NaN kept) with the orientation applied exactly
once on each decoder path, and refuses damaged data naming the file; :func:`load_preview`
fits the longer side, decodes JPEG at a reduced scale, orients JPEG/PNG/TIFF once and
refuses over-limit or truncated files; :func:`read_exif` merges the Exif sub-IFD and
survives a damaged one; :func:`read_png_text` finds text before and after the image data,
returns None for other formats or absent keys, and refuses a damaged chunk.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib

import numpy as np
import pytest
from PIL import Image, JpegImagePlugin, PngImagePlugin

from core.errors import ImageLoadError
from core.imageio import (
    decode,
    encode_png,
    load_native,
    load_preview,
    read_exif,
    read_png_text,
)
from tests.core.imageio.bombs import png_bomb

# A 5 high x 8 wide image with a distinct colour in each corner.
TL, TR, BL, BR = (250, 10, 10), (10, 250, 10), (10, 10, 250), (250, 250, 10)


def cornered(dtype=np.uint8, scale: int = 1) -> np.ndarray:
    image = np.full((5, 8, 3), 128, np.uint32)
    image[0, 0], image[0, -1], image[-1, 0], image[-1, -1] = TL, TR, BL, BR
    return (image * scale).astype(dtype)


def corners(values: np.ndarray) -> tuple[tuple[int, ...], ...]:
    return tuple(
        tuple(int(v) for v in values[r, c]) for r, c in ((0, 0), (0, -1), (-1, 0), (-1, -1))
    )


# Orientation 6 shows the stored image rotated 90 degrees clockwise (EXIF 2.32):
# the stored top-left is shown top-right, top-right bottom-right, and so on.
ROTATED_6 = (BL, TL, BR, TR)


def saved(image: Image.Image, format_name: str, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format_name, **save)
    return buffer.getvalue()


def orientation_exif(orientation: int) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    return exif.tobytes()


def tiff16(values: np.ndarray, orientation: int = 1) -> bytes:
    import cv2

    ok, encoded = cv2.imencode(
        ".tiff", np.ascontiguousarray(values[..., ::-1]), [cv2.IMWRITE_TIFF_COMPRESSION, 1]
    )
    assert ok
    data = encoded.tobytes()
    return data if orientation == 1 else decode._with_tiff_orientation(data, orientation)


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = struct.pack(">I", zlib.crc32(kind + payload))
    return struct.pack(">I", len(payload)) + kind + payload + crc


def refused(call, reason: str) -> ImageLoadError:
    with pytest.raises(ImageLoadError) as caught:
        call()
    assert caught.value.reason == reason, str(caught.value)
    return caught.value


# load_native


@pytest.mark.parametrize("channels", [3, 4])
def test_native_sixteen_bit_colour_png_keeps_values_in_rgb_order(channels):
    pixels = np.zeros((2, 3, channels), np.float32)
    pixels[..., 0] = 1.0
    pixels[..., 1] = 1000 / 65535
    pixels[..., 2] = 7 / 65535
    if channels == 4:
        pixels[..., 3] = 0.5
    native = load_native(encode_png(pixels, 16), name="native16.png")
    assert native.values.dtype == np.uint16
    assert native.values.shape == (2, 3, channels)
    expected = [65535, 1000, 7, 32768][:channels]
    assert native.values[1, 2].tolist() == expected
    assert native.info.bit_depth == 16 and native.values.flags.c_contiguous


def test_native_sixteen_bit_grey_png_is_the_stored_millimetres():
    depth = np.array([[0, 1, 1234], [40000, 65534, 65535]], np.uint16)
    native = load_native(encode_png(depth / 65535.0, 16))
    assert native.values.dtype == np.uint16
    np.testing.assert_array_equal(native.values, depth)


def test_native_float_tiff_keeps_values_outside_unit_range():
    stored = np.array([[0.25, np.nan], [-3.0, 1e6]], np.float32)
    native = load_native(saved(Image.fromarray(stored, mode="F"), "TIFF"))
    assert native.values.dtype == np.float32
    np.testing.assert_array_equal(native.values, stored)  # NaN compares equal here


def test_native_png_with_exif_orientation_is_rotated_once():
    data = saved(Image.fromarray(cornered()), "PNG", exif=orientation_exif(6))
    native = load_native(data)
    assert native.values.shape == (8, 5, 3) and native.values.dtype == np.uint8
    assert corners(native.values) == ROTATED_6
    assert (native.info.width, native.info.height) == (5, 8)


def test_native_eight_bit_tiff_is_rotated_once_by_pillow():
    data = saved(Image.fromarray(cornered()), "TIFF", tiffinfo={0x0112: 6})
    native = load_native(data)
    assert native.values.shape == (8, 5, 3)
    assert corners(native.values) == ROTATED_6


def test_native_sixteen_bit_tiff_is_rotated_once_through_opencv():
    native = load_native(tiff16(cornered(np.uint16, 257), 6), name="rotated16.tif")
    assert native.values.dtype == np.uint16 and native.values.shape == (8, 5, 3)
    assert corners(native.values) == tuple(tuple(v * 257 for v in c) for c in ROTATED_6)


def test_native_sixteen_bit_data_opencv_cannot_read_is_corrupt():
    ihdr = struct.pack(">IIBBBBB", 4, 3, 16, 2, 0, 0, 0)
    short = zlib.compress(b"\x00" + b"\x12\x34" * 5)  # a part of one of the three rows
    data = (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", short)
        + png_chunk(b"IEND", b"")
    )
    error = refused(lambda: load_native(data, name="short16.png"), "corrupt")
    assert str(error) == "short16.png: corrupt (the 16-bit decoder could not read the data)"


def test_native_truncated_eight_bit_file_is_refused_naming_it(tmp_path):
    data = saved(
        Image.fromarray(np.random.default_rng(0).integers(0, 255, (64, 64, 3), np.uint8)), "BMP"
    )
    path = tmp_path / "cut.bmp"
    path.write_bytes(data[: len(data) // 2])
    error = refused(lambda: load_native(path), "truncated")
    assert error.source == str(path)


def test_native_refuses_over_the_pixel_limit():
    data = encode_png(np.zeros((10, 10), np.float32))
    assert load_native(data, max_pixels=100).values.shape == (10, 10)
    error = refused(lambda: load_native(data, max_pixels=99, name="ten.png"), "too-large")
    assert str(error).startswith("ten.png: too-large (10x10 = ")


# load_preview


def halves(width: int, height: int) -> np.ndarray:
    """Left half red, right half blue."""
    image = np.zeros((height, width, 3), np.uint8)
    image[:, : width // 2] = (220, 20, 20)
    image[:, width // 2 :] = (20, 20, 220)
    return image


def test_jpeg_preview_is_decoded_at_a_reduced_scale(monkeypatch):
    drafts = []
    original = JpegImagePlugin.JpegImageFile.draft

    def spy(self, mode, size):
        result = original(self, mode, size)
        drafts.append((mode, size, self.size))
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    data = saved(Image.fromarray(halves(512, 256)), "JPEG", quality=95)
    preview = load_preview(data, 64)
    assert drafts == [("RGB", (64, 64), (128, 64))]  # libjpeg decoded 1/4 of each side
    assert preview.shape == (32, 64, 3) and preview.dtype == np.uint8
    left, right = preview[:, :28].mean(axis=(0, 1)), preview[:, 36:].mean(axis=(0, 1))
    np.testing.assert_allclose(left, (220, 20, 20), atol=12)
    np.testing.assert_allclose(right, (20, 20, 220), atol=12)


def test_jpeg_preview_applies_the_exif_orientation():
    data = saved(Image.fromarray(halves(64, 32)), "JPEG", quality=95, exif=orientation_exif(6))
    preview = load_preview(data, 16)
    assert preview.shape == (16, 8, 3)  # 64x32 shown as 32x64, fitted into 16
    # Rotated clockwise: the stored left (red) half is shown on top.
    np.testing.assert_allclose(preview[:6].mean(axis=(0, 1)), (220, 20, 20), atol=15)
    np.testing.assert_allclose(preview[-6:].mean(axis=(0, 1)), (20, 20, 220), atol=15)


def test_png_preview_larger_than_the_image_is_the_oriented_image():
    data = saved(Image.fromarray(cornered()), "PNG", exif=orientation_exif(6))
    preview = load_preview(data, 100)
    assert preview.shape == (8, 5, 3)
    assert corners(preview) == ROTATED_6


def test_eight_bit_tiff_preview_is_rotated_once():
    data = saved(Image.fromarray(cornered()), "TIFF", tiffinfo={0x0112: 6})
    preview = load_preview(data, 100)
    assert preview.shape == (8, 5, 3)
    assert corners(preview) == ROTATED_6


def test_unrotated_bmp_preview_is_the_stored_pixels():
    stored = cornered()
    np.testing.assert_array_equal(load_preview(saved(Image.fromarray(stored), "BMP"), 8), stored)


def test_sixteen_bit_tiff_preview_rounds_to_eight_bits_and_orients_once():
    stored = cornered(np.uint16, 257)  # 250 * 257 -> exactly 250 at 8 bits
    stored[2, 3] = (0x7530, 0, 0xFFFF)
    preview = load_preview(tiff16(stored, 6), 100)
    assert preview.dtype == np.uint8 and preview.shape == (8, 5, 3)
    assert corners(preview) == ROTATED_6
    # Stored row 2, column 3 is shown at row 3, column 5 - 1 - 2 after a clockwise turn.
    assert preview[3, 2].tolist() == [round(0x7530 / 65535 * 255), 0, 255]


def test_preview_fits_the_longer_side_of_a_tall_image():
    preview = load_preview(encode_png(np.full((40, 10, 3), 0.5, np.float32)), 20)
    assert preview.shape == (20, 5, 3)
    np.testing.assert_array_equal(preview, np.full((20, 5, 3), 128, np.uint8))


def test_preview_of_a_bomb_is_refused_from_its_header(tmp_path):
    path = png_bomb(tmp_path / "bomb.png", 30000, 30000, rows=10)
    error = refused(lambda: load_preview(path, 64), "too-large")
    assert str(error).startswith(f"{path}: too-large (30000x30000 = ")
    error = refused(
        lambda: load_preview(path, 64, max_pixels=30000**2 - 1, name="b.png"), "too-large"
    )
    assert error.source == "b.png"


def test_preview_of_a_truncated_jpeg_is_refused_naming_it():
    data = saved(
        Image.fromarray(np.random.default_rng(1).integers(0, 255, (64, 64, 3), np.uint8)), "JPEG"
    )
    error = refused(lambda: load_preview(data[: len(data) // 2], 32, name="cut.jpg"), "truncated")
    assert error.source == "cut.jpg"


# read_exif


def exif_block(*entries: tuple[int, int, int, bytes]) -> bytes:
    body = b"".join(struct.pack("<HHI", *entry[:3]) + entry[3].ljust(4, b"\0") for entry in entries)
    return b"Exif\0\0II*\0" + struct.pack("<IH", 8, len(entries)) + body + struct.pack("<I", 0)


def test_read_exif_merges_the_exif_sub_ifd():
    exif = Image.Exif()
    exif[0x010F] = "Maker"
    exif[0x0112] = 3
    exif.get_ifd(0x8769)[0x9003] = "2021:02:03 04:05:06"  # DateTimeOriginal
    data = saved(Image.new("RGB", (4, 4)), "JPEG", exif=exif.tobytes())
    tags = read_exif(data)
    assert tags[0x010F] == "Maker" and tags[0x0112] == 3
    assert tags[0x9003] == "2021:02:03 04:05:06"


def test_read_exif_with_a_sub_ifd_past_the_end_keeps_the_main_tags():
    block = exif_block((0x010F, 2, 4, b"abc\0"), (0x8769, 4, 1, struct.pack("<I", 9999)))
    with warnings.catch_warnings(record=True) as shown:
        warnings.simplefilter("always")
        tags = read_exif(saved(Image.new("RGB", (2, 2)), "JPEG", exif=block))
    assert tags == {0x010F: "abc", 0x8769: 9999}
    assert [str(w.message) for w in shown] == []  # Pillow's "Corrupt EXIF data" stays inside


def test_read_exif_of_files_without_exif_or_with_a_damaged_block_is_empty():
    assert read_exif(saved(Image.new("RGB", (2, 2)), "PNG")) == {}
    damaged = exif_block((0x0112, 3, 1, struct.pack("<H", 6))).replace(b"II*\0", b"II\x8c\0")
    assert read_exif(saved(Image.new("RGB", (2, 2)), "WEBP", exif=damaged)) == {}


def test_read_exif_of_a_tiff_is_its_main_ifd():
    tags = read_exif(saved(Image.new("RGB", (7, 3)), "TIFF", tiffinfo={0x0112: 8}))
    assert (tags[256], tags[257], tags[0x0112]) == (7, 3, 8)


def test_read_exif_refusals_name_the_file(tmp_path):
    missing = tmp_path / "gone.jpg"
    error = refused(lambda: read_exif(missing), "missing")
    assert str(error) == f"{missing}: missing (no such file)"
    error = refused(lambda: read_exif(b"GIF89a" + b"\0" * 40, name="anim.jpg"), "not-an-image")
    assert error.source == "anim.jpg" and "GIF" in error.detail


# read_png_text


def png_with_text_after_image_data(key: str, value: str) -> bytes:
    data = saved(Image.new("L", (3, 2), 9), "PNG")
    iend = data.rindex(b"IEND") - 4
    return data[:iend] + png_chunk(b"tEXt", key.encode() + b"\0" + value.encode()) + data[iend:]


def test_png_text_before_the_image_data_and_absent_keys():
    info = PngImagePlugin.PngInfo()
    info.add_text("iris:source", "camera 1")
    info.add_itxt("iris:note", "Grüße", lang="de")
    data = saved(Image.new("RGB", (2, 2)), "PNG", pnginfo=info)
    assert read_png_text(data, "iris:source") == "camera 1"
    note = read_png_text(data, "iris:note")
    assert note == "Grüße" and type(note) is str
    assert read_png_text(data, "iris:other") is None


def test_png_text_after_the_image_data_is_found():
    data = png_with_text_after_image_data("iris:late", "after IDAT")
    assert data.index(b"tEXt") > data.index(b"IDAT")
    assert read_png_text(data, "iris:late") == "after IDAT"


def test_png_text_of_other_formats_is_none():
    assert read_png_text(saved(Image.new("RGB", (2, 2)), "JPEG"), "iris:source") is None


def test_png_text_chunk_with_a_bad_crc_is_corrupt():
    data = bytearray(png_with_text_after_image_data("iris:late", "after IDAT"))
    at = data.index(b"after IDAT")
    data[at] ^= 0x20  # the stored CRC no longer matches
    error = refused(lambda: read_png_text(bytes(data), "iris:late", name="text.png"), "corrupt")
    assert error.source == "text.png"
    assert "tEXt chunk" in error.detail and "CRC" in error.detail


def test_png_text_is_refused_over_the_pixel_limit_and_when_truncated():
    data = png_with_text_after_image_data("k", "v")
    assert read_png_text(data, "k", max_pixels=6) == "v"
    error = refused(lambda: read_png_text(data, "k", max_pixels=5, name="t.png"), "too-large")
    assert str(error).startswith("t.png: too-large (3x2 = ")
    error = refused(lambda: read_png_text(data[:-12], "k", name="t.png"), "truncated")
    assert error.detail == "the file ends before its IEND chunk"
