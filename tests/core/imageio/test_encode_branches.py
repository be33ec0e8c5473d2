"""PNG encoding's shapes and depths, and the in-memory JPEG round trip.

Pins: the accepted pixel shapes (grey, RGB, RGBA) and the refused ones with the shape in
the message, 8- and 16-bit output read back by an independent decoder with channels in
order, the refusal when OpenCV cannot encode, and that :func:`jpeg_round_trip` gives
exactly what Pillow's own JPEG encode and decode give for that quality and subsampling.
"""

from __future__ import annotations

import io
import struct

import numpy as np
import pytest
from PIL import Image

from core.imageio import encode_png, jpeg_round_trip


def ihdr(data: bytes) -> tuple[int, int, int, int]:
    """Width, height, bit depth and colour type from a PNG's IHDR."""
    assert data[12:16] == b"IHDR"
    return struct.unpack(">IIBB", data[16:26])


def ramp(height: int, width: int, channels: int) -> np.ndarray:
    values = np.arange(height * width * channels, dtype=np.float32) / (height * width * channels)
    return values.reshape(height, width, channels)


@pytest.mark.parametrize("shape", [(4,), (2, 3, 2), (2, 3, 5), (1, 2, 3, 3)])
def test_shapes_other_than_grey_rgb_rgba_are_refused(shape):
    with pytest.raises(ValueError) as caught:
        encode_png(np.zeros(shape, np.float32))
    assert str(caught.value) == (f"expected (H, W), (H, W, 3) or (H, W, 4) pixels, got {shape}")


def test_bit_depths_other_than_8_and_16_are_refused():
    with pytest.raises(ValueError, match="bit depth must be 8 or 16, got 12"):
        encode_png(np.zeros((2, 2, 3), np.float32), bit_depth=12)


@pytest.mark.parametrize(
    ("channels", "colour_type", "mode"), [(None, 0, "L"), (3, 2, "RGB"), (4, 6, "RGBA")]
)
def test_eight_bit_png_of_each_accepted_shape(channels, colour_type, mode):
    pixels = ramp(3, 5, channels or 1)
    if channels is None:
        pixels = pixels[..., 0]
    data = encode_png(pixels)
    assert ihdr(data) == (5, 3, 8, colour_type)
    decoded = Image.open(io.BytesIO(data))
    assert decoded.mode == mode
    expected = np.round(pixels * 255).astype(np.uint8)
    np.testing.assert_array_equal(np.asarray(decoded), expected)


def test_sixteen_bit_grey_png_keeps_every_value():
    pixels = np.array([[0.0, 1 / 65535, 0.5], [1.0, 2.0, -1.0]], np.float32)
    data = encode_png(pixels, bit_depth=16)
    assert ihdr(data) == (3, 2, 16, 0)
    decoded = np.asarray(Image.open(io.BytesIO(data)))
    np.testing.assert_array_equal(decoded, [[0, 1, 32768], [65535, 65535, 0]])


@pytest.mark.parametrize(("channels", "colour_type"), [(3, 2), (4, 6)])
def test_sixteen_bit_colour_png_keeps_channel_order(channels, colour_type):
    import cv2

    pixels = np.zeros((2, 3, channels), np.float32)
    pixels[..., 0] = 1.0  # red
    pixels[..., 1] = 0.25
    pixels[0, 0, 2] = 1 / 65535  # the smallest blue step survives
    if channels == 4:
        pixels[..., 3] = [[0.0, 0.5, 1.0], [1.0, 1.0, 1.0]]
    data = encode_png(pixels, bit_depth=16)
    assert ihdr(data) == (3, 2, 16, colour_type)
    bgr = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    assert bgr.dtype == np.uint16 and bgr.shape == (2, 3, channels)
    order = [2, 1, 0, 3][:channels]
    np.testing.assert_array_equal(bgr[..., order], np.round(pixels * 65535).astype(np.uint16))


def test_sixteen_bit_colour_png_that_opencv_cannot_encode_is_refused(monkeypatch):
    import cv2

    monkeypatch.setattr(cv2, "imencode", lambda *args, **kwargs: (False, None))
    with pytest.raises(ValueError, match="OpenCV could not encode the 16-bit PNG"):
        encode_png(np.zeros((2, 2, 3), np.float32), bit_depth=16)


def test_compress_level_changes_the_size_not_the_pixels():
    pixels = np.tile(ramp(1, 64, 3), (64, 1, 1))
    fast, small = encode_png(pixels, compress_level=0), encode_png(pixels, compress_level=9)
    assert len(small) < len(fast)
    np.testing.assert_array_equal(
        np.asarray(Image.open(io.BytesIO(fast))), np.asarray(Image.open(io.BytesIO(small)))
    )


def pillow_jpeg(values: np.ndarray, **save) -> np.ndarray:
    buffer = io.BytesIO()
    Image.fromarray(values).save(buffer, format="JPEG", optimize=False, **save)
    return np.asarray(Image.open(buffer).convert("RGB"), dtype=np.float32) / 255.0


def checker(size: int = 16) -> np.ndarray:
    y, x = np.mgrid[0:size, 0:size]
    red = ((x + y) % 2).astype(np.uint8) * 255  # colour detail at the finest scale
    return np.stack([red, np.full_like(red, 40), 255 - red], axis=-1)


@pytest.mark.parametrize("subsampling", [None, 0, 1, 2])
def test_jpeg_round_trip_is_pillows_encode_and_decode(subsampling):
    values = checker()
    options = {} if subsampling is None else {"subsampling": subsampling}
    result = jpeg_round_trip(values, 75, subsampling)
    assert result.dtype == np.float32 and result.shape == (16, 16, 3)
    np.testing.assert_array_equal(result, pillow_jpeg(values, quality=75, **options))


def test_jpeg_round_trip_of_floats_equals_that_of_their_uint8_values():
    values = checker()
    floats = values.astype(np.float32) / 255.0
    np.testing.assert_array_equal(jpeg_round_trip(floats, 60), jpeg_round_trip(values, 60))


def test_jpeg_quality_and_subsampling_change_the_result():
    values = checker()
    original = values.astype(np.float32) / 255.0
    full = np.abs(jpeg_round_trip(values, 95, 0) - original).mean()
    halved = np.abs(jpeg_round_trip(values, 95, 2) - original).mean()
    low = np.abs(jpeg_round_trip(values, 5, 0) - original).mean()
    assert full < halved  # 4:2:0 loses the one-pixel colour checker, 4:4:4 keeps it
    assert full < low
