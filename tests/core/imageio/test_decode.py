"""Image loading: every bad-input case gives its specific error, every odd mode the right pixels."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageOps

from core.errors import ImageLoadError
from core.imageio import encode_png, load_image, read_info, save_png


def png_bytes(image: Image.Image, **kwargs) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", **kwargs)
    return buffer.getvalue()


def gradient_rgb(width: int = 40, height: int = 30) -> np.ndarray:
    y, x = np.mgrid[0:height, 0:width]
    return np.stack([x * 6 % 256, y * 8 % 256, (x + y) * 3 % 256], axis=-1).astype(np.uint8)


def expect_error(source, reason: str, **kwargs) -> ImageLoadError:
    with pytest.raises(ImageLoadError) as caught:
        load_image(source, **kwargs)
    assert caught.value.reason == reason, str(caught.value)
    return caught.value


def test_rgb_png_loads_as_float_rgb(tmp_path):
    values = gradient_rgb()
    path = tmp_path / "g.png"
    Image.fromarray(values).save(path)
    loaded = load_image(path)
    assert loaded.pixels.dtype == np.float32
    assert loaded.pixels.shape == (30, 40, 3)
    np.testing.assert_array_equal(np.round(loaded.pixels * 255).astype(np.uint8), values)
    assert loaded.info.source == str(path)
    assert (loaded.info.width, loaded.info.height, loaded.info.bit_depth) == (40, 30, 8)
    assert loaded.alpha is None


def test_missing_file_names_the_path(tmp_path):
    error = expect_error(tmp_path / "nope.png", "missing")
    assert "nope.png" in str(error)


def test_zero_bytes(tmp_path):
    path = tmp_path / "empty.png"
    path.write_bytes(b"")
    error = expect_error(path, "empty")
    assert str(path) in str(error)


def test_text_renamed_png_is_not_an_image(tmp_path):
    path = tmp_path / "notes.png"
    path.write_text("these are my notes, not pixels\n" * 20)
    expect_error(path, "not-an-image")


def test_truncated_png(tmp_path):
    data = png_bytes(
        Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200, 3), np.uint8))
    )
    path = tmp_path / "cut.png"
    path.write_bytes(data[: len(data) // 2])
    error = expect_error(path, "truncated")
    assert "cut.png" in str(error)


def test_truncated_jpeg(tmp_path):
    buffer = io.BytesIO()
    Image.fromarray(gradient_rgb(300, 300)).save(buffer, format="JPEG", quality=95)
    path = tmp_path / "cut.jpg"
    path.write_bytes(buffer.getvalue()[:2000])
    expect_error(path, "truncated")


def test_one_by_one_pixel():
    loaded = load_image(png_bytes(Image.new("RGB", (1, 1), (255, 128, 0))))
    assert loaded.pixels.shape == (1, 1, 3)
    np.testing.assert_allclose(loaded.pixels[0, 0], [1.0, 128 / 255, 0.0], atol=1e-7)


def test_sixteen_bit_gray_png_keeps_its_precision():
    values = (np.arange(64 * 8, dtype=np.uint16).reshape(8, 64) * 127).astype(np.uint16)
    loaded = load_image(png_bytes(Image.fromarray(values)))
    assert loaded.info.bit_depth == 16
    np.testing.assert_allclose(loaded.pixels[..., 0], values / 65535.0, atol=1e-6)
    np.testing.assert_array_equal(loaded.pixels[..., 0], loaded.pixels[..., 2])


def test_sixteen_bit_colour_png_round_trip(tmp_path):
    rng = np.random.default_rng(1)
    pixels = rng.random((12, 17, 3), dtype=np.float32)
    path = tmp_path / "deep.png"
    save_png(path, pixels, bit_depth=16)
    loaded = load_image(path)
    assert loaded.info.bit_depth == 16
    # 16-bit precision: far finer than the 1/255 an 8-bit path would give
    np.testing.assert_allclose(loaded.pixels, pixels, atol=0.5 / 65535 + 1e-7)


def test_sixteen_bit_tiff(tmp_path):
    import cv2

    values = (np.random.default_rng(2).random((10, 14, 3)) * 65535).astype(np.uint16)
    path = tmp_path / "deep.tif"
    assert cv2.imwrite(str(path), values[..., ::-1])
    loaded = load_image(path)
    assert loaded.info.format == "TIFF" and loaded.info.bit_depth == 16
    np.testing.assert_allclose(loaded.pixels, values / 65535.0, atol=1e-6)


def test_cmyk_jpeg_converts_to_rgb():
    buffer = io.BytesIO()
    Image.new("CMYK", (16, 16), (0, 255, 255, 0)).save(buffer, format="JPEG", quality=100)
    loaded = load_image(buffer.getvalue())
    assert loaded.info.mode == "CMYK"
    red, green, blue = loaded.pixels[8, 8]
    assert red > 0.9 and green < 0.1 and blue < 0.1


def test_palette_with_transparency_gives_colour_and_alpha():
    palette_image = Image.new("P", (4, 2))
    palette_image.putpalette([255, 0, 0, 0, 0, 255] + [0] * 762)
    palette_image.putdata([0, 1, 0, 1, 1, 0, 1, 0])
    data = png_bytes(palette_image, transparency=1)
    loaded = load_image(data)
    assert loaded.info.has_alpha
    np.testing.assert_allclose(loaded.pixels[0, 0], [1, 0, 0])
    np.testing.assert_allclose(loaded.pixels[0, 1], [0, 0, 1])  # colour kept under transparency
    np.testing.assert_array_equal(loaded.alpha[0], [1, 0, 1, 0])


def test_rgba_and_la_keep_alpha_separately():
    rgba = np.zeros((3, 3, 4), np.uint8)
    rgba[..., 0], rgba[..., 3] = 200, 100
    loaded = load_image(png_bytes(Image.fromarray(rgba)))
    np.testing.assert_allclose(loaded.pixels[..., 0], 200 / 255)
    np.testing.assert_allclose(loaded.alpha, 100 / 255)
    la = Image.fromarray(rgba[..., [0, 3]], mode="LA") if hasattr(Image, "fromarray") else None
    loaded_la = load_image(png_bytes(la))
    np.testing.assert_allclose(loaded_la.pixels, 200 / 255)
    np.testing.assert_allclose(loaded_la.alpha, 100 / 255)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_matches_pillow(orientation):
    source = Image.fromarray(gradient_rgb(24, 16))
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    source.save(buffer, format="PNG", exif=exif.tobytes())
    loaded = load_image(buffer.getvalue())
    expected = np.asarray(
        ImageOps.exif_transpose(Image.open(io.BytesIO(buffer.getvalue()))).convert("RGB")
    )
    assert loaded.info.exif_orientation == orientation
    assert (loaded.info.height, loaded.info.width) == expected.shape[:2]
    np.testing.assert_array_equal(np.round(loaded.pixels * 255).astype(np.uint8), expected)


def test_exif_rotated_jpeg_is_upright(tmp_path):
    # A landscape sensor image stored with orientation 6 (rotate 90 clockwise to view).
    stored = np.zeros((20, 40, 3), np.uint8)
    stored[:, :20] = (255, 0, 0)  # left half red in the stored frame
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "rotated.jpg"
    Image.fromarray(stored).save(path, format="JPEG", quality=100, exif=exif.tobytes())
    loaded = load_image(path)
    assert loaded.pixels.shape == (40, 20, 3)  # portrait after applying EXIF
    assert loaded.pixels[2, 10, 0] > 0.9  # the stored left half is now on top
    assert loaded.pixels[37, 10, 0] < 0.1


def _png_with_claimed_size(width: int, height: int) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + header
    ihdr = struct.pack(">I", len(header)) + chunk + struct.pack(">I", zlib.crc32(chunk))
    idat_data = zlib.compress(b"\x00" * 64)
    idat = (
        struct.pack(">I", len(idat_data))
        + b"IDAT"
        + idat_data
        + struct.pack(">I", zlib.crc32(b"IDAT" + idat_data))
    )
    iend = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return b"\x89PNG\r\n\x1a\n" + ihdr + idat + iend


def test_header_claiming_60000_squared_is_refused_before_decoding():
    data = _png_with_claimed_size(60000, 60000)
    assert len(data) < 200
    error = expect_error(data, "too-large", name="bomb.png")
    assert "60000x60000" in str(error) and "bomb.png" in str(error)


def test_pixel_limit_is_configurable(monkeypatch):
    data = png_bytes(Image.new("RGB", (100, 100)))
    expect_error(data, "too-large", max_pixels=5000)
    monkeypatch.setenv("IRIS_MAX_PIXELS", "9999")
    expect_error(data, "too-large")
    monkeypatch.setenv("IRIS_MAX_PIXELS", "10000")
    assert load_image(data).pixels.shape == (100, 100, 3)


def test_webp_bmp_and_grayscale_load():
    for fmt in ("WEBP", "BMP"):
        buffer = io.BytesIO()
        Image.fromarray(gradient_rgb()).save(
            buffer, format=fmt, **({"lossless": True} if fmt == "WEBP" else {})
        )
        loaded = load_image(buffer.getvalue())
        np.testing.assert_array_equal(
            np.round(loaded.pixels * 255).astype(np.uint8), gradient_rgb()
        )
    gray = load_image(png_bytes(Image.new("L", (5, 5), 51)))
    np.testing.assert_allclose(gray.pixels, 0.2)


def test_read_info_does_not_need_the_pixels():
    info = read_info(_png_with_claimed_size(60000, 60000))
    assert (info.width, info.height) == (60000, 60000)


def test_save_png_eight_bit_round_trip_and_atomic(tmp_path):
    pixels = np.random.default_rng(3).random((9, 11, 3)).astype(np.float32)
    path = tmp_path / "out" / "x.png"
    save_png(path, pixels)
    assert [p.name for p in path.parent.iterdir()] == ["x.png"]  # no temporary file left
    np.testing.assert_allclose(load_image(path).pixels, np.round(pixels * 255) / 255, atol=1e-6)
    with pytest.raises(ValueError):
        encode_png(pixels, bit_depth=12)


def test_saved_files_get_normal_permissions(tmp_path):
    import os

    mask = os.umask(0o022)
    try:
        save_png(tmp_path / "shared.png", np.zeros((2, 2, 3), np.float32))
    finally:
        os.umask(mask)
    assert (tmp_path / "shared.png").stat().st_mode & 0o777 == 0o644
