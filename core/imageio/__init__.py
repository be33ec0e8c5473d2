"""The one entrance through which IRIS decodes and writes images.

Decoding is an allow-list of formats recognised by content, with size limits
checked from the header before any pixel and bounded reads; see
:mod:`core.imageio.decode` for the policies. Every other module asks here.
"""

from core.imageio.decode import (
    EXIF_ORIENTATION_TAG,
    ImageInfo,
    LoadedImage,
    load_image,
    read_image_file,
    read_info,
)
from core.imageio.encode import encode_png, jpeg_round_trip, save_png, to_uint
from core.imageio.formats import ALLOWED_FORMATS, ImageFormat, format_named
from core.imageio.header import ImageSource, max_file_bytes
from core.imageio.native import NativeImage, load_native, load_preview, read_exif, read_png_text

__all__ = [
    "ALLOWED_FORMATS",
    "EXIF_ORIENTATION_TAG",
    "ImageFormat",
    "ImageInfo",
    "ImageSource",
    "LoadedImage",
    "NativeImage",
    "encode_png",
    "jpeg_round_trip",
    "load_native",
    "load_preview",
    "read_exif",
    "read_png_text",
    "format_named",
    "load_image",
    "max_file_bytes",
    "read_image_file",
    "read_info",
    "save_png",
    "to_uint",
]
