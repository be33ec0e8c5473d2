"""Colour paths through the RGB cube and their table-driven inverse.

A false-colour depth map walks a polyline in RGB as its parameter ``f`` goes
from 0 (near) to 1 (far). Encoding interpolates along the polyline; decoding
projects a colour onto the nearest segment. Decoding a whole image does that
projection once per distinct 8-bit colour: a 2^24-entry table (``f`` and the
distance to the path) is filled lazily with the colours an image contains, so
later images cost one array gather per pixel.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from core.depth.defaults import DEFAULT_CORNERS
from core.errors import IrisError

#: The RGB-cube corners by letter, as in the Vision Banana prompt (K = black, W = white).
CORNERS = {
    "K": (0, 0, 0),
    "R": (1, 0, 0),
    "Y": (1, 1, 0),
    "G": (0, 1, 0),
    "C": (0, 1, 1),
    "B": (0, 0, 1),
    "M": (1, 0, 1),
    "W": (1, 1, 1),
}
TABLE_SIZE = 1 << 24
STEPS_PER_EDGE = 255  # 8-bit levels along one cube edge
UNKNOWN = -1.0  # table entries not projected yet (depth is never negative)
_CHUNK = 8192


def corner_vertices(order: str) -> np.ndarray:
    """The (8, 3) float64 corners named by ``order``, a permutation of KRYGCBMW."""
    order = order.strip().upper()
    if sorted(order) != sorted(DEFAULT_CORNERS):
        raise IrisError(
            f"corner order {order!r} must use each of the 8 letters {DEFAULT_CORNERS} once"
        )
    return np.array([CORNERS[letter] for letter in order], dtype=np.float64)


def pack_rgb(image: np.ndarray) -> np.ndarray:
    """24-bit codes ``R << 16 | G << 8 | B`` of an (H, W, 3) uint8 image, as uint32 (H, W).

    The bytes are laid out B, G, R, 0 and read as little-endian uint32, which is
    about twice as fast as shifting and or-ing three channels.
    """
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] < 3:
        raise IrisError(f"expected an (H, W, 3) uint8 image, got {image.dtype} {image.shape}")
    packed = np.zeros((*image.shape[:2], 4), dtype=np.uint8)
    packed[..., 0] = image[..., 2]
    packed[..., 1] = image[..., 1]
    packed[..., 2] = image[..., 0]
    codes = packed.view("<u4")[..., 0]
    return codes if codes.dtype == np.uint32 else codes.astype(np.uint32)


@dataclass
class ColourPath:
    """A polyline ``vertices`` (n, 3) in [0, 1] RGB with increasing parameters ``params`` (n,)."""

    vertices: np.ndarray
    params: np.ndarray
    name: str = "path"

    def __post_init__(self) -> None:
        self.vertices = np.asarray(self.vertices, dtype=np.float64)
        self.params = np.asarray(self.params, dtype=np.float64)
        if len(self.vertices) < 2 or len(self.vertices) != len(self.params):
            raise IrisError(f"colour path {self.name!r} needs matching vertices and parameters")
        self._start = self.vertices[:-1]
        self._dir = np.diff(self.vertices, axis=0)
        self._len2 = np.maximum((self._dir**2).sum(axis=1), 1e-18)

    # -- construction ------------------------------------------------------------------------

    @classmethod
    def from_corners(cls, order: str = DEFAULT_CORNERS) -> ColourPath:
        """The 7 cube edges (or diagonals) through the corners ``order``, equally spaced in f."""
        vertices = corner_vertices(order)
        return cls(vertices, np.linspace(0.0, 1.0, len(vertices)), name=order.upper())

    @classmethod
    def from_table(cls, table: np.ndarray, name: str) -> ColourPath:
        """A colour map's entries as they appear in 8-bit images; repeated entries merge.

        Entry i stands for f = i / (n - 1). Two neighbours that round to the same
        8-bit colour cannot be told apart, so they become one vertex at their mean f.
        """
        rounded = np.round(np.asarray(table, dtype=np.float64)[:, :3] * 255.0) / 255.0
        params = np.linspace(0.0, 1.0, len(rounded))
        keep_vertices, keep_params = [rounded[0]], [[params[0]]]
        for vertex, param in zip(rounded[1:], params[1:], strict=True):
            if np.array_equal(vertex, keep_vertices[-1]):
                keep_params[-1].append(param)
            else:
                keep_vertices.append(vertex)
                keep_params.append([param])
        merged = np.array([np.mean(group) for group in keep_params])
        return cls(np.array(keep_vertices), merged, name=name)

    # -- encoding ----------------------------------------------------------------------------

    def colour_at(self, f: np.ndarray) -> np.ndarray:
        """RGB in [0, 1] (..., 3) at parameters ``f`` (clipped to [0, 1]), linearly interpolated."""
        f = np.clip(np.asarray(f, dtype=np.float64), 0.0, 1.0)
        k = np.clip(np.searchsorted(self.params, f, side="right") - 1, 0, len(self.params) - 2)
        span = self.params[k + 1] - self.params[k]
        u = np.clip((f - self.params[k]) / span, 0.0, 1.0)
        return self._start[k] + u[..., None] * self._dir[k]

    # -- decoding ----------------------------------------------------------------------------

    def project(self, rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Parameter f and RGB distance to the path of colours (n, 3) in [0, 1], exactly."""
        rgb = np.asarray(rgb, dtype=np.float64).reshape(-1, 3)
        f_out = np.empty(len(rgb))
        d_out = np.empty(len(rgb))
        a_dot_d = (self._start * self._dir).sum(axis=1)
        a_sq = (self._start**2).sum(axis=1)
        for lo in range(0, len(rgb), _CHUNK):
            c = rgb[lo : lo + _CHUNK]
            c_dot_d = c @ self._dir.T
            t = np.clip((c_dot_d - a_dot_d) / self._len2, 0.0, 1.0)
            c_sq = (c**2).sum(axis=1, keepdims=True)
            dist2 = c_sq - 2.0 * (c @ self._start.T) + a_sq - 2.0 * t * (c_dot_d - a_dot_d)
            dist2 += t * t * self._len2
            k = np.argmin(dist2, axis=1)
            rows = np.arange(len(c))
            tk = t[rows, k]
            f_out[lo : lo + len(c)] = self.params[k] + tk * (self.params[k + 1] - self.params[k])
            d_out[lo : lo + len(c)] = np.sqrt(np.maximum(dist2[rows, k], 0.0))
        return f_out, d_out


class DecodeTable:
    """A lazily filled 2^24 table: packed colour -> (value, distance to the path).

    ``to_value`` maps the path parameter f to what the table stores (depth in
    metres, never negative). Unfilled entries hold -1, so one gather finds both
    the values and the colours still to project; each distinct colour is
    projected once, the first time an image contains it.
    """

    def __init__(self, path: ColourPath, to_value) -> None:
        self.path = path
        self.to_value = to_value
        self._value = np.full(TABLE_SIZE, UNKNOWN, dtype=np.float32)
        self._distance = np.zeros(TABLE_SIZE, dtype=np.float16)
        self._lock = threading.Lock()

    def _fill(self, missing: np.ndarray) -> None:
        rgb = np.stack([(missing >> 16) & 255, (missing >> 8) & 255, missing & 255], axis=1)
        f, dist = self.path.project(rgb / 255.0)
        self._value[missing] = self.to_value(f)
        self._distance[missing] = dist

    def lookup(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Stored value (float32) and distance (float32) of every code (uint32, < 2^24)."""
        with self._lock:
            values = np.take(self._value, codes, mode="clip")
            unknown = values < 0
            if unknown.any():
                self._fill(np.unique(codes[unknown]).astype(np.int64))
                values[unknown] = np.take(self._value, codes[unknown])
            distance = np.take(self._distance, codes, mode="clip").astype(np.float32)
        return values, distance
