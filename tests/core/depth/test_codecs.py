"""Depth codecs: encode then decode round-trips within half a quantization step."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from core.depth.codecs import (
    CODECS,
    COLORMAP_NAMES,
    colormap_tables,
    make_codec,
)
from core.depth.colour_path import CORNERS, STEPS_PER_EDGE, ColourPath
from core.depth.pipeline import file_codec
from core.errors import IrisError

EDGE_STEP = 1.0 / (7 * STEPS_PER_EDGE)  # f per 8-bit step along one cube edge
MAP_STEP = 1.0 / 255.0  # f per entry of a 256-entry colour map


def hamiltonian_paths() -> list[str]:
    """Every corner order that walks the cube along its edges (what 'like a Hilbert curve' means)."""
    letters = list(CORNERS)

    def adjacent(a: str, b: str) -> bool:
        return sum(x != y for x, y in zip(CORNERS[a], CORNERS[b], strict=True)) == 1

    paths = []

    def extend(path: list[str]) -> None:
        if len(path) == 8:
            paths.append("".join(path))
            return
        for letter in letters:
            if letter not in path and adjacent(path[-1], letter):
                extend([*path, letter])

    for start in letters:
        extend([start])
    return paths


def assert_within_half_step(codec, depth: np.ndarray, decoded: np.ndarray, step: float) -> None:
    """Decoded depth lies between the depths half an f-step either side of the truth."""
    f = codec.depth_to_f(depth)
    lo = codec.f_to_depth(np.clip(f - 0.5 * step, 0, 1)).astype(np.float64)
    hi = codec.f_to_depth(np.clip(f + 0.5 * step, 0, 1)).astype(np.float64)
    lo, hi = np.minimum(lo, hi), np.maximum(lo, hi)
    slack = 1e-5 * (1 + np.abs(depth))
    bad = (decoded < lo - slack) | (decoded > hi + slack)
    assert not bad.any(), (
        f"{bad.sum()} pixels off by more than half a step, e.g. depth {depth[bad][:3]} "
        f"decoded {decoded[bad][:3]} allowed [{lo[bad][:3]}, {hi[bad][:3]}]"
    )


def depth_samples(codec, rng: np.random.Generator, n: int = 20000) -> np.ndarray:
    """Depths spread over the codec's f range, short of the far end (which means sky)."""
    f = rng.uniform(0.0, 1.0 - 4 * EDGE_STEP, n)
    return codec.f_to_depth(1.0 - f if codec.reverse else f).astype(np.float64).reshape(100, -1)


def test_default_curve_matches_the_published_table():
    codec = make_codec("vision-banana")
    f = np.array([0.25, 0.5, 0.75, 0.9, 0.99])
    np.testing.assert_allclose(codec.f_to_depth(f), [1.547, 4.142, 10.0, 21.62, 90.0], rtol=1e-3)


def test_vision_banana_defaults_round_trip():
    codec = make_codec("vision-banana")
    depth = depth_samples(codec, np.random.default_rng(1))
    decoded = codec.decode_rgb(codec.encode(depth), max_path_distance=None)
    assert_within_half_step(codec, depth, decoded.depth, EDGE_STEP)
    assert float(decoded.confidence.max()) < 0.01  # 8-bit colours on the path stay on it


@pytest.mark.parametrize("seed", range(6))
def test_vision_banana_random_parameters_round_trip(seed):
    rng = np.random.default_rng(100 + seed)
    paths = hamiltonian_paths()
    assert len(paths) == 144
    corners = paths[rng.integers(len(paths))]
    lam = float(rng.uniform(-6.0, -1.2) if seed % 3 else rng.uniform(0.3, 4.0))
    scale = float(rng.uniform(0.5, 12.0))
    codec = make_codec("vision-banana", curve_lambda=lam, curve_scale=scale, corners=corners)
    depth = depth_samples(codec, rng)
    decoded = codec.decode_rgb(codec.encode(depth), max_path_distance=None)
    assert_within_half_step(codec, depth, decoded.depth, EDGE_STEP)


@pytest.mark.parametrize("name", COLORMAP_NAMES)
@pytest.mark.parametrize(
    "params",
    [
        {"range_mode": "curve"},
        {"range_mode": "linear", "near": 0.5, "far": 20.0},
        {"range_mode": "inverse", "near": 0.3, "far": 80.0, "reverse": True},
    ],
)
def test_colour_maps_round_trip(name, params):
    codec = make_codec(name, **params)
    depth = depth_samples(codec, np.random.default_rng(7))
    decoded = codec.decode_rgb(codec.encode(depth), max_path_distance=None)
    assert_within_half_step(codec, depth, decoded.depth, map_steps(name, codec, depth))


def map_steps(name: str, codec, depth: np.ndarray) -> np.ndarray:
    """The f-step of each sample's entry: 1/255, or wider where neighbouring entries share
    one 8-bit colour (viridis has two such pairs: 8-bit images cannot tell them apart)."""
    entries = np.round(colormap_tables()[name] * 255)
    group = np.concatenate([[0], np.cumsum(np.any(np.diff(entries, axis=0) != 0, axis=1))])
    sizes = np.bincount(group)[group]
    index = np.round(codec.depth_to_f(depth) * 255).astype(int)
    return sizes[index] * MAP_STEP


def test_far_end_is_sky_and_off_path_colours_are_masked():
    codec = make_codec("vision-banana")
    depth = np.array([[np.inf, 2.0]])
    colours = codec.encode(depth)
    assert colours[0, 0].tolist() == [255, 255, 255]
    decoded = codec.decode_rgb(colours)
    assert np.isposinf(decoded.depth[0, 0]) and np.isfinite(decoded.depth[0, 1])
    grey = np.full((1, 1, 3), 128, np.uint8)  # the cube's centre: far from every edge
    masked = codec.decode_rgb(grey, max_path_distance=0.15)
    assert np.isnan(masked.depth[0, 0]) and masked.confidence[0, 0] > 0.4
    assert masked.stats()["masked_fraction"] == 1.0


def test_median_cleanup_removes_a_speck():
    codec = make_codec("vision-banana")
    depth = np.full((9, 9), 3.0)
    depth[4, 4] = 50.0
    decoded = codec.decode_rgb(codec.encode(depth), median=True)
    assert abs(decoded.depth[4, 4] - 3.0) < 0.01


def test_jpeg_outliers_are_masked():
    """JPEG (quality 90, 4:2:0) smears chroma across depth edges; those pixels get masked."""
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[0:256, 0:256]
    depth = 1.0 + 0.02 * xx + 0.01 * yy  # a sloped floor
    for _ in range(12):  # boxes at other depths: sharp edges
        x0, y0 = rng.integers(0, 220, 2)
        depth[y0 : y0 + 36, x0 : x0 + 36] = rng.uniform(0.5, 60.0)
    codec = make_codec("vision-banana")
    buffer = io.BytesIO()
    Image.fromarray(codec.encode(depth)).save(buffer, "JPEG", quality=90, subsampling=2)
    jpeg = np.asarray(Image.open(buffer).convert("RGB"))
    raw = codec.decode_rgb(jpeg, max_path_distance=None).depth
    masked = codec.decode_rgb(jpeg, max_path_distance=0.15).depth
    gross = np.abs(np.log(raw / depth)) > np.log(1.5)  # off by more than 50 %
    assert gross.sum() > 20, "the test scene should provoke JPEG outliers"
    kept = ~np.isnan(masked)
    assert (gross & kept).sum() <= 0.1 * gross.sum()
    assert (gross & kept).mean() < 0.002
    assert kept.mean() > 0.9  # the mask does not throw the map away


def test_raw_png16_and_npy_round_trip(tmp_path):
    depth = np.random.default_rng(0).uniform(0.2, 60.0, (20, 30)).astype(np.float32)
    depth[0, 0] = np.nan
    png = tmp_path / "d.png"
    png.write_bytes(CODECS.get("png16")().encode(depth))
    assert file_codec(png) == "png16"
    decoded = make_codec("png16").decode_file(png).depth
    assert np.isnan(decoded[0, 0])
    assert np.nanmax(np.abs(decoded - depth)) <= 0.0005 + 1e-6  # half a millimetre
    npy = tmp_path / "d.npy"
    npy.write_bytes(make_codec("npy").encode(depth))
    assert file_codec(npy) == "npy"
    np.testing.assert_array_equal(make_codec("npy").decode_file(npy).depth, depth)


def test_exr_round_trips_or_says_why(tmp_path):
    codec = make_codec("exr")
    depth = np.linspace(0.5, 9.0, 12, dtype=np.float32).reshape(3, 4)
    try:
        data = codec.encode(depth)
    except IrisError as exc:
        assert "OpenEXR" in str(exc)
        return
    path = tmp_path / "d.exr"
    path.write_bytes(data)
    np.testing.assert_allclose(codec.decode_file(path).depth, depth)


def test_bad_parameters_are_refused():
    with pytest.raises(IrisError, match="corner order"):
        make_codec("vision-banana", corners="KRYGCBMX")
    with pytest.raises(IrisError, match="lambda"):
        make_codec("vision-banana", curve_lambda=-0.5)
    with pytest.raises(IrisError, match="--near"):
        make_codec("viridis", range_mode="linear")
    with pytest.raises(IrisError, match="unknown depth codec"):
        make_codec("jet")


def test_colour_path_projection_is_exact_on_the_polyline():
    path = ColourPath.from_corners()
    f = np.linspace(0, 1, 701)
    f_back, distance = path.project(path.colour_at(f))
    np.testing.assert_allclose(f_back, f, atol=1e-12)
    assert distance.max() < 1e-6


def test_the_light_codec_names_are_the_registered_codecs():
    from core.depth.codecs import CODECS
    from core.depth.defaults import CODEC_NAMES

    assert sorted(CODEC_NAMES) == sorted(CODECS.names())
