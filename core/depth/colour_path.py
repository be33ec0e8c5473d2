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


#: Pixels per block of the fused decode: its buffers (~2 MB in all) stay in cache, and the
#: Python calls per block (about twenty) stay negligible next to the work.
BLOCK_PIXELS = 1 << 16


def table_index(codes: np.ndarray) -> np.ndarray:
    """The table's own index of :func:`pack_rgb` codes: the bytes R, G, B read little-endian.

    The table is laid out in that order because it is what three bytes of an RGB image
    already are (``R | G << 8 | B << 16``): a block of pixels becomes indices with one
    unaligned read and one ``and``, no byte shuffling.
    """
    codes = np.asarray(codes).astype(np.int64)
    return ((codes & 0xFF) << 16) | (codes & 0xFF00) | ((codes >> 16) & 0xFF)


def _rgb_of_index(index: np.ndarray) -> np.ndarray:
    """(n, 3) RGB in [0, 1] of table indices (inverse of :func:`table_index` and pack_rgb)."""
    return np.stack([index & 255, (index >> 8) & 255, (index >> 16) & 255], axis=1) / 255.0


def _block_indices(block: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Table indices (int64, written into ``out``) of a C-contiguous uint8 block of pixels.

    (h, w) grey, (h, w, 3) RGB or (h, w, 4) RGBA (alpha ignored); three-channel pixels
    are read as overlapping little-endian uint32 at a stride of 3 bytes, masked to 24 bits.
    """
    n = block.shape[0] * block.shape[1]
    out = out[:n]
    if block.ndim == 2:
        np.multiply(block.reshape(-1), 0x010101, out=out, dtype=np.int64)
    elif block.shape[2] == 4:
        np.bitwise_and(block.reshape(-1).view("<u4"), 0xFFFFFF, out=out, casting="unsafe")
    else:
        raw = block.reshape(-1)
        if n > 1:  # every pixel but the last: its 4-byte read would pass the end
            words = np.ndarray((n - 1,), dtype="<u4", buffer=raw, strides=(3,))
            np.bitwise_and(words, 0xFFFFFF, out=out[:-1], casting="unsafe")
        r, g, b = (int(v) for v in raw[-3:])
        out[-1] = r | g << 8 | b << 16
    return out


class DecodeTable:
    """A lazily filled 2^24 table: colour -> (value, distance to the path), 8 bytes an entry.

    ``to_value`` maps the path parameter f to what the table stores (depth in
    metres, never negative). Each entry holds the value (float32) and the distance
    (float16 precision, stored as float32) side by side, so one gather fetches both
    from one cache line. Unfilled entries have distance -1, so the gather itself
    finds the colours still to project; each distinct colour is projected once,
    the first time an image contains it.
    """

    def __init__(self, path: ColourPath, to_value) -> None:
        self.path = path
        self.to_value = to_value
        unknown = np.array([UNKNOWN, UNKNOWN], dtype=np.float32).view(np.uint64)[0]
        self._entries = np.full(TABLE_SIZE, unknown, dtype=np.uint64)
        self._pairs = self._entries.view(np.float32).reshape(TABLE_SIZE, 2)
        self._lock = threading.Lock()

    def _fill(self, missing: np.ndarray) -> None:
        """Project the table indices ``missing`` (int64, distinct) and store their entries."""
        f, dist = self.path.project(_rgb_of_index(missing))
        self._pairs[missing, 0] = self.to_value(f)
        self._pairs[missing, 1] = dist.astype(np.float16)

    def lookup(self, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Stored value (float32) and distance (float32) of every code (uint32, < 2^24)."""
        index = table_index(np.clip(np.asarray(codes, dtype=np.int64), 0, TABLE_SIZE - 1))
        with self._lock:
            pairs = self._pairs[index]
            unknown = pairs[..., 1] < 0
            if unknown.any():
                self._fill(np.unique(index[unknown]))
                pairs[unknown] = self._pairs[index[unknown]]
        return np.ascontiguousarray(pairs[..., 0]), np.ascontiguousarray(pairs[..., 1])

    def decode(
        self, pixels: np.ndarray, max_distance: float | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Value and distance (float32 (H, W)) of uint8 pixels, NaN where distance > max_distance.

        Fused and blocked: each block of rows goes from pixels to indices, one gather
        and the split into the two outputs while it is in cache, so no array the size
        of the image is made besides the two results. ``pixels`` is (H, W) grey or
        (H, W, 3+) uint8. Blocks with colours not yet in the table are decoded again
        after one projection of all the new colours.
        """
        height, width = pixels.shape[:2]
        value = np.empty((height, width), dtype=np.float32)
        distance = np.empty((height, width), dtype=np.float32)
        if value.size == 0:
            return value, distance
        rows = max(1, BLOCK_PIXELS // max(width, 1))
        index = np.empty(rows * width, dtype=np.int64)
        entries = np.empty(rows * width, dtype=np.uint64)
        pairs = entries.view(np.float32).reshape(-1, 2)
        far = np.empty(rows * width, dtype=bool)
        if pixels.ndim == 3 and pixels.shape[2] not in (3, 4):
            pixels = pixels[..., :3]

        def gather(top: int) -> np.ndarray:
            """Gather the block of rows from ``top``; its distances go straight to the output."""
            block = np.ascontiguousarray(pixels[top : top + rows])
            ix = _block_indices(block, index)
            np.take(self._entries, ix, out=entries[: len(ix)], mode="clip")
            np.copyto(distance[top : top + rows].reshape(-1), pairs[: len(ix), 1])
            return ix

        def finish(top: int, n: int) -> None:
            """Copy the block's values out, masked by its distances."""
            block_value = value[top : top + rows].reshape(-1)
            np.copyto(block_value, pairs[:n, 0])
            if max_distance is not None:
                mask_far(block_value, distance[top : top + rows].reshape(-1), max_distance, far)

        with self._lock:
            redo: list[int] = []
            pending = None  # one flag per table entry: a set of new colours without sorting
            for top in range(0, height, rows):
                ix = gather(top)
                block_distance = distance[top : top + rows].reshape(-1)
                if block_distance.min() < 0:
                    if pending is None:
                        pending = np.zeros(TABLE_SIZE, dtype=bool)
                    pending[ix[block_distance < 0]] = True
                    redo.append(top)
                else:
                    finish(top, len(ix))
            if pending is not None:
                self._fill(np.flatnonzero(pending))
                for top in redo:
                    finish(top, len(gather(top)))
        return value, distance


def mask_far(
    value: np.ndarray, distance: np.ndarray, max_distance: float, scratch: np.ndarray | None = None
) -> None:
    """Set ``value`` to NaN (in place) where ``distance > max_distance``, block by block.

    A block whose largest distance is within the limit (most of a clean map) costs one
    ``max``; only blocks with far colours pay for the comparison and the masked write.
    """
    flat_value, flat_distance = value.reshape(-1), distance.reshape(-1)
    if flat_value.size == 0:
        return
    if scratch is None or len(scratch) == 0:
        scratch = np.empty(min(BLOCK_PIXELS, flat_value.size), dtype=bool)
    step = len(scratch)
    for lo in range(0, flat_value.size, step):
        d = flat_distance[lo : lo + step]
        if not d.max() > max_distance:  # NaN-free by construction; also true for NaN limits
            continue
        far = scratch[: len(d)]
        np.greater(d, max_distance, out=far)
        np.copyto(flat_value[lo : lo + step], np.float32(np.nan), where=far)
