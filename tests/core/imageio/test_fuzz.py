"""Property: whatever bytes arrive, the decoder returns canonical pixels or an ImageLoadError."""

from __future__ import annotations

import contextlib
import io

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from core.errors import ImageLoadError
from core.imageio import load_image, read_info


def _seed_files() -> list[bytes]:
    rng = np.random.default_rng(0)
    rgb = rng.integers(0, 255, (12, 10, 3), np.uint8)
    files = []
    for format_name, save in [
        ("PNG", {}),
        ("JPEG", {"quality": 80}),
        ("WEBP", {"lossless": True}),
        ("BMP", {}),
        ("TIFF", {"compression": "tiff_lzw"}),
    ]:
        buffer = io.BytesIO()
        Image.fromarray(rgb).save(buffer, format=format_name, **save)
        files.append(buffer.getvalue())
    return files


SEEDS = _seed_files()


@st.composite
def mutated_files(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "overwrite"]))
        at = draw(st.integers(0, len(data) - 1))
        if action == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 64))]
        elif action == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        else:
            value = draw(st.binary(min_size=1, max_size=8))
            data[at : at + len(value)] = value
        if not data:
            break
    return bytes(data)


def _check(data: bytes) -> None:
    try:
        loaded = load_image(data, name="fuzz", max_pixels=4_000_000)
    except ImageLoadError as error:
        assert error.reason in {
            "empty",
            "not-an-image",
            "truncated",
            "too-large",
            "unsupported-mode",
            "corrupt",
        }, error.reason
        assert str(error).startswith("fuzz: ")
        return
    assert loaded.pixels.dtype == np.float32 and loaded.pixels.ndim == 3
    assert np.isfinite(loaded.pixels).all()
    assert float(loaded.pixels.min()) >= 0.0 and float(loaded.pixels.max()) <= 1.0
    assert loaded.pixels.shape[:2] == (loaded.info.height, loaded.info.width)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_files())
def test_mutated_files_decode_or_fail_with_a_reason(data):
    _check(data)
    with contextlib.suppress(ImageLoadError):
        read_info(data, name="fuzz")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=256))
def test_random_bytes_fail_with_a_reason(data):
    _check(data)
