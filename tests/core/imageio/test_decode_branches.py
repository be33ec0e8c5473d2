"""Decoding's less common paths: odd bit depths and modes, damaged metadata, refusals.

Pins: the bit depth a header reports (1-bit TIFF, float TIFF, modes with no header depth),
float pixels clipped into [0, 1], 16-bit RGBA alpha kept apart, EXIF orientations that are
damaged, out of range or not numbers (ignored, the 1..8 boundary kept), the refusals a
damaged file gets (type, reason, the file's name, the cause), the decoded-size check, the
OpenCV orientation probe's fallbacks, and :func:`read_image_file`'s exact bytes and limit.
"""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, PngImagePlugin

from core.errors import ImageLoadError
from core.imageio import decode, encode_png, load_image, read_image_file, read_info


def saved(image: Image.Image, format_name: str, **save) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format_name, **save)
    return buffer.getvalue()


def refused(source, reason: str, **kwargs) -> ImageLoadError:
    with pytest.raises(ImageLoadError) as caught:
        load_image(source, **kwargs)
    assert caught.value.reason == reason, str(caught.value)
    return caught.value


def exif_block(*entries: tuple[int, int, int, bytes]) -> bytes:
    """An APP1/eXIf payload: little-endian TIFF header, one IFD of (tag, type, count, value)."""
    body = b"".join(struct.pack("<HHI", *entry[:3]) + entry[3].ljust(4, b"\0") for entry in entries)
    return b"Exif\0\0II*\0" + struct.pack("<IH", 8, len(entries)) + body + struct.pack("<I", 0)


def jpeg_with_orientation_entry(value_type: int, count: int, value: bytes) -> bytes:
    pixels = np.zeros((2, 3, 3), np.uint8)  # 3 wide, 2 high as stored
    return saved(
        Image.fromarray(pixels), "JPEG", exif=exif_block((0x0112, value_type, count, value))
    )


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    crc = struct.pack(">I", zlib.crc32(kind + payload))
    return struct.pack(">I", len(payload)) + kind + payload + crc


def png16_rgb(width: int, height: int, idat: bytes) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 16, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def tiff_entries(data: bytes) -> tuple[int, list[tuple[int, int, int, int]]]:
    (ifd,) = struct.unpack_from("<I", data, 4)
    (count,) = struct.unpack_from("<H", data, ifd)
    return ifd, [struct.unpack_from("<HHII", data, ifd + 2 + 12 * i) for i in range(count)]


def test_loaded_image_and_info_sizes_are_the_displayed_ones():
    # Stored 3 wide x 2 high, shown rotated (orientation 6): 2 wide x 3 high.
    exif = Image.Exif()
    exif[0x0112] = 6
    data = saved(Image.fromarray(np.zeros((2, 3, 3), np.uint8)), "PNG", exif=exif.tobytes())
    loaded = load_image(data)
    assert (loaded.width, loaded.height) == (2, 3)
    assert (loaded.info.width, loaded.info.height, loaded.info.pixels) == (2, 3, 6)
    assert loaded.data == data


def test_one_bit_tiff_without_bits_per_sample_reports_one_bit():
    stored = np.array([[0, 255, 0, 255], [255, 0, 255, 0]], np.uint8)
    data = saved(Image.fromarray(stored).convert("1"), "TIFF")
    _, entries = tiff_entries(data)
    assert 258 not in [tag for tag, *_ in entries]  # Pillow leaves out BitsPerSample for 1 bit
    info = read_info(data, name="bilevel.tif")
    assert (info.mode, info.bit_depth) == ("1", 1)
    # The same image as PNG says 1 bit in its IHDR: both formats report alike.
    assert read_info(saved(Image.fromarray(stored).convert("1"), "PNG")).bit_depth == 1
    loaded = load_image(data)
    np.testing.assert_array_equal(loaded.pixels[..., 0], stored / 255.0)
    np.testing.assert_array_equal(loaded.pixels[..., 2], stored / 255.0)


@pytest.mark.parametrize(("mode", "bits"), [("I;16", 16), ("F", 32), ("RGB", 8), ("L", 8)])
def test_bit_depth_from_the_mode_when_no_header_gives_one(mode, bits):
    assert decode._stored_bit_depth(Image.new(mode, (2, 2))) == bits


def test_float_tiff_is_clipped_into_unit_range_with_nan_as_black():
    stored = np.array([[0.25, np.nan, np.inf], [-np.inf, 1.5, -0.5]], np.float32)
    data = saved(Image.fromarray(stored, mode="F"), "TIFF")
    loaded = load_image(data, name="float.tif")
    assert (loaded.info.mode, loaded.info.bit_depth) == ("F", 32)
    expected = np.array([[0.25, 0.0, 1.0], [0.0, 1.0, 0.0]], np.float32)
    assert loaded.pixels.dtype == np.float32
    for channel in range(3):
        np.testing.assert_array_equal(loaded.pixels[..., channel], expected)
    assert loaded.alpha is None


def test_sixteen_bit_rgba_png_keeps_full_precision_colour_and_alpha():
    pixels = np.zeros((2, 3, 4), np.float32)
    pixels[..., 0] = 1.0
    pixels[..., 2] = 1000 / 65535
    pixels[..., 3] = [[0.0, 32768 / 65535, 1.0], [1.0, 1.0, 1.0]]
    loaded = load_image(encode_png(pixels, 16))
    assert (loaded.info.bit_depth, loaded.info.has_alpha) == (16, True)
    np.testing.assert_allclose(loaded.pixels, pixels[..., :3], atol=1e-7)
    np.testing.assert_allclose(loaded.alpha, pixels[..., 3], atol=1e-7)


def test_sixteen_bit_png_with_too_little_image_data_is_refused():
    # CRCs are valid, so only the 16-bit decoder can notice that the rows are missing.
    rows = b"".join(b"\x00" + b"\x75\x30" * 3 * 4 for _ in range(3))
    data = png16_rgb(4, 3, zlib.compress(rows[:10]))
    error = refused(data, "corrupt", name="short16.png")
    assert error.source == "short16.png"
    assert str(error) == "short16.png: corrupt (the 16-bit decoder could not read the data)"
    # The same chunks with all three rows decode: the refusal was about the data.
    whole = load_image(png16_rgb(4, 3, zlib.compress(rows)))
    np.testing.assert_allclose(whole.pixels, 0x7530 / 65535, atol=1e-7)


@pytest.mark.parametrize(
    ("format_name", "save"), [("PNG", {}), ("WEBP", {"lossless": True}), ("JPEG", {})]
)
def test_damaged_exif_block_is_ignored_and_the_pixels_load(format_name, save):
    exif = exif_block((0x0112, 3, 1, struct.pack("<H", 6)))
    damaged = exif.replace(b"II*\0", b"II\x8c\0")  # not a TIFF header any more
    image = Image.fromarray(np.full((2, 3, 3), 200, np.uint8))
    data = saved(image, format_name, exif=damaged, **save)
    loaded = load_image(data, name=f"damaged-exif.{format_name.lower()}")
    assert (loaded.info.has_exif, loaded.info.exif_orientation) == (False, 1)
    assert loaded.pixels.shape == (2, 3, 3)  # stored orientation, not rotated
    # The undamaged block is read: the test is about the damage.
    intact = load_image(saved(image, format_name, exif=exif, **save))
    assert (intact.info.exif_orientation, intact.pixels.shape) == (6, (3, 2, 3))


@pytest.mark.parametrize(
    ("value_type", "count", "value", "read_as"),
    [
        (2, 2, b"x\0", 1),  # ASCII, not a number
        (3, 1, struct.pack("<H", 9), 1),  # one past the last orientation
        (3, 1, struct.pack("<H", 0), 1),  # below the first
        (3, 1, struct.pack("<H", 8), 8),  # the last valid one is kept
        (3, 1, struct.pack("<H", 1), 1),
    ],
    ids=["text", "nine", "zero", "eight", "one"],
)
def test_orientation_outside_one_to_eight_is_ignored(value_type, count, value, read_as):
    data = jpeg_with_orientation_entry(value_type, count, value)
    info = read_info(data)
    assert info.has_exif
    assert info.exif_orientation == read_as
    shown = (2, 3) if read_as >= 5 else (3, 2)
    assert (info.width, info.height) == shown
    assert load_image(data).pixels.shape[:2] == (shown[1], shown[0])


def test_tiff_whose_strip_offsets_are_text_is_corrupt_naming_the_file():
    data = bytearray(saved(Image.fromarray(np.full((4, 4, 3), 100, np.uint8)), "TIFF"))
    ifd, entries = tiff_entries(bytes(data))
    index = [tag for tag, *_ in entries].index(273)  # StripOffsets
    tag, _type, count, value = entries[index]
    struct.pack_into("<HHII", data, ifd + 2 + 12 * index, tag, 2, count, value)  # 2 = ASCII
    error = refused(bytes(data), "corrupt", name="strips.tif")
    assert isinstance(error.__cause__, TypeError)
    assert str(error).startswith("strips.tif: corrupt (")
    assert error.detail == str(error.__cause__)


def test_running_out_of_memory_while_decoding_is_too_large(monkeypatch):
    def no_memory(self):
        raise MemoryError

    data = saved(Image.new("RGB", (4, 4)), "PNG")
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", no_memory)
    error = refused(data, "too-large", name="huge.png")
    assert str(error) == "huge.png: too-large (not enough memory to decode it)"


def test_decoded_size_that_disagrees_with_the_header_is_refused(monkeypatch):
    import cv2

    stored = np.zeros((3, 5, 3), np.uint16)  # 5 wide, 3 high; shown 3 wide, 5 high
    ok, encoded = cv2.imencode(".tiff", stored, [cv2.IMWRITE_TIFF_COMPRESSION, 1])
    assert ok
    data = decode._with_tiff_orientation(encoded.tobytes(), 6)
    assert load_image(data).pixels.shape == (5, 3, 3)
    # An OpenCV whose behaviour the probe got wrong rotates twice or not at all.
    wrong = not decode._opencv_orients_tiff()
    monkeypatch.setattr(decode, "_opencv_orients_tiff", lambda: wrong)
    error = refused(data, "corrupt", name="rotated16.tif")
    assert str(error) == ("rotated16.tif: corrupt (decoded 5x3 pixels, header says 3x5)")


@pytest.fixture
def fresh_probe():
    decode._opencv_orients_tiff.cache_clear()
    yield decode._opencv_orients_tiff
    decode._opencv_orients_tiff.cache_clear()


def test_orientation_probe_assumes_no_rotation_when_it_cannot_encode(monkeypatch, fresh_probe):
    import cv2

    monkeypatch.setattr(cv2, "imencode", lambda *args, **kwargs: (False, None))
    assert fresh_probe() is False


def test_orientation_probe_assumes_no_rotation_for_a_big_endian_probe(monkeypatch, fresh_probe):
    import cv2

    big_endian = np.frombuffer(b"MM\x00*\x00\x00\x00\x08" + b"\x00" * 16, np.uint8)
    monkeypatch.setattr(cv2, "imencode", lambda *args, **kwargs: (True, big_endian))
    assert fresh_probe() is False


def test_orientation_probe_agrees_with_opencv_on_a_mirrored_tiff(fresh_probe):
    import cv2

    stored = np.zeros((1, 2, 3), np.uint16)
    stored[0, 0, 2] = 65535  # red at the left, BGR order
    ok, encoded = cv2.imencode(".tiff", stored, [cv2.IMWRITE_TIFF_COMPRESSION, 1])
    mirrored = decode._with_tiff_orientation(encoded.tobytes(), 2)
    decoded = cv2.imdecode(np.frombuffer(mirrored, np.uint8), cv2.IMREAD_UNCHANGED)
    red_moved_right = int(decoded[0, 1, 2]) == 65535 and int(decoded[0, 0, 2]) == 0
    red_stayed_left = int(decoded[0, 0, 2]) == 65535 and int(decoded[0, 1, 2]) == 0
    assert red_moved_right or red_stayed_left
    assert fresh_probe() is red_moved_right


def test_read_image_file_returns_the_exact_bytes_within_the_limit(tmp_path, monkeypatch):
    data = saved(Image.new("RGB", (10, 20), (1, 2, 3)), "PNG")
    path = tmp_path / "photo.png"
    path.write_bytes(data)
    assert read_image_file(path) == data
    assert read_image_file(data, max_pixels=200) == data  # exactly at the limit
    with pytest.raises(ImageLoadError) as caught:
        read_image_file(path, max_pixels=199)
    assert caught.value.reason == "too-large"
    assert str(caught.value).startswith(f"{path}: too-large (10x20 = ")
    with pytest.raises(ImageLoadError) as caught:
        read_image_file(data, max_pixels=199, name="upload.png")
    assert caught.value.source == "upload.png"
    monkeypatch.setenv("IRIS_MAX_PIXELS", "199")
    with pytest.raises(ImageLoadError, match="too-large"):
        read_image_file(path)
    monkeypatch.setenv("IRIS_MAX_PIXELS", "200")
    assert read_image_file(path) == data


def test_read_image_file_refuses_what_is_not_an_allowed_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_bytes(b"just some text, not a picture at all")
    with pytest.raises(ImageLoadError) as caught:
        read_image_file(path)
    assert (caught.value.reason, caught.value.source) == ("not-an-image", str(path))
