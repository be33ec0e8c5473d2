"""Ground truth for evaluating decoded maps: depth and normal files read through the safe readers.

Depth ground truth is a 16-bit PNG (integer units, ``scale`` metres per unit,
1/1000 by default; 0 = no measurement), a ``.npy`` of metres, or a TIFF (float:
metres; integer: units times ``scale``). Normal ground truth is an ``.npy`` of
(H, W, 3) camera-frame vectors or an 8-bit RGB image painted as
:mod:`core.depth.normals` decodes it. Every file goes through
:mod:`core.imageio` or :mod:`core.depth.raw_headers`; nothing here opens a file
itself. :func:`resize_to_shape` brings a decoded map to the ground truth's size.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from core.depth.defaults import DEFAULT_GT_SCALE, RESIZE_FILTERS
from core.errors import IrisError


def _depth_from_npy(path: Path, scale: float) -> np.ndarray:
    from core.depth.raw_headers import load_npy

    values = load_npy(path)
    if values.ndim == 3:
        if values.shape[2] != 1:
            raise IrisError(f"{path}: depth ground truth must be (H, W), got {values.shape}")
        values = values[..., 0]
    return values.astype(np.float32)


def _depth_from_image(path: Path, scale: float) -> np.ndarray:
    from core.imageio import load_native

    values = load_native(path).values
    if values.ndim != 2:
        raise IrisError(f"{path}: depth ground truth must be a single-channel image")
    if values.dtype.kind == "f":
        return values.astype(np.float32)
    if values.dtype.kind not in "ui":
        raise IrisError(f"{path}: depth ground truth holds {values.dtype}, not numbers")
    depth = values.astype(np.float32) * np.float32(scale)
    depth[values == 0] = np.nan  # 0 is "no measurement" in integer depth files
    return depth


def _depth_from_exr(path: Path, _scale: float) -> np.ndarray:
    """OpenEXR truth is float metres already (the benchmarks' convention): no scale."""
    from core.depth.raw import ExrCodec

    return ExrCodec().decode_file(path).depth.astype(np.float32, copy=False)


DEPTH_READERS = {
    ".exr": _depth_from_exr,
    ".npy": _depth_from_npy,
    ".png": _depth_from_image,
    ".tif": _depth_from_image,
    ".tiff": _depth_from_image,
}


def load_depth_gt(path: str | Path, *, scale: float = DEFAULT_GT_SCALE) -> np.ndarray:
    """Ground-truth depth in metres, float32 (H, W); NaN where the file has no measurement."""
    path = Path(path)
    if not scale > 0 or not np.isfinite(scale):
        raise IrisError(f"ground-truth scale must be a positive number of metres, got {scale}")
    reader = DEPTH_READERS.get(path.suffix.lower())
    if reader is None:
        raise IrisError(
            f"{path}: depth ground truth must be one of {', '.join(sorted(DEPTH_READERS))}"
        )
    return reader(path, scale)


def load_normals_gt(path: str | Path) -> np.ndarray:
    """Ground-truth unit normals (H, W, 3) float32, camera frame; NaN where invalid.

    An ``.npy`` holds the vectors (zero or non-finite vectors are invalid); any
    other file is an RGB image decoded with the default normal convention.
    """
    path = Path(path)
    if path.suffix.lower() == ".npy":
        from core.depth.raw_headers import load_npy

        values = load_npy(path).astype(np.float32)
        if values.ndim != 3 or values.shape[2] != 3:
            raise IrisError(f"{path}: normal ground truth must be (H, W, 3), got {values.shape}")
        length = np.sqrt((values * values).sum(axis=2))
        valid = np.isfinite(length) & (length > 0.5)
        with np.errstate(invalid="ignore", divide="ignore"):
            normals = values / length[..., None]
        normals[~valid] = np.nan
        return normals
    from core.depth.normals import decode_normals
    from core.imageio import load_image

    return decode_normals(load_image(path).pixels).normals


def resize_to_shape(values: np.ndarray, shape: tuple[int, int], filter: str) -> np.ndarray:
    """``values`` (H, W) or (H, W, C) resized to ``shape`` (rows, columns) with ``filter``.

    Non-finite samples (sky, masked) never blend into finite ones: where a
    filtered pixel draws on any non-finite sample it takes the nearest sample
    instead, so sky stays sky and a mask stays a mask.
    """
    if filter not in RESIZE_FILTERS:
        raise IrisError(f"unknown resize filter {filter!r}; known: {', '.join(RESIZE_FILTERS)}")
    if values.shape[:2] == tuple(shape):
        return values
    import cv2

    size = (int(shape[1]), int(shape[0]))
    values = np.ascontiguousarray(values, dtype=np.float32)
    nearest = cv2.resize(values, size, interpolation=cv2.INTER_NEAREST)
    if filter == "nearest":
        return nearest
    interpolation = cv2.INTER_LINEAR if filter == "linear" else cv2.INTER_AREA
    finite = np.isfinite(values)
    if finite.ndim == 3:
        finite = finite.all(axis=2)
    zeroed = np.where(finite[..., None] if values.ndim == 3 else finite, values, 0.0)
    blended = cv2.resize(zeroed.astype(np.float32), size, interpolation=interpolation)
    weight = cv2.resize(finite.astype(np.float32), size, interpolation=interpolation)
    clean = weight > 1.0 - 1e-4
    if values.ndim == 3:
        clean = clean[..., None]
    return np.where(clean, blended, nearest).astype(np.float32)


def _by_stem(folder: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        if path.stem in found:
            raise IrisError(f"{folder}: {found[path.stem].name} and {path.name} share a name")
        found[path.stem] = path
    return found


def pair_paths(pred: str | Path, gt: str | Path) -> tuple[list[tuple[Path, Path]], list[str]]:
    """(prediction, ground truth) pairs, and the names left without a partner.

    Two files are one pair; two folders pair their files by name without the
    suffix (``a.png`` with ``a.npy``). A file with a folder is refused.
    """
    pred, gt = Path(pred), Path(gt)
    for path in (pred, gt):
        if not path.exists():
            raise IrisError(f"{path}: no such file or folder")
    if pred.is_dir() != gt.is_dir():
        raise IrisError(f"{pred} and {gt}: give two files or two folders")
    if not pred.is_dir():
        return [(pred, gt)], []
    preds, truths = _by_stem(pred), _by_stem(gt)
    pairs = [(preds[stem], truths[stem]) for stem in preds if stem in truths]
    unpaired = sorted(set(preds).symmetric_difference(truths))
    if not pairs:
        raise IrisError(f"{pred} and {gt}: no file names in common")
    return pairs, unpaired
