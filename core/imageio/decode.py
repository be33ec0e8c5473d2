"""Decoding an allowed image into IRIS's canonical float RGB.

Every image IRIS computes on is float32 RGB in [0, 1], shape (H, W, 3), with
its orientation applied. Policies, stated once:

- **Formats**: PNG, JPEG, WebP, BMP and TIFF, recognised by content
  (:mod:`core.imageio.formats`); nothing else is handed to a decoder.
- **Size**: images above ``max_pixels`` (default 256 MP, ``IRIS_MAX_PIXELS``)
  are refused from the header alone, before any pixel or metadata is decoded,
  and a file is read only up to what an image of its declared size can need
  (:mod:`core.imageio.header`).
- **Integrity**: every PNG chunk's CRC is checked (Pillow skips IDAT's).
- **Orientation**: the EXIF/TIFF orientation is applied exactly once (Pillow
  already rotates TIFFs on load; IRIS rotates the rest, and 16-bit colour TIFFs
  that OpenCV decodes).
- **Alpha** is returned separately (:attr:`LoadedImage.alpha`, float32 (H, W))
  and the colour channels are kept un-composited, as ``PIL.Image.convert("RGB")``
  and pyiqa do, so scores match pyiqa's own loading.
- **Bit depth**: 8-bit sources are divided by 255, 16-bit by 65535 (16-bit
  colour PNG/TIFF are decoded with OpenCV because Pillow truncates them to 8 bits).
- **Colour profiles** are not applied; their presence is reported in
  :class:`ImageInfo` so a user can tell why colours differ from another viewer.

Every failure raises :class:`core.errors.ImageLoadError` naming the source and
the reason.
"""

from __future__ import annotations

import functools
import struct
import warnings
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from core.errors import ImageLoadError
from core.imageio.header import (
    Header,
    ImageSource,
    opened_header,
    read_bytes,
    source_name,
)
from core.imageio.png_check import verify_png_chunks
from core.limits import max_pixels_from_env

EXIF_ORIENTATION_TAG = 0x0112

# Pillow modes that carry transparency and are expanded through RGBA.
_ALPHA_MODES = {"LA", "La", "PA", "RGBA", "RGBa"}
# Pillow modes converted to RGB through Pillow itself (8 bits per channel).
_EIGHT_BIT_MODES = {"1", "L", "P", "RGB", "RGBX", "CMYK", "YCbCr", "LAB", "HSV"} | _ALPHA_MODES
_SIXTEEN_BIT_GRAY_MODES = {"I;16", "I;16L", "I;16B", "I;16N", "I"}
# What a damaged file makes Pillow's decoders raise.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, TypeError, struct.error, EOFError, IndexError)


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
    data: bytes = field(default=b"", repr=False)  # the encoded file, exactly as read

    @property
    def height(self) -> int:
        return int(self.pixels.shape[0])

    @property
    def width(self) -> int:
        return int(self.pixels.shape[1])


def _stored_bit_depth(im: Image.Image) -> int:
    if im.format == "TIFF":
        bits = im.tag_v2.get(258, 1)  # BitsPerSample; absent means 1 (TIFF 6.0, and Pillow)
        if bits:
            return int(bits[0] if isinstance(bits, tuple) else bits)
    if im.mode in _SIXTEEN_BIT_GRAY_MODES:
        return 16
    if im.mode == "F":
        return 32
    return 8


def _has_alpha(im: Image.Image) -> bool:
    return im.mode in _ALPHA_MODES or (im.mode in {"P", "L", "RGB"} and "transparency" in im.info)


def _exif_without_pixels(im: Image.Image) -> Image.Exif | dict:
    """EXIF read from what the header parse saw; never triggers a pixel load.

    Pillow's PNG ``getexif()`` decodes the whole image when no eXIf chunk came
    before the image data, so for PNG only an early eXIf chunk counts (the PNG
    specification places it before IDAT).
    """
    if im.format == "PNG" and "exif" not in im.info:
        return {}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return im.getexif()
    except Exception:  # a damaged EXIF block must not stop the pixels from loading
        return {}


def _info(header: Header, label: str, bit_depth: int) -> ImageInfo:
    im = header.image
    exif = _exif_without_pixels(im)
    try:
        orientation = int(exif.get(EXIF_ORIENTATION_TAG, 1) or 1)
    except (TypeError, ValueError):
        orientation = 1
    if orientation not in range(1, 9):
        orientation = 1
    width, height = header.width, header.height
    if orientation >= 5:
        width, height = height, width
    return ImageInfo(
        source=label,
        format=header.format.name,
        width=width,
        height=height,
        bit_depth=bit_depth,
        mode=im.mode,
        has_alpha=_has_alpha(im),
        has_icc=bool(im.info.get("icc_profile")),
        has_exif=len(exif) > 0,
        exif_orientation=orientation,
    )


def _bit_depth(header: Header) -> int:
    if header.format.name == "PNG" and len(header.head) > 24:
        return int(header.head[24])  # IHDR bit depth
    return _stored_bit_depth(header.image)


def read_info(source: ImageSource, *, name: str | None = None) -> ImageInfo:
    """Header facts of an allowed image without decoding its pixels (reads only the header)."""
    label = source_name(source, name)
    with opened_header(source, label) as header:
        return _info(header, label, _bit_depth(header))


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
        gray = np.asarray(im, dtype=np.float32)
        gray = np.clip(np.nan_to_num(gray, nan=0.0, posinf=1.0, neginf=0.0), 0.0, 1.0)
        return np.repeat(gray[..., None], 3, axis=2), None
    raise ImageLoadError(label, "unsupported-mode", f"Pillow mode {mode!r}")


def _decode_with_opencv(data: bytes, label: str) -> tuple[np.ndarray, np.ndarray | None]:
    """16-bit colour PNG/TIFF, as stored: OpenCV applies no orientation with IMREAD_UNCHANGED."""
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


def _load_pixels(im: Image.Image, label: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # damaged metadata warnings; failures still raise
            im.load()
    except OSError as exc:
        reason = "truncated" if "truncated" in str(exc).lower() else "corrupt"
        raise ImageLoadError(label, reason, str(exc)) from exc
    except _DECODE_ERRORS as exc:
        raise ImageLoadError(label, "corrupt", str(exc) or type(exc).__name__) from exc
    except MemoryError as exc:
        raise ImageLoadError(label, "too-large", "not enough memory to decode it") from exc


def _pillow_oriented(im: Image.Image, orientation: int) -> bool:
    """Whether Pillow's own load already applied the orientation (its TIFF plugin does)."""
    return orientation != 1 and im.format == "TIFF" and EXIF_ORIENTATION_TAG not in im.tag_v2


@functools.cache
def _opencv_orients_tiff() -> bool:
    """Whether OpenCV's TIFF reader applies the Orientation tag itself, found on a 2x1 probe.

    libtiff's RGBA path rotates even under ``IMREAD_UNCHANGED``; asking the installed
    build once is safer than assuming either behaviour.
    """
    import cv2

    probe = np.array([[[0, 0, 65535], [0, 0, 0]]], np.uint16)  # red at left, in BGR
    ok, encoded = cv2.imencode(".tiff", probe, [cv2.IMWRITE_TIFF_COMPRESSION, 1])
    if not ok:
        return False
    data = encoded.tobytes()
    if data[:4] != b"II*\x00":
        return False
    mirrored = _with_tiff_orientation(data, 2)
    decoded = cv2.imdecode(np.frombuffer(mirrored, np.uint8), cv2.IMREAD_UNCHANGED)
    return decoded is not None and int(decoded[0, 1, 2]) == 65535


def _with_tiff_orientation(data: bytes, orientation: int) -> bytes:
    """A little-endian single-IFD TIFF with an Orientation entry appended to its IFD."""
    (ifd,) = struct.unpack_from("<I", data, 4)
    (count,) = struct.unpack_from("<H", data, ifd)
    entries = [data[ifd + 2 + 12 * i : ifd + 14 + 12 * i] for i in range(count)]
    entries.append(struct.pack("<HHII", EXIF_ORIENTATION_TAG, 3, 1, orientation))
    entries.sort(key=lambda entry: struct.unpack_from("<H", entry)[0])
    start = len(data) + len(data) % 2
    table = struct.pack("<H", len(entries)) + b"".join(entries) + struct.pack("<I", 0)
    padded = data + b"\x00" * (start - len(data))
    return padded[:4] + struct.pack("<I", start) + padded[8:] + table


@dataclass
class CheckedFile:
    """An image that passed every check before decoding: bytes, header, facts, its label."""

    label: str
    data: bytes
    header: Header
    info: ImageInfo

    @property
    def needs_opencv(self) -> bool:
        """16-bit colour: Pillow would truncate it to 8 bits."""
        return self.info.bit_depth == 16 and self.header.image.mode not in _SIXTEEN_BIT_GRAY_MODES


def read_checked(
    source: ImageSource, *, max_pixels: int | None = None, name: str | None = None
) -> CheckedFile:
    """The bounded, allow-listed, size- and CRC-checked file, ready for a decoder."""
    label = source_name(source, name)
    limit = max_pixels if max_pixels is not None else max_pixels_from_env()
    data, header = read_bytes(source, label, limit)
    if header.format.name == "PNG":
        verify_png_chunks(data, label)
    return CheckedFile(label, data, header, _info(header, label, _bit_depth(header)))


def load_image(
    source: ImageSource, *, max_pixels: int | None = None, name: str | None = None
) -> LoadedImage:
    """Read ``source`` (a path or encoded bytes) into canonical float RGB.

    Raises :class:`ImageLoadError` with reason ``missing``, ``empty``, ``unreadable``,
    ``not-an-image``, ``truncated``, ``too-large``, ``unsupported-mode`` or ``corrupt``.
    """
    checked = read_checked(source, max_pixels=max_pixels, name=name)
    label, data, info, im = checked.label, checked.data, checked.info, checked.header.image
    if checked.needs_opencv:
        rgb, alpha = _decode_with_opencv(data, label)
        oriented = info.format == "TIFF" and _opencv_orients_tiff()
    else:
        _load_pixels(im, label)
        rgb, alpha = _decode_with_pillow(im, label)
        oriented = _pillow_oriented(im, info.exif_orientation)
    if not oriented:
        rgb = _orient(rgb.astype(np.float32, copy=False), info.exif_orientation)
        if alpha is not None:
            alpha = _orient(alpha.astype(np.float32, copy=False), info.exif_orientation)
    if rgb.shape[:2] != (info.height, info.width):
        raise ImageLoadError(
            label,
            "corrupt",
            f"decoded {rgb.shape[1]}x{rgb.shape[0]} pixels, header says {info.width}x{info.height}",
        )
    return LoadedImage(rgb.astype(np.float32, copy=False), info, alpha, data)


def read_image_file(
    source: ImageSource, *, max_pixels: int | None = None, name: str | None = None
) -> bytes:
    """The encoded bytes of an allowed image, read only after its header passed the limits.

    For hashing or storing a file without decoding it; :func:`load_image` decodes.
    """
    label = source_name(source, name)
    limit = max_pixels if max_pixels is not None else max_pixels_from_env()
    return read_bytes(source, label, limit)[0]
