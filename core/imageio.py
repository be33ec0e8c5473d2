"""Image reading and writing in one canonical form.

Every image IRIS computes on is float32 RGB in [0, 1], shape (H, W, 3), with
EXIF orientation applied. Policies, stated once:

- **Alpha** is returned separately (:attr:`LoadedImage.alpha`, float32 (H, W))
  and the colour channels are kept un-composited, as ``PIL.Image.convert("RGB")``
  and pyiqa do, so scores match pyiqa's own loading.
- **Bit depth**: 8-bit sources are divided by 255, 16-bit by 65535 (16-bit
  colour PNG/TIFF are decoded with OpenCV because Pillow truncates them to 8 bits).
- **Colour profiles** are not applied; their presence is reported in
  :class:`ImageInfo` so a user can tell why colours differ from another viewer.
- **Size**: images above ``max_pixels`` (default 256 MP, ``IRIS_MAX_PIXELS``)
  are refused from the header alone, before any pixel is decoded.

Every failure raises :class:`core.errors.ImageLoadError` naming the source and
the reason.
"""

from __future__ import annotations

import io
import os
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

from core.errors import ImageLoadError
from core.limits import max_pixels_from_env

# IRIS checks sizes itself, from the header, against a limit the user can set;
# Pillow's fixed guard would refuse first with a message that names no file.
Image.MAX_IMAGE_PIXELS = None
EXIF_ORIENTATION_TAG = 0x0112
ImageSource = str | os.PathLike | bytes

# Pillow modes that carry transparency and are expanded through RGBA.
_ALPHA_MODES = {"LA", "La", "PA", "RGBA", "RGBa"}
# Pillow modes converted to RGB through Pillow itself (8 bits per channel).
_EIGHT_BIT_MODES = {"1", "L", "P", "RGB", "RGBX", "CMYK", "YCbCr", "LAB", "HSV"} | _ALPHA_MODES
_SIXTEEN_BIT_GRAY_MODES = {"I;16", "I;16L", "I;16B", "I;16N", "I"}


@dataclass(frozen=True)
class ImageInfo:
    """What a file says about itself, read from its header."""

    source: str
    format: str
    width: int
    height: int
    bit_depth: int
    mode: str
    has_alpha: bool
    has_icc: bool
    has_exif: bool
    exif_orientation: int = 1

    @property
    def pixels(self) -> int:
        return self.width * self.height


@dataclass
class LoadedImage:
    """Pixels in canonical form plus the header facts they came with."""

    pixels: np.ndarray
    info: ImageInfo
    alpha: np.ndarray | None = None

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])


def _source_name(source: ImageSource, name: str | None) -> str:
    if name:
        return name
    return "<bytes>" if isinstance(source, bytes | bytearray) else str(source)


def _read_bytes(source: ImageSource, label: str) -> bytes:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        path = Path(source)
        if not path.exists():
            raise ImageLoadError(label, "missing", "no such file")
        if path.is_dir():
            raise ImageLoadError(label, "not-an-image", "is a folder")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImageLoadError(label, "unreadable", exc.strerror or str(exc)) from exc
    if not data:
        raise ImageLoadError(label, "empty", "0 bytes")
    return data


def _open(data: bytes, label: str) -> Image.Image:
    try:
        return Image.open(io.BytesIO(data))
    except UnidentifiedImageError as exc:
        raise ImageLoadError(label, "not-an-image", "no known image format recognised") from exc
    except (OSError, SyntaxError, ValueError, struct.error) as exc:
        raise ImageLoadError(label, "corrupt", str(exc)) from exc


def _stored_bit_depth(im: Image.Image, data: bytes) -> int:
    if im.format == "PNG" and len(data) > 25:
        return int(data[24])  # IHDR bit depth
    if im.format == "TIFF":
        bits = im.tag_v2.get(258)  # BitsPerSample
        if bits:
            return int(bits[0] if isinstance(bits, tuple) else bits)
    if im.mode in _SIXTEEN_BIT_GRAY_MODES:
        return 16
    if im.mode == "F":
        return 32
    return 8


def _has_alpha(im: Image.Image) -> bool:
    return im.mode in _ALPHA_MODES or (im.mode in {"P", "L", "RGB"} and "transparency" in im.info)


def _info(im: Image.Image, data: bytes, label: str) -> ImageInfo:
    try:
        exif = im.getexif()
    except Exception:  # a damaged EXIF block must not stop the pixels from loading
        exif = {}
    orientation = int(exif.get(EXIF_ORIENTATION_TAG, 1) or 1)
    if orientation not in range(1, 9):
        orientation = 1
    width, height = im.size
    if orientation >= 5:
        width, height = height, width
    return ImageInfo(
        source=label,
        format=im.format or "unknown",
        width=width,
        height=height,
        bit_depth=_stored_bit_depth(im, data),
        mode=im.mode,
        has_alpha=_has_alpha(im),
        has_icc=bool(im.info.get("icc_profile")),
        has_exif=len(exif) > 0,
        exif_orientation=orientation,
    )


def _check_size(info: ImageInfo, max_pixels: int) -> None:
    if info.width < 1 or info.height < 1:
        raise ImageLoadError(
            info.source, "corrupt", f"header gives size {info.width}x{info.height}"
        )
    if info.pixels > max_pixels:
        raise ImageLoadError(
            info.source,
            "too-large",
            f"{info.width}x{info.height} = {info.pixels / 1e6:.1f} MP exceeds the limit of "
            f"{max_pixels / 1e6:.1f} MP (setting 'max pixels' or IRIS_MAX_PIXELS)",
        )


def read_info(source: ImageSource, *, name: str | None = None) -> ImageInfo:
    """Header facts of an image without decoding its pixels."""
    label = _source_name(source, name)
    data = _read_bytes(source, label)
    return _info(_open(data, label), data, label)


def _decode_with_pillow(im: Image.Image, label: str) -> tuple[np.ndarray, np.ndarray | None]:
    mode = im.mode
    if mode in _EIGHT_BIT_MODES:
        if _has_alpha(im):
            rgba = np.asarray(im.convert("RGBA"), dtype=np.float32) / 255.0
            return rgba[..., :3], rgba[..., 3]
        return np.asarray(im.convert("RGB"), dtype=np.float32) / 255.0, None
    if mode in _SIXTEEN_BIT_GRAY_MODES:
        gray = np.clip(np.asarray(im, dtype=np.float32) / 65535.0, 0.0, 1.0)
        return np.repeat(gray[..., None], 3, axis=2), None
    if mode == "F":
        gray = np.clip(np.asarray(im, dtype=np.float32), 0.0, 1.0)
        return np.repeat(gray[..., None], 3, axis=2), None
    raise ImageLoadError(label, "unsupported-mode", f"Pillow mode {mode!r}")


def _decode_with_opencv(data: bytes, label: str) -> tuple[np.ndarray, np.ndarray | None]:
    import cv2  # lazy: only 16-bit colour files need it

    array = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
    if array is None or array.size == 0:
        raise ImageLoadError(label, "corrupt", "the 16-bit decoder could not read the data")
    scale = float(np.iinfo(array.dtype).max) if array.dtype.kind in "ui" else 1.0
    array = array.astype(np.float32) / scale
    if array.ndim == 2:
        return np.repeat(array[..., None], 3, axis=2), None
    if array.shape[2] == 4:
        return array[..., 2::-1].copy(), array[..., 3].copy()
    return array[..., 2::-1].copy(), None


def _orient(array: np.ndarray, orientation: int) -> np.ndarray:
    """Apply an EXIF orientation (1-8) to an (H, W[, C]) array, as ``exif_transpose`` does."""
    swap = (1, 0, 2) if array.ndim == 3 else (1, 0)
    transforms = {
        1: lambda a: a,
        2: lambda a: a[:, ::-1],
        3: lambda a: a[::-1, ::-1],
        4: lambda a: a[::-1],
        5: lambda a: a.transpose(swap),
        6: lambda a: np.rot90(a, k=-1),
        7: lambda a: a[::-1, ::-1].transpose(swap),
        8: lambda a: np.rot90(a, k=1),
    }
    return np.ascontiguousarray(transforms[orientation](array))


def load_image(
    source: ImageSource, *, max_pixels: int | None = None, name: str | None = None
) -> LoadedImage:
    """Read ``source`` (a path or encoded bytes) into canonical float RGB.

    Raises :class:`ImageLoadError` with reason ``missing``, ``empty``,
    ``not-an-image``, ``truncated``, ``too-large``, ``unsupported-mode`` or ``corrupt``.
    """
    label = _source_name(source, name)
    limit = max_pixels if max_pixels is not None else max_pixels_from_env()
    data = _read_bytes(source, label)
    im = _open(data, label)
    info = _info(im, data, label)
    _check_size(info, limit)
    try:
        im.load()
    except OSError as exc:
        reason = "truncated" if "truncated" in str(exc).lower() else "corrupt"
        raise ImageLoadError(label, reason, str(exc)) from exc
    except (SyntaxError, ValueError, struct.error, EOFError) as exc:
        raise ImageLoadError(label, "corrupt", str(exc)) from exc

    if info.bit_depth == 16 and im.mode not in _SIXTEEN_BIT_GRAY_MODES:
        rgb, alpha = _decode_with_opencv(data, label)
    else:
        rgb, alpha = _decode_with_pillow(im, label)
    rgb = _orient(rgb.astype(np.float32, copy=False), info.exif_orientation)
    if alpha is not None:
        alpha = _orient(alpha.astype(np.float32, copy=False), info.exif_orientation)
    return LoadedImage(pixels=rgb, info=info, alpha=alpha)


def to_uint(pixels: np.ndarray, bit_depth: int = 8) -> np.ndarray:
    """Canonical float pixels to uint8 or uint16, rounded and clipped."""
    if bit_depth not in (8, 16):
        raise ValueError(f"bit depth must be 8 or 16, got {bit_depth}")
    top = 255.0 if bit_depth == 8 else 65535.0
    dtype = np.uint8 if bit_depth == 8 else np.uint16
    return np.round(np.clip(pixels, 0.0, 1.0) * top).astype(dtype)


def encode_png(pixels: np.ndarray, bit_depth: int = 8, compress_level: int = 4) -> bytes:
    """PNG bytes of an (H, W) or (H, W, 3) float image at 8 or 16 bits per channel."""
    if pixels.ndim not in (2, 3) or (pixels.ndim == 3 and pixels.shape[2] not in (3, 4)):
        raise ValueError(f"expected (H, W), (H, W, 3) or (H, W, 4) pixels, got {pixels.shape}")
    values = to_uint(pixels, bit_depth)
    if bit_depth == 8 or values.ndim == 2:
        buffer = io.BytesIO()  # uint8 -> L/RGB/RGBA, 2-D uint16 -> I;16
        Image.fromarray(values).save(buffer, format="PNG", compress_level=compress_level)
        return buffer.getvalue()
    import cv2  # Pillow cannot write 16-bit colour PNG

    bgr = values[..., 2::-1] if values.shape[2] == 3 else values[..., [2, 1, 0, 3]]
    ok, encoded = cv2.imencode(
        ".png", np.ascontiguousarray(bgr), [cv2.IMWRITE_PNG_COMPRESSION, compress_level]
    )
    if not ok:
        raise ValueError("OpenCV could not encode the 16-bit PNG")
    return encoded.tobytes()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file normal permissions
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_png(path: str | os.PathLike, pixels: np.ndarray, bit_depth: int = 8) -> None:
    """Save canonical float pixels as an 8- or 16-bit PNG, atomically."""
    write_atomic(path, encode_png(pixels, bit_depth))
