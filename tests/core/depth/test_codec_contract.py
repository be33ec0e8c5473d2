"""The colour codec's contract by hand: stats, pixel forms, discrete colour-map encoding,
the table cache, registration and parameters (values worked out here, not by the codec)."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image

from core.depth import codecs
from core.depth.codecs import CODECS, DepthDecoding, _median3, make_codec, to_uint8_rgb
from core.errors import IrisError

NAN, INF = float("nan"), float("inf")


def test_stats_by_hand():
    depth = np.array([[1.0, 2.0, NAN], [INF, 4.0, 3.0]], dtype=np.float32)
    stats = DepthDecoding(depth, None, "npy").stats()
    assert stats == {
        "codec": "npy",
        "width": 3,
        "height": 2,
        "min_m": 1.0,
        "median_m": 2.5,  # of 1, 2, 3, 4
        "max_m": 4.0,
        "masked_fraction": 1 / 6,
        "sky_fraction": 1 / 6,
    }


def test_stats_without_finite_depth_and_without_pixels():
    stats = DepthDecoding(np.array([[NAN, INF, INF]], np.float32), None, "x").stats()
    assert stats["min_m"] is stats["median_m"] is stats["max_m"] is None
    assert stats["masked_fraction"] == pytest.approx(1 / 3)
    assert stats["sky_fraction"] == pytest.approx(2 / 3)
    empty = DepthDecoding(np.zeros((0, 4), np.float32), None, "x").stats()
    assert (empty["width"], empty["height"], empty["masked_fraction"]) == (4, 0, 0.0)


def test_to_uint8_rgb_repeats_grey_drops_alpha_and_rounds_floats():
    grey = np.array([[7, 200]], dtype=np.uint8)
    assert to_uint8_rgb(grey).tolist() == [[[7, 7, 7], [200, 200, 200]]]
    rgba = np.array([[[1, 2, 3, 4]]], dtype=np.uint8)
    out = to_uint8_rgb(rgba)
    assert out.tolist() == [[[1, 2, 3]]] and out.flags.c_contiguous
    floats = np.array([[[0.0, 0.2, 1.0], [-1.0, 0.5, 2.0]]])
    assert to_uint8_rgb(floats).tolist() == [[[0, 51, 255], [0, 128, 255]]]  # 127.5 -> 128


def test_median3_is_the_middle_of_nine():
    values = np.array([[1, 2, 3], [4, 100, 6], [7, 8, 9]], dtype=np.float64)
    out = _median3(values)
    assert out.dtype == np.float32 and out[1, 1] == 6.0  # 1 2 3 4 6 7 8 9 100


GRAY = {"range_mode": "linear", "near": 0.0, "far": 255.0}


def test_colour_maps_encode_to_their_nearest_entry_and_nan_to_the_near_end():
    codec = make_codec("gray", **GRAY)  # entry i is grey i: f = d / 255
    colours = codec.encode(np.array([[10.4, 10.6, NAN, 300.0, -5.0]]))
    assert colours[0, :, 0].tolist() == [10, 11, 0, 255, 0]
    assert (colours[..., 0] == colours[..., 1]).all() and (colours[..., 1] == colours[..., 2]).all()
    reverse = make_codec("gray", **GRAY, reverse=True)  # f = 1 - 10.4 / 255 -> entry 245
    assert reverse.encode(np.array([[10.4]]))[0, 0].tolist() == [245, 245, 245]
    assert reverse.decode_rgb(np.full((1, 1, 3), 245, np.uint8)).depth[0, 0] == 10.0


def test_vision_banana_encodes_without_rounding_to_entries():
    codec = make_codec("vision-banana", curve_lambda=2.0, curve_scale=3.5)  # far end 7 m
    # f(d) = 1 - (1 - d / 7)^3: d = 3.5 -> 7/8 -> s = 7f = 6.125 on the M -> W edge: (1, g, 1)
    assert codec.encode(np.array([[3.5]]))[0, 0].tolist() == [255, 32, 255]  # 0.125 * 255


def test_decoding_carries_the_codec_parameters_and_options(tmp_path):
    codec = make_codec("gray", **GRAY)
    pixels = np.array([[[10, 10, 10], [11, 11, 11]]], np.uint8)
    decoded = codec.decode_rgb(pixels, max_path_distance=0.5, median=False)
    assert decoded.depth.tolist() == [[10.0, 11.0]] and decoded.confidence.tolist() == [[0, 0]]
    assert decoded.codec == "gray"
    assert decoded.params == {**GRAY, "reverse": False, "max_path_distance": 0.5, "median": False}
    path = tmp_path / "map.png"
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    from_file = codec.decode_file(path, max_path_distance=None, median=True)
    assert from_file.depth.tolist() == [[10.0, 11.0]]  # a 1x2 median keeps both (replicated edge)
    assert from_file.params["median"] is True and from_file.params["max_path_distance"] is None


def test_the_table_cache_keeps_the_two_latest_codecs(monkeypatch):
    monkeypatch.setattr(codecs, "_TABLE_CACHE", type(codecs._TABLE_CACHE)())
    pixel = np.zeros((1, 1, 3), np.uint8)
    first, second, third = (
        make_codec("gray", range_mode="linear", near=0.0, far=f) for f in (1, 2, 3)
    )
    first.decode_rgb(pixel)
    kept = first._table()
    second.decode_rgb(pixel)
    first.decode_rgb(pixel)  # used again: now the most recent
    third.decode_rgb(pixel)
    assert list(codecs._TABLE_CACHE) == [first.key, third.key]
    assert first._table() is kept  # the same table, not refilled
    same = make_codec("gray", range_mode="linear", near=0.0, far=1)
    assert same.key == first.key and same._table() is kept


def test_registration_kinds_labels_and_unknown_parameters():
    assert CODECS.meta("vision-banana") == {"kind": "colour", "label": "Vision Banana (RGB cube)"}
    assert CODECS.meta("turbo") == {"kind": "colour", "label": "turbo"}
    raw_labels = {name: CODECS.meta(name)["label"] for name in ("png16", "npy", "exr")}
    assert raw_labels == {"png16": "16-bit PNG (mm)", "npy": "NumPy .npy (m)", "exr": "OpenEXR (m)"}
    assert {CODECS.meta(name)["kind"] for name in ("png16", "npy", "exr")} == {"raw"}
    codec = make_codec("vision-banana", corners="kbcgyrmw", no_such_option=1)
    assert codec.params["corners"] == "KBCGYRMW" and codec.path.name == "KBCGYRMW"
    assert make_codec("npy", curve_lambda=5).name == "npy"


@pytest.mark.parametrize("shape", [(4,), (4, 5, 2), (2, 3, 4, 5)])
def test_a_refused_shape_is_named_whole_in_the_error(shape):
    with pytest.raises(IrisError, match=re.escape(f"got uint8 {shape}")):
        make_codec("vision-banana").decode_rgb(np.zeros(shape, np.uint8))
