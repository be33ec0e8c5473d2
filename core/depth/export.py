"""Writing what a depth decoding produced: one function for ``iris depth`` and the Depth view.

Kinds: ``depth`` (the (H, W) float32 metres as ``.npy``), ``ply`` (binary PLY point
cloud with colours) and ``points`` (an (N, 6) float32 ``.npy``: x, y, z, r, g, b).
Every file is written atomically; a file that cannot be written is an IrisError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from core.depth.pointcloud import npy_bytes, save_npy, save_ply
from core.depth.unproject import PointCloud
from core.errors import IrisError
from core.files import write_atomic
from core.jobs import no_progress


def save_depth(path: Path, depth: np.ndarray) -> Path:
    """Write ``depth`` as an (H, W) float32 ``.npy`` of metres (NaN masked, +inf sky)."""
    write_atomic(path, npy_bytes(np.asarray(depth, dtype=np.float32)))
    return path


@dataclass(frozen=True)
class ExportKind:
    """One kind of export: its button label, its file-dialog filter and its writer."""

    label: str
    file_filter: str
    write: Callable[[Path, np.ndarray, PointCloud], object]


EXPORTS: dict[str, ExportKind] = {
    "depth": ExportKind(
        "Save depth (.npy)...", "Depth (*.npy)", lambda path, depth, _: save_depth(path, depth)
    ),
    "ply": ExportKind("Export PLY...", "PLY (*.ply)", lambda path, _, cloud: save_ply(path, cloud)),
    "points": ExportKind(
        "Export points (.npy)...", "Points (*.npy)", lambda path, _, cloud: save_npy(path, cloud)
    ),
}


def export(
    kind: str,
    path: str | Path,
    depth: np.ndarray,
    cloud: PointCloud,
    *,
    progress=no_progress,
    cancel=None,
) -> Path:
    """Write ``kind`` (depth, ply, points) of ``depth`` / ``cloud`` to ``path``; returns it."""
    try:
        writer = EXPORTS[kind].write
    except KeyError:
        raise IrisError(f"unknown depth export {kind!r}; known: {', '.join(EXPORTS)}") from None
    path = Path(path)
    progress(0, 1)
    try:
        writer(path, depth, cloud)
    except OSError as exc:
        raise IrisError(f"{path}: cannot write ({exc.strerror or exc})") from exc
    progress(1, 1)
    return path
