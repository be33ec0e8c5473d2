"""Raw depth files: 16-bit PNG in millimetres, NumPy ``.npy`` and OpenEXR in metres."""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
from PIL import Image

from core.depth.codecs import DepthDecoding
from core.errors import IrisError

MM_PER_M = 1000.0


def _finish(depth: np.ndarray, name: str, source: str | Path) -> DepthDecoding:
    depth = np.asarray(depth, dtype=np.float32)
    if depth.ndim == 3:
        depth = depth[..., 0]
    if depth.ndim != 2:
        raise IrisError(f"{source}: raw depth must be 2-D, got shape {depth.shape}")
    return DepthDecoding(depth, None, name, {"source": str(source)})


class Png16Codec:
    """Single-channel 16-bit PNG, millimetres; 0 means no measurement (NaN)."""

    kind = "raw"
    name = "png16"

    def __init__(self, **_ignored) -> None:
        pass

    def decode_file(self, path: str | Path, **_options) -> DepthDecoding:
        from core.imageio import load_native

        native = load_native(path)
        if native.values.ndim != 2:
            raise IrisError(f"{path}: not a single-channel 16-bit PNG (mode {native.info.mode})")
        values = native.values.astype(np.float32)
        depth = values / MM_PER_M
        depth[values == 0] = np.nan
        return _finish(depth, self.name, path)

    def encode(self, depth: np.ndarray) -> bytes:
        """PNG bytes: millimetres rounded, clipped to 1..65535 mm; NaN and inf become 0."""
        depth = np.asarray(depth, dtype=np.float64)
        mm = np.where(np.isfinite(depth), np.clip(np.round(depth * MM_PER_M), 1, 65535), 0)
        buffer = io.BytesIO()
        Image.fromarray(mm.astype(np.uint16)).save(buffer, format="PNG")
        return buffer.getvalue()


class NpyCodec:
    """A float array of metres saved with ``numpy.save``."""

    kind = "raw"
    name = "npy"

    def __init__(self, **_ignored) -> None:
        pass

    def decode_file(self, path: str | Path, **_options) -> DepthDecoding:
        from core.depth.raw_headers import load_npy

        return _finish(load_npy(path), self.name, path)

    def encode(self, depth: np.ndarray) -> bytes:
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(depth, dtype=np.float32))
        return buffer.getvalue()


def _exr_reader():
    """cv2 built with OpenEXR (enabled through OPENCV_IO_ENABLE_OPENEXR), or None.

    ``haveImageReader`` opens the file it is given (so a probe name always says no);
    ``haveImageWriter`` goes by extension, and OpenCV builds EXR reading and writing together.
    """
    os.environ.setdefault("OPENCV_IO_ENABLE_OPENEXR", "1")
    import cv2

    return cv2 if cv2.haveImageWriter("x.exr") else None


class ExrCodec:
    """OpenEXR depth in metres, read by OpenCV when it was built with OpenEXR."""

    kind = "raw"
    name = "exr"

    def __init__(self, **_ignored) -> None:
        pass

    def decode_file(self, path: str | Path, **_options) -> DepthDecoding:
        cv2 = _exr_reader()
        if cv2 is None:
            raise IrisError(f"{path}: no OpenEXR reader (this OpenCV build has no OpenEXR)")
        from core.depth.raw_headers import read_exr_bytes

        data = np.frombuffer(read_exr_bytes(path), np.uint8)
        array = cv2.imdecode(data, cv2.IMREAD_UNCHANGED | cv2.IMREAD_ANYDEPTH)
        if array is None:
            raise IrisError(f"{path}: OpenCV could not read this EXR file")
        return _finish(array, self.name, path)

    def encode(self, depth: np.ndarray) -> bytes:
        cv2 = _exr_reader()
        if cv2 is None:
            raise IrisError("no OpenEXR writer (this OpenCV build has no OpenEXR)")
        ok, data = cv2.imencode(".exr", np.asarray(depth, dtype=np.float32))
        if not ok:
            raise IrisError("OpenCV could not encode the EXR file")
        return data.tobytes()
