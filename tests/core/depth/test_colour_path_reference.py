"""The RGB-cube colour path against the Vision Banana definition (seed 004) and a brute-force
projection written here: encode s = 7f, k = min(floor(s), 6), rgb = V[k] + (s - k)(V[k+1] - V[k]);
decode by projecting a colour on each segment and taking the nearest, f = (k + t) / 7.
"""

from __future__ import annotations

import math
import threading

import numpy as np
import pytest

from core.depth.colour_path import (
    CORNERS,
    DEFAULT_CORNERS,
    TABLE_SIZE,
    ColourPath,
    DecodeTable,
    corner_vertices,
    pack_rgb,
)
from core.errors import IrisError

KRYGCBMW = np.array(
    [[0, 0, 0], [1, 0, 0], [1, 1, 0], [0, 1, 0], [0, 1, 1], [0, 0, 1], [1, 0, 1], [1, 1, 1]],
    dtype=float,
)


def ref_encode(f: np.ndarray, vertices: np.ndarray = KRYGCBMW) -> np.ndarray:
    segments = len(vertices) - 1
    out = []
    for x in np.ravel(f):
        s = segments * min(max(x, 0.0), 1.0)
        k = min(math.floor(s), segments - 1)
        out.append(vertices[k] + (s - k) * (vertices[k + 1] - vertices[k]))
    return np.array(out)


def ref_project(rgb: np.ndarray, vertices: np.ndarray = KRYGCBMW):
    """Nearest point on each segment, one segment at a time (no chunks, no expanded squares)."""
    segments = len(vertices) - 1
    best_d = np.full(len(rgb), np.inf)
    best_f = np.zeros(len(rgb))
    for k in range(segments):
        a, b = vertices[k], vertices[k + 1]
        t = np.clip((rgb - a) @ (b - a) / ((b - a) @ (b - a)), 0.0, 1.0)
        d = np.linalg.norm(rgb - (a + t[:, None] * (b - a)), axis=1)
        closer = d < best_d - 1e-12
        best_d = np.where(closer, d, best_d)
        best_f = np.where(closer, (k + t) / segments, best_f)
    return best_f, best_d


# -- corners --------------------------------------------------------------------------------------


def test_corners_are_the_cube_corners_by_letter():
    np.testing.assert_array_equal(corner_vertices(DEFAULT_CORNERS), KRYGCBMW)
    np.testing.assert_array_equal(corner_vertices(" krygcbmw "), KRYGCBMW)
    assert corner_vertices("WKRYGCBM")[0].tolist() == [1, 1, 1]
    assert set(CORNERS) == set(DEFAULT_CORNERS)


@pytest.mark.parametrize("order", ["KRYGCBM", "KRYGCBMWK", "KRYGCBMM", "KRYGCBMX", ""])
def test_corner_orders_that_are_not_a_permutation_are_refused(order):
    with pytest.raises(IrisError, match="each of the 8 letters KRYGCBMW once"):
        corner_vertices(order)


# -- packing ----------------------------------------------------------------------------------


def test_pack_rgb_is_r_g_b_in_24_bits():
    image = np.array([[[1, 2, 3], [255, 0, 0]], [[0, 255, 0], [0, 0, 255]]], dtype=np.uint8)
    codes = pack_rgb(image)
    assert codes.dtype == np.uint32 and codes.shape == (2, 2)
    assert codes.tolist() == [[0x010203, 0xFF0000], [0x00FF00, 0x0000FF]]
    rgba = np.concatenate([image, np.full((2, 2, 1), 77, np.uint8)], axis=2)
    assert pack_rgb(rgba).tolist() == codes.tolist()  # alpha is dropped
    assert pack_rgb(np.full((1, 1, 3), 255, np.uint8))[0, 0] == TABLE_SIZE - 1


@pytest.mark.parametrize(
    "image",
    [np.zeros((2, 2, 3), np.float32), np.zeros((2, 2), np.uint8), np.zeros((2, 2, 2), np.uint8)],
)
def test_pack_rgb_refuses_other_images(image):
    with pytest.raises(IrisError, match=r"expected an \(H, W, 3\) uint8 image"):
        pack_rgb(image)


# -- encoding ---------------------------------------------------------------------------------


def test_colour_at_follows_the_cube_edges():
    path = ColourPath.from_corners()
    f = np.array([0.0, 1 / 7, 1.5 / 7, 2 / 7, 3.25 / 7, 6.5 / 7, 1.0, -0.3, 1.7])
    expected = [
        [0, 0, 0],
        [1, 0, 0],
        [1, 0.5, 0],
        [1, 1, 0],
        [0, 1, 0.25],
        [1, 0.5, 1],
        [1, 1, 1],
        [0, 0, 0],
        [1, 1, 1],
    ]
    np.testing.assert_allclose(path.colour_at(f), expected, atol=1e-12)


@pytest.mark.parametrize("order", [DEFAULT_CORNERS, "KBCGYRMW", "WMBCGYRK"])
def test_colour_at_matches_the_reference(order):
    path = ColourPath.from_corners(order)
    f = np.linspace(-0.05, 1.05, 1001)
    vertices = np.array([CORNERS[c] for c in order], dtype=float)
    np.testing.assert_allclose(path.colour_at(f), ref_encode(f, vertices), atol=1e-12)
    assert path.name == order


def test_colour_at_keeps_the_shape_of_f():
    path = ColourPath.from_corners()
    assert path.colour_at(np.zeros((4, 5))).shape == (4, 5, 3)


def test_unevenly_spaced_parameters():
    # K at 0, W at 0.2, R at 1: f = 0.1 is halfway K -> W, f = 0.6 halfway W -> R
    path = ColourPath([[0, 0, 0], [1, 1, 1], [1, 0, 0]], [0.0, 0.2, 1.0])
    np.testing.assert_allclose(
        path.colour_at(np.array([0.1, 0.6])), [[0.5, 0.5, 0.5], [1, 0.5, 0.5]], atol=1e-12
    )
    f, d = path.project(np.array([[0.5, 0.5, 0.5], [1, 0.5, 0.5], [1, 0.25, 0.25]]))
    np.testing.assert_allclose(f, [0.1, 0.6, 0.8], atol=1e-12)
    np.testing.assert_allclose(d, [0, 0, 0], atol=1e-7)


@pytest.mark.parametrize(
    "vertices,params", [([[0, 0, 0]], [0.0]), ([[0, 0, 0], [1, 1, 1]], [0.0, 0.5, 1.0])]
)
def test_paths_need_two_vertices_with_parameters(vertices, params):
    with pytest.raises(IrisError, match="needs matching vertices and parameters"):
        ColourPath(vertices, params, name="bad")


# -- decoding ---------------------------------------------------------------------------------


def test_projection_of_colours_off_the_path_by_hand():
    path = ColourPath.from_corners()
    colours = np.array(
        [
            [0.5, 0.1, 0.0],  # near K -> R at t = 0.5, 0.1 away: f = 0.5 / 7
            [1.0, 0.5, 0.2],  # near R -> Y at t = 0.5, 0.2 away: f = 1.5 / 7
            [0.5, 0.5, 0.5],  # the centre: sqrt(0.5) from every edge
            [1.2, 1.2, 1.2],  # beyond white: f = 1
        ]
    )
    f, d = path.project(colours)
    assert f[0] == pytest.approx(0.5 / 7) and d[0] == pytest.approx(0.1)
    assert f[1] == pytest.approx(1.5 / 7) and d[1] == pytest.approx(0.2)
    assert d[2] == pytest.approx(math.sqrt(0.5))
    assert f[3] == pytest.approx(1.0) and d[3] == pytest.approx(math.sqrt(3 * 0.04))


def test_projecting_many_colours_in_one_call_matches_the_reference():
    """More than two chunks of colours (a noisy JPEG has that many distinct colours)."""
    rng = np.random.default_rng(5)
    path = ColourPath.from_corners()
    on_path = path.colour_at(rng.uniform(0, 1, 20_000))
    noisy = np.clip(on_path + rng.normal(0, 0.03, on_path.shape), 0, 1)
    colours = np.concatenate([noisy, rng.uniform(0, 1, (20_000, 3))])  # 40,000 colours
    f, d = path.project(colours)
    ref_f, ref_d = ref_project(colours)
    assert f.shape == d.shape == (40_000,)
    np.testing.assert_allclose(d, ref_d, atol=1e-6)
    # f is compared where the nearest segment is clearly nearer than the second nearest
    # (a colour equally near two segments may take either)
    clear = second_nearest(colours) - ref_d > 1e-6
    assert clear.mean() > 0.9
    np.testing.assert_allclose(f[clear], ref_f[clear], atol=1e-6)


def second_nearest(rgb: np.ndarray, vertices: np.ndarray = KRYGCBMW) -> np.ndarray:
    distances = []
    for k in range(len(vertices) - 1):
        a, b = vertices[k], vertices[k + 1]
        t = np.clip((rgb - a) @ (b - a) / ((b - a) @ (b - a)), 0.0, 1.0)
        distances.append(np.linalg.norm(rgb - (a + t[:, None] * (b - a)), axis=1))
    return np.sort(np.stack(distances, axis=1), axis=1)[:, 1]


def test_project_accepts_any_shape_of_colours():
    path = ColourPath.from_corners()
    f, d = path.project(np.array([[[1.0, 0.0, 0.0], [1.0, 1.0, 1.0]]]))
    np.testing.assert_allclose(f, [1 / 7, 1.0], atol=1e-12)
    np.testing.assert_allclose(d, [0, 0], atol=1e-7)


def test_from_table_merges_entries_with_one_8bit_colour():
    # entries at f = 0, 1/3, 2/3, 1; the first two round to the same 8-bit colour
    table = np.array([[0, 0, 0], [0.001, 0.001, 0.001], [0.5, 0.5, 0.5], [1, 1, 1]])
    path = ColourPath.from_table(table, "toy")
    np.testing.assert_allclose(path.vertices, [[0, 0, 0], [128 / 255] * 3, [1, 1, 1]])
    np.testing.assert_allclose(path.params, [1 / 6, 2 / 3, 1.0])
    assert path.name == "toy"
    rgba = np.concatenate([table, np.ones((4, 1))], axis=1)  # a 4th column is ignored
    np.testing.assert_allclose(ColourPath.from_table(rgba, "toy").params, [1 / 6, 2 / 3, 1.0])


def test_from_table_keeps_distinct_entries():
    table = np.array([[0, 0, 0], [0.2, 0, 0], [0.2, 0.2, 0], [0.2, 0.2, 0.2], [1, 1, 1]])
    path = ColourPath.from_table(table, "five")
    np.testing.assert_allclose(path.params, [0, 0.25, 0.5, 0.75, 1.0])
    np.testing.assert_allclose(path.vertices, np.round(table * 255) / 255)
    # a table whose last two entries merge ends at their mean
    merged = ColourPath.from_table(np.array([[0, 0, 0], [1, 1, 1], [1, 1, 1]]), "end")
    np.testing.assert_allclose(merged.params, [0.0, 0.75])


# -- the decode table ---------------------------------------------------------------------------


def test_decode_table_projects_each_colour_once_and_stores_value_and_distance():
    path = ColourPath.from_corners()
    calls = []

    def to_value(f):
        calls.append(len(f))
        return 100.0 * f

    table = DecodeTable(path, to_value)
    red, grey, white = 0xFF0000, 0x808080, 0xFFFFFF
    codes = np.array([[red, grey], [red, white]], dtype=np.uint32)
    values, distance = table.lookup(codes)
    assert calls == [3]  # three distinct colours, one projection each
    assert values.dtype == np.float32 and distance.dtype == np.float32
    np.testing.assert_allclose(values[:, 0], [100 / 7, 100 / 7], rtol=1e-6)
    assert values[1, 1] == pytest.approx(100.0)
    assert distance[0, 0] == 0.0 and distance[1, 1] == 0.0
    grey_f, grey_d = ref_project(np.array([[128 / 255] * 3]))
    assert distance[0, 1] == pytest.approx(grey_d[0], rel=1e-3)  # stored as float16
    assert values[0, 1] == pytest.approx(100 * grey_f[0], rel=1e-6)
    again_values, again_distance = table.lookup(np.array([white, red], dtype=np.uint32))
    assert calls == [3]  # nothing new to project
    np.testing.assert_allclose(again_values, [100.0, 100 / 7], rtol=1e-6)
    table.lookup(np.array([0x00FF00, red], dtype=np.uint32))
    assert calls == [3, 1]  # only the new colour


def test_decode_table_is_safe_across_threads():
    path = ColourPath.from_corners()
    table = DecodeTable(path, lambda f: f)
    codes = np.arange(0, TABLE_SIZE, 997, dtype=np.uint32)[:5000]
    results = []

    def work():
        results.append(table.lookup(codes)[0])

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rgb = np.stack([(codes >> 16) & 255, (codes >> 8) & 255, codes & 255], axis=1) / 255.0
    expected = ColourPath.from_corners().project(rgb)[0]  # the same projection, unthreaded
    assert len(results) == 3
    for values in results:
        np.testing.assert_allclose(values, expected, atol=1e-5)


def test_corner_vertices_are_float64():
    assert corner_vertices(DEFAULT_CORNERS).dtype == np.float64


def test_from_table_rounds_float32_tables_in_float64_and_drops_alpha():
    table = np.random.default_rng(9).uniform(0, 1, (50, 4)).astype(np.float32)
    path = ColourPath.from_table(table, "f32")
    expected = np.round(table[:, :3].astype(np.float64) * 255.0) / 255.0
    assert path.vertices.shape[1] == 3
    np.testing.assert_array_equal(path.vertices, expected)  # exactly: k / 255 in float64
