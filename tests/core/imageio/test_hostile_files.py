"""Files that try to make the decoder run code, hang, exhaust memory or return wrong pixels."""

from __future__ import annotations

import io
import os
import threading
import tracemalloc
import zlib

import numpy as np
import pytest
from PIL import Image

from core.errors import ImageLoadError
from core.imageio import load_image, read_info
from tests.core.imageio.bombs import EPS_LOOP, png_bomb


def refused(source, reason: str, **kwargs) -> ImageLoadError:
    with pytest.raises(ImageLoadError) as caught:
        load_image(source, **kwargs)
    assert caught.value.reason == reason, str(caught.value)
    return caught.value


def encoded(format_name: str, **save) -> bytes:
    buffer = io.BytesIO()
    image = Image.fromarray(np.full((8, 8, 3), 90, np.uint8))
    image.save(buffer, format=format_name, **save)
    return buffer.getvalue()


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".eps", ".tif"])
def test_postscript_under_any_name_is_refused_without_ghostscript(tmp_path, monkeypatch, suffix):
    import PIL.EpsImagePlugin as eps

    def no_ghostscript(*args, **kwargs):
        raise AssertionError("Ghostscript must never be run")

    monkeypatch.setattr(eps, "Ghostscript", no_ghostscript, raising=False)
    path = tmp_path / f"looks-fine{suffix}"
    path.write_bytes(EPS_LOOP)
    error = refused(path, "not-an-image")
    assert "PostScript" in str(error) and path.name in str(error)
    with pytest.raises(ImageLoadError):
        read_info(path)


@pytest.mark.parametrize(
    ("format_name", "what"), [("GIF", "GIF"), ("PDF", "PDF"), ("ICO", "ICO"), ("PCX", "not PNG")]
)
def test_formats_outside_the_allow_list_are_refused_by_content(tmp_path, format_name, what):
    path = tmp_path / "renamed.png"
    path.write_bytes(encoded(format_name))
    assert what in str(refused(path, "not-an-image"))


@pytest.mark.parametrize(
    ("format_name", "save"),
    [("PNG", {}), ("JPEG", {}), ("WEBP", {"lossless": True}), ("BMP", {}), ("TIFF", {})],
)
def test_every_allowed_format_loads_whatever_its_name(tmp_path, format_name, save):
    path = tmp_path / "misnamed.dat"
    path.write_bytes(encoded(format_name, **save))
    loaded = load_image(path)
    assert loaded.pixels.shape == (8, 8, 3)
    assert loaded.info.format == format_name


def test_png_bomb_is_refused_from_its_header_before_any_pixel(tmp_path):
    path = png_bomb(tmp_path / "bomb.png", 40000, 40000, rows=2000)
    tracemalloc.start()
    try:
        error = refused(path, "too-large")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "40000x40000" in str(error)
    assert peak < 8 * 1024 * 1024, f"Python allocated {peak} bytes refusing a header"


def test_late_exif_png_does_not_decode_pixels_for_its_header(tmp_path, monkeypatch):
    from PIL import PngImagePlugin

    def no_load(self, *args, **kwargs):
        raise AssertionError("reading a header must not decode pixels")

    path = png_bomb(tmp_path / "bomb.png", 30000, 30000, rows=10)
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", no_load)
    info = read_info(path)
    assert (info.width, info.height) == (30000, 30000)
    refused(path, "too-large")


def test_file_much_larger_than_its_image_is_refused_before_reading_it(tmp_path):
    path = tmp_path / "padded.png"
    small = encoded("PNG")
    with path.open("wb") as handle:
        handle.write(small)
        handle.truncate(64 * 1024 * 1024)  # sparse: costs no disk
    error = refused(path, "too-large")
    assert "8x8" in str(error)


def test_device_file_is_refused_without_reading(tmp_path):
    refused("/dev/zero", "unreadable")


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []
    thread = threading.Thread(
        target=lambda: outcome.append(_catch(lambda: load_image(fifo))), daemon=True
    )
    thread.start()
    thread.join(10)
    assert not thread.is_alive(), "loading a FIFO blocked"
    assert isinstance(outcome[0], ImageLoadError) and outcome[0].reason == "unreadable"


def _catch(call) -> BaseException | None:
    try:
        call()
    except BaseException as exc:  # noqa: BLE001 - the test inspects it
        return exc
    return None


def _corrupt_idat(data: bytes) -> bytes:
    at = data.index(b"IDAT") + 4 + 10
    return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]


def test_png_with_a_bad_idat_checksum_is_corrupt(tmp_path):
    values = np.random.default_rng(3).integers(0, 255, (64, 64, 3), np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(values).save(buffer, format="PNG", compress_level=0)
    damaged = _corrupt_idat(buffer.getvalue())
    error = refused(damaged, "corrupt", name="damaged.png")
    assert "IDAT" in str(error) and "CRC" in str(error)


def test_png_chunk_length_past_the_end_is_truncated():
    data = encoded("PNG")
    at = data.index(b"IDAT") - 4
    lying = data[:at] + (0x7FFF0000).to_bytes(4, "big") + data[at + 4 :]
    refused(lying, "truncated", name="lying.png")


def test_png_without_iend_is_truncated():
    data = encoded("PNG")
    refused(data[: data.index(b"IEND") - 4], "truncated", name="cut.png")


def test_valid_png_passes_the_crc_walk():
    data = encoded("PNG")
    assert zlib.crc32(data) != 0
    assert load_image(data).pixels.shape == (8, 8, 3)
