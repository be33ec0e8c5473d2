"""ColourPath and DecodeTable pinned against independent numpy: np.interp for encoding (it
clamps to the end vertices, as colour_at must, whatever the parameters' own range), a
brute-force nearest-segment projection for decoding, and hand-made cases for the edges."""

from __future__ import annotations

import numpy as np

from core.depth.colour_path import ColourPath, DecodeTable, mask_far


def _interp(path_vertices: np.ndarray, params: np.ndarray, f: np.ndarray) -> np.ndarray:
    return np.stack([np.interp(f, params, path_vertices[:, c]) for c in range(3)], axis=-1)


def test_colour_at_is_np_interp_with_parameters_inside_zero_one() -> None:
    # Parameters 0.2 .. 0.8: below 0.2 the first vertex, above 0.8 the last (np.interp's
    # clamping); f outside [0, 1] is clipped first, which changes nothing here.
    vertices = np.array([[0.7, 0.2, 0.0], [0.1, 0.9, 0.4], [1.0, 0.3, 0.6]])
    params = np.array([0.2, 0.5, 0.8])
    path = ColourPath(vertices, params)
    f = np.array([-0.5, 0.0, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 1.0, 1.5])
    np.testing.assert_allclose(path.colour_at(f), _interp(vertices, params, f), atol=1e-15)
    np.testing.assert_array_equal(path.colour_at(np.array(0.1)), vertices[0])


def test_a_vertex_parameter_gives_the_vertex_exactly() -> None:
    # 0.7 + (0.1 - 0.7) is not 0.1 in floating point: at f = params[1] the colour must be
    # vertex 1 itself (the segment that starts there), not the end of segment 0.
    vertices = np.array([[0.7, 0.2, 0.0], [0.1, 0.9, 0.0], [1.0, 1.0, 1.0]])
    assert 0.7 + (0.1 - 0.7) != 0.1
    path = ColourPath(vertices, np.array([0.0, 0.5, 1.0]))
    np.testing.assert_array_equal(path.colour_at(np.array(0.5)), vertices[1])


def _brute_project(vertices, params, rgb):
    best_d = np.full(len(rgb), np.inf)
    best_f = np.zeros(len(rgb))
    for k in range(len(vertices) - 1):
        a, d = vertices[k], vertices[k + 1] - vertices[k]
        t = np.clip((rgb - a) @ d / (d @ d), 0.0, 1.0)
        dist = np.linalg.norm(rgb - (a + t[:, None] * d), axis=1)
        better = dist < best_d
        best_d[better] = dist[better]
        best_f[better] = params[k] + t[better] * (params[k + 1] - params[k])
    return best_f, best_d


def test_project_more_than_two_chunks_of_colours_in_one_call() -> None:
    # 16,385 colours: more than two 8,192-colour chunks, the last one a single colour.
    rgb = np.random.default_rng(7).random((16_385, 3))
    path = ColourPath.from_corners()
    f, dist = path.project(rgb)
    ref_f, ref_d = _brute_project(path.vertices, path.params, rgb)
    np.testing.assert_allclose(dist, ref_d, atol=1e-9)
    np.testing.assert_allclose(f, ref_f, atol=1e-9)


def test_lookup_of_black_is_black_not_its_neighbour() -> None:
    # Code 0 is black, the path's first corner (K): f = 0 at distance 0. Code 1 is
    # (0, 0, 1/255), 1/255 away from the path.
    table = DecodeTable(ColourPath.from_corners(), lambda f: f)
    value, dist = table.lookup(np.array([0, 1], dtype=np.uint32))
    assert value[0] == 0.0 and dist[0] == 0.0
    assert abs(dist[1] - 1 / 255) < 1e-3


def test_mask_far_with_an_empty_scratch_buffer_allocates_its_own() -> None:
    value = np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32)
    distance = np.array([0.0, 0.5, 0.2, 0.21], dtype=np.float32)
    mask_far(value, distance, 0.2, np.empty(0, dtype=bool))
    np.testing.assert_array_equal(value, np.array([1.0, np.nan, 3.0, np.nan], dtype=np.float32))


def test_float32_input_is_taken_as_its_float64_values() -> None:
    # The path works in float64: float32 vertices, parameters or colours give exactly what
    # their float64 values give (float32 arithmetic would round 0.7 - 0.1 differently).
    vertices = np.array(
        [[0.7, 0.1, 0.3], [0.1, 0.7, 0.9], [0.35, 0.95, 0.05], [0.2, 0.4, 0.8]], dtype=np.float32
    )
    # float32 0.7 - 0.1 is not the float64 difference of the same two numbers.
    params = np.array([0.0, 0.1, 0.7, 1.0], dtype=np.float32)
    assert np.float64(params[2] - params[1]) != np.float64(params[2]) - np.float64(params[1])
    wide = ColourPath(vertices.astype(np.float64), params.astype(np.float64))
    narrow = ColourPath(vertices, params)
    f = np.linspace(0.0, 1.0, 101)
    np.testing.assert_array_equal(narrow.colour_at(f), wide.colour_at(f))
    rgb = np.random.default_rng(3).random((500, 3)).astype(np.float32)
    for got, want in zip(narrow.project(rgb), wide.project(rgb.astype(np.float64)), strict=True):
        np.testing.assert_array_equal(got, want)
    for got, want in zip(wide.project(rgb), wide.project(rgb.astype(np.float64)), strict=True):
        np.testing.assert_array_equal(got, want)
