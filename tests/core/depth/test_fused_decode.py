"""The fused, blocked colour decode against the straightforward one written here, bit for bit.

Straightforward: pack every pixel to ``R << 16 | G << 8 | B``, project each distinct colour
on the path once, look the pixels up, 3x3 median of depth and distance if asked, then NaN
where the distance passes the limit. The fused path (``DecodeTable.decode``) must give the
same bits, NaN positions and payload included, for every codec, image kind and block split.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from core.depth import colour_path
from core.depth.codecs import make_codec
from core.depth.colour_path import ColourPath, DecodeTable, mask_far, table_index
from core.errors import IrisError
from core.pixels import to_uint8

CODECS = [
    ("vision-banana", {}),
    ("vision-banana", {"corners": "KBCGYRMW", "curve_lambda": 2.0, "curve_scale": 3.0}),
    ("turbo", {"range_mode": "linear", "near": 0.0, "far": 9.0}),
    ("viridis", {"range_mode": "inverse", "near": 0.5, "far": 9.0, "reverse": True}),
    ("gray", {}),
]
LIMITS = [None, 0.0, 0.15]


def straightforward_lookup(codec, pixels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Depth and distance of every pixel as the definition reads: pack, project, look up."""
    if pixels.dtype != np.uint8:
        pixels = to_uint8(pixels)
    if pixels.ndim == 2:
        pixels = np.stack([pixels] * 3, axis=-1)
    rgb = pixels[..., :3].astype(np.int64)
    codes = rgb[..., 0] << 16 | rgb[..., 1] << 8 | rgb[..., 2]
    unique, inverse = np.unique(codes, return_inverse=True)
    colours = np.stack([unique >> 16, (unique >> 8) & 255, unique & 255], axis=1) / 255.0
    f, dist = codec.path.project(colours)
    depth = codec.f_to_depth(f)[inverse].reshape(codes.shape)
    distance = dist.astype(np.float16).astype(np.float32)[inverse].reshape(codes.shape)
    return depth, distance


def straightforward(looked_up: tuple[np.ndarray, np.ndarray], limit, median: bool):
    """Then the 3x3 median of both if asked, then NaN where the distance passes the limit."""
    depth, distance = (array.copy() for array in looked_up)
    if median:
        depth, distance = cv2.medianBlur(depth, 3), cv2.medianBlur(distance, 3)
    if limit is not None:
        depth[distance > limit] = np.nan
    return depth, distance


def assert_same_bits(ours: np.ndarray, expected: np.ndarray, case: str = "") -> None:
    assert ours.dtype == np.float32 and ours.shape == expected.shape, case
    assert ours.flags.c_contiguous, case
    np.testing.assert_array_equal(ours.view(np.uint32), expected.view(np.uint32), err_msg=case)


def images() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(21)
    noise = rng.integers(0, 256, (61, 67, 3), dtype=np.uint8)
    extremes = np.array(
        [[[0, 0, 0], [255, 255, 255], [255, 0, 0], [0, 255, 0]], [[0, 0, 255], [1, 2, 3]] * 2],
        dtype=np.uint8,
    )
    smooth = np.linspace(0, 1, 40 * 50, dtype=np.float32).reshape(40, 50)
    banana = make_codec("vision-banana").encode(1.0 + 30.0 * smooth)
    return {
        "noise": noise,
        "extremes": extremes,
        "encoded map + noise": np.clip(banana + rng.integers(-3, 4, banana.shape), 0, 255).astype(
            np.uint8
        ),
        "rgba": rng.integers(0, 256, (23, 31, 4), dtype=np.uint8),
        "grey": rng.integers(0, 256, (19, 29), dtype=np.uint8),
        "float": rng.random((17, 13, 3)).astype(np.float32),
        "strided view": noise[::2, ::3],
        "one pixel": np.array([[[12, 200, 7]]], dtype=np.uint8),
        "one row": noise[:1],
        "one column": noise[:, :1],
        "five channels": rng.integers(0, 256, (7, 9, 5), dtype=np.uint8),
    }


@pytest.fixture(params=[1 << 16, 50, 1], ids=["one block", "blocks of rows", "row by row"])
def block(request, monkeypatch):
    monkeypatch.setattr(colour_path, "BLOCK_PIXELS", request.param)
    return request.param


@pytest.mark.parametrize(("name", "params"), CODECS, ids=[c[0] for c in CODECS])
def test_fused_decode_gives_the_straightforward_bits(block, name, params):
    codec = make_codec(name, **params)
    for label, pixels in images().items():
        looked_up = straightforward_lookup(codec, pixels)
        for limit in LIMITS:
            for median in (False, True):
                ours = codec.decode_rgb(pixels, max_path_distance=limit, median=median)
                depth, distance = straightforward(looked_up, limit, median)
                case = f"{label}, limit {limit}, median {median}"
                assert_same_bits(ours.depth, depth, case)
                assert_same_bits(ours.confidence, distance, case)


def test_a_partly_filled_table_decodes_the_known_and_the_new_colours_alike(monkeypatch):
    monkeypatch.setattr(colour_path, "BLOCK_PIXELS", 64)
    codec = make_codec("vision-banana")
    table = DecodeTable(codec.path, codec.f_to_depth)
    rng = np.random.default_rng(4)
    first = rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)
    second = first.copy()
    second[5:9] = rng.integers(0, 256, (4, 30, 3), dtype=np.uint8)  # new colours in a few rows
    table.decode(first)
    depth, distance = table.decode(second, 0.1)
    expected = straightforward(straightforward_lookup(codec, second), 0.1, False)
    expected_depth, expected_distance = expected
    assert_same_bits(depth, expected_depth)
    assert_same_bits(distance, expected_distance)


def test_masking_keeps_a_distance_at_the_limit_and_drops_one_above():
    path = ColourPath.from_corners()
    table = DecodeTable(path, lambda f: f)
    grey = np.full((1, 2, 3), 128, np.uint8)  # off the path by a known distance
    grey[0, 1] = (255, 0, 0)  # a corner: distance 0
    _, distance = table.decode(grey)
    at_limit = float(distance[0, 0])
    kept, _ = table.decode(grey, at_limit)
    dropped, _ = table.decode(grey, np.nextafter(np.float32(at_limit), np.float32(0)))
    assert np.isfinite(kept).all()
    assert np.isnan(dropped[0, 0]) and dropped[0, 1] == pytest.approx(1 / 7)
    limitless, _ = table.decode(grey, float("nan"))  # nothing compares above NaN
    assert np.isfinite(limitless).all()


def test_mask_far_by_hand_across_blocks():
    value = np.arange(10, dtype=np.float32).reshape(2, 5)
    distance = np.array([[0, 0.2, 0.1, 0.3, 0], [0, 0, 0, 0, 0.25]], dtype=np.float32)
    mask_far(value, distance, 0.2, np.empty(3, bool))  # blocks of 3: one has no far pixel
    expected = np.array([[0, 1, 2, np.nan, 4], [5, 6, 7, 8, np.nan]], dtype=np.float32)
    np.testing.assert_array_equal(value, expected)
    empty = np.zeros((0, 4), np.float32)
    mask_far(empty, empty, 0.1)  # nothing to do, no error
    assert empty.shape == (0, 4)


def test_table_index_is_the_rgb_bytes_read_little_endian():
    assert table_index(np.array([0x123456])).tolist() == [0x563412]
    assert table_index(np.array([0xFF0000, 0x0000FF, 0x00FF00])).tolist() == [
        0x0000FF,
        0xFF0000,
        0x00FF00,
    ]
    pixel = np.array([[[0x12, 0x34, 0x56]]], dtype=np.uint8)
    assert int(np.frombuffer(pixel.tobytes() + b"\0", "<u4")[0]) == 0x563412


def test_lookup_clips_codes_outside_24_bits_like_the_table_edge():
    table = DecodeTable(ColourPath.from_corners(), lambda f: f)
    values, _ = table.lookup(np.array([1 << 24, 0xFFFFFF, -5, 0], dtype=np.int64))
    assert values[0] == values[1] == pytest.approx(1.0)  # white, the far end
    assert values[2] == values[3] == 0.0  # black, the near end


def test_empty_images_decode_to_empty_arrays_and_two_channels_are_refused():
    codec = make_codec("vision-banana")
    decoded = codec.decode_rgb(np.zeros((0, 7, 3), np.uint8))
    assert decoded.depth.shape == (0, 7) and decoded.confidence.shape == (0, 7)
    with pytest.raises(IrisError, match=r"\(H, W, 3\) uint8"):
        codec.decode_rgb(np.zeros((4, 4, 2), np.uint8))
    with pytest.raises(IrisError, match=r"\(H, W, 3\) uint8"):
        codec.decode_rgb(np.zeros(12, np.uint8))
