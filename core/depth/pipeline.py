"""The one depth pipeline of ``iris depth`` and the Depth view: decode, unproject, colour.

:func:`decode` is the only way a depth file becomes metres; it applies one
precedence rule for the codec (:func:`resolve_codec`) and returns the settings it
actually used. :func:`build_scene` adds the camera, the point cloud and its
colours. Both are plain core functions with ``progress`` and ``cancel``, so the
GUI runs them on the compute worker and the CLI and tests call them directly.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from core.depth.codecs import CODECS, DepthDecoding, make_codec, to_uint8_rgb
from core.depth.defaults import COLOUR_MODES, DEFAULT_CODEC, RAW_SUFFIXES
from core.depth.settings import DepthSettings
from core.depth.unproject import (
    Intrinsics,
    PointCloud,
    choose_intrinsics,
    depth_colours,
    depth_display_range,
    resize_to,
    unproject,
)
from core.errors import IrisError
from core.jobs import check_cancelled, no_progress

__all__ = ["DepthScene", "DepthSettings", "Decoded", "build_scene", "decode", "resolve_codec"]

DISPLAY_POINTS = 400_000  # the 3D view shows a random subset; exports use every point
CHOSEN = "chosen"  # how the codec was picked: by the user,
BY_FILE = "file"  # by what the file says it is,
BY_DEFAULT = "default"  # or the default codec


def file_codec(path: str | Path) -> str | None:
    """The codec a file says it needs: ``.npy``, ``.exr``, a 16-bit grey PNG; None for others."""
    suffix = Path(path).suffix.lower()
    if suffix in RAW_SUFFIXES:
        return RAW_SUFFIXES[suffix]
    if suffix == ".png":
        from core.imageio import read_info

        info = read_info(path)
        if info.bit_depth == 16 and info.mode.startswith("I"):
            return "png16"
    return None


def resolve_codec(path: str | Path, chosen: str | None = None) -> tuple[str, str]:
    """The codec that decodes ``path`` and why: the one precedence rule of CLI and GUI.

    1. the codec the user chose (``--colormap NAME``, the Depth view's Codec box
       other than "auto"), even where the file suggests another (a 16-bit grey PNG
       decoded as ``gray`` is a choice);
    2. what the file says it is: ``.npy`` -> npy, ``.exr`` -> exr, a single-channel
       16-bit PNG -> png16;
    3. the default codec, ``vision-banana``.

    A colour codec chosen for a ``.npy`` or ``.exr`` file is refused rather than
    ignored: those files hold metres, not colours.
    """
    if chosen:
        CODECS.get_name(chosen)  # an unknown name lists the known ones
        raw = RAW_SUFFIXES.get(Path(path).suffix.lower())
        if raw is not None and CODECS.meta(chosen).get("kind") == "colour":
            raise IrisError(
                f"{path}: a {raw} file holds depth, not colours; decode it as {raw} "
                f"(or leave the codec unset), not {chosen}"
            )
        return chosen, CHOSEN
    found = file_codec(path)
    if found is not None:
        return found, BY_FILE
    return DEFAULT_CODEC, BY_DEFAULT


@dataclass(frozen=True)
class Decoded:
    """A decoding, the settings actually used (``settings.codec`` is never None) and why."""

    decoding: DepthDecoding
    settings: DepthSettings
    chosen_by: str  # CHOSEN, BY_FILE or BY_DEFAULT


def decode(path: str | Path, settings: DepthSettings | None = None) -> Decoded:
    """Decode the depth file ``path`` to float32 metres with ``settings`` (see resolve_codec)."""
    settings = settings or DepthSettings()
    name, chosen_by = resolve_codec(path, settings.codec)
    codec = make_codec(name, **settings.codec_params())
    decoding = codec.decode_file(path, **settings.decode_options())
    return Decoded(decoding, replace(settings, codec=name), chosen_by)


@dataclass
class DepthScene:
    """Everything the Depth view shows: the decoding, the display images and the cloud."""

    decoding: DepthDecoding
    intrinsics: Intrinsics
    cloud: PointCloud
    colours: dict[str, np.ndarray]  # per point, for each mode asked: photo / depth / normal
    depth_image: np.ndarray  # (H, W, 3) uint8 false colour for display
    display_range: tuple[float, float]
    photo: np.ndarray | None
    display_index: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    settings: DepthSettings = field(default_factory=DepthSettings)  # as used (codec resolved)
    chosen_by: str = BY_DEFAULT


def build_scene(
    map_path: str | Path,
    photo_path: str | Path | None,
    settings: DepthSettings,
    *,
    colour_modes: Iterable[str] = COLOUR_MODES,
    progress=no_progress,
    cancel=None,
) -> DepthScene:
    """Decode ``map_path``, unproject it with ``photo_path`` for colours and EXIF focal length.

    ``colour_modes`` are the per-point colourings computed (the GUI switches between
    all three; the CLI asks for the one it writes).
    """
    from core.imageio import load_image

    modes = set(colour_modes)
    if unknown := modes - set(COLOUR_MODES):
        raise IrisError(f"colour modes {sorted(unknown)} unknown; known: {', '.join(COLOUR_MODES)}")
    progress(0, 4)
    decoded = decode(map_path, settings)
    depth = decoded.decoding.depth
    check_cancelled(cancel)
    progress(1, 4)
    height, width = depth.shape
    photo = None
    if photo_path is not None:
        photo = resize_to(to_uint8_rgb(load_image(photo_path).pixels), width, height)
    intrinsics = choose_intrinsics(
        width,
        height,
        intrinsics=settings.intrinsics,
        hfov_deg=settings.hfov_deg,
        photo=photo_path,
    )
    check_cancelled(cancel)
    progress(2, 4)
    depth_image = depth_colours(depth)
    cloud = unproject(
        depth,
        intrinsics,
        depth_kind=settings.depth_kind,
        photo=photo,
        colour_mode="photo" if photo is not None else "depth",
        depth_image=depth_image,
        cancel=cancel,
    )
    check_cancelled(cancel)
    progress(3, 4)
    colours = {}
    if modes & {"depth", "photo"}:
        colours["depth"] = depth_image.reshape(-1, 3)[cloud.pixels]
    if "photo" in modes:
        colours["photo"] = cloud.colours if photo is not None else colours["depth"]
    if "normal" in modes:
        colours["normal"] = cloud.grid.normal_colours()[cloud.pixels]
    colours = {mode: colours[mode] for mode in COLOUR_MODES if mode in modes}
    count = len(cloud)
    index = (
        np.sort(np.random.default_rng(0).choice(count, DISPLAY_POINTS, replace=False))
        if count > DISPLAY_POINTS
        else np.arange(count)
    )
    progress(4, 4)
    return DepthScene(
        decoded.decoding,
        intrinsics,
        cloud,
        colours,
        depth_image,
        depth_display_range(depth),
        photo,
        index,
        decoded.settings,
        decoded.chosen_by,
    )
