"""Bringing an output and its reference to one size before a full-reference metric.

Generators answer at their own sizes (1K/2K/4K, re-framed at step 1), while
pyiqa's full-reference metrics need two images of one shape. A policy says how:

- ``resize`` (the default): the output is resized to the reference's size with a
  named Pillow filter (``bicubic`` unless told), as the papers evaluate at a
  fixed size. The output is resized as an 8-bit RGB Pillow image, what resizing
  its PNG file does.
- ``crop``: :func:`core.iterate.geometry.estimate_crop` finds the box of the
  reference the output shows (a re-framed step keeps a box of the original); the
  reference is cropped to it and the output resized onto it with the filter.
- ``none``: sizes must already agree; otherwise an :class:`AlignmentError`
  naming both sizes (never pyiqa's bare ``AssertionError``).

Equal sizes are never touched by any policy, so a score of an equal-size pair
does not depend on the policy: :func:`aligned_version` keeps its cache key.

Orientation: a step of a mirror/rotate run is turned back to the original's
orientation (its schedule's cumulative transform undone,
:func:`core.iterate.geometry.undo_transform`) before any metric sees it, full-
and no-reference alike; :func:`oriented_version` folds the undone transform into
the metric version the same way (an unturned image keeps its key).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from core.errors import IrisError

if TYPE_CHECKING:  # numpy and Pillow load on first use: the CLI's parser imports this module
    import numpy as np

DEFAULT_POLICY = "resize"
DEFAULT_FILTER = "bicubic"
FILTERS = ("nearest", "box", "bilinear", "hamming", "bicubic", "lanczos")

Pair = tuple["np.ndarray", "np.ndarray"]


class AlignmentError(IrisError):
    """An output and its reference that the chosen policy cannot bring to one size."""


def _size(pixels: np.ndarray) -> tuple[int, int]:
    return int(pixels.shape[1]), int(pixels.shape[0])


def _describe(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def resize_pixels(pixels: np.ndarray, size: tuple[int, int], filter: str) -> np.ndarray:
    """``pixels`` resized to ``size`` (width, height) as 8-bit RGB with Pillow's ``filter``."""
    import numpy as np
    from PIL import Image

    from core.pixels import to_uint8

    resample = Image.Resampling[check_filter(filter).upper()]
    image = Image.fromarray(to_uint8(pixels[..., :3]), "RGB")
    resized = image.resize(size, resample)
    return np.asarray(resized, np.float32) / np.float32(255.0)


def size_error(output_size: tuple[int, int], reference_size: tuple[int, int]) -> AlignmentError:
    """The error of a pair of different sizes under ``none``, naming both sizes."""
    return AlignmentError(
        f"output is {_describe(output_size)} but the reference is {_describe(reference_size)}; "
        "choose --align resize or crop to score them"
    )


def _none(output: np.ndarray, reference: np.ndarray, filter: str) -> Pair:
    raise size_error(_size(output), _size(reference))


def _resize(output: np.ndarray, reference: np.ndarray, filter: str) -> Pair:
    return resize_pixels(output, _size(reference), filter), reference


def _crop(output: np.ndarray, reference: np.ndarray, filter: str) -> Pair:
    import numpy as np

    from core.iterate.geometry import estimate_crop

    box = estimate_crop(reference, output)
    part = reference[box["y"] : box["y"] + box["h"], box["x"] : box["x"] + box["w"]]
    part = np.ascontiguousarray(part)
    if _size(output) == _size(part):
        return output, part
    return resize_pixels(output, _size(part), filter), part


@dataclass(frozen=True)
class Policy:
    """One way to bring an output onto its reference's size, and what it says it does."""

    name: str
    help: str
    apply: Callable[[np.ndarray, np.ndarray, str], Pair]
    uses_filter: bool = True
    aligns: bool = True  # False: pairs of different sizes are refused


POLICIES: dict[str, Policy] = {
    p.name: p
    for p in (
        Policy("resize", "resize the output to the reference's size", _resize),
        Policy("crop", "crop the reference to the box the output shows, then resize", _crop),
        Policy("none", "refuse images of different sizes", _none, uses_filter=False, aligns=False),
    )
}


def check_policy(policy: str) -> Policy:
    """The policy named ``policy``; an :class:`AlignmentError` listing the known ones if none."""
    try:
        return POLICIES[policy]
    except KeyError:
        raise AlignmentError(
            f"unknown alignment {policy!r} (known: {', '.join(POLICIES)})"
        ) from None


def check_filter(filter: str) -> str:
    """``filter`` if Pillow has it by that name; an :class:`AlignmentError` otherwise."""
    if filter not in FILTERS:
        raise AlignmentError(f"unknown resize filter {filter!r} (known: {', '.join(FILTERS)})")
    return filter


def policy_label(policy: str = DEFAULT_POLICY, filter: str = DEFAULT_FILTER) -> str:
    """How a row shows its policy: ``resize:bicubic``, ``crop:bicubic`` or ``none``."""
    spec = check_policy(policy)
    return f"{spec.name}:{check_filter(filter)}" if spec.uses_filter else spec.name


def align(
    output: np.ndarray,
    reference: np.ndarray,
    policy: str = DEFAULT_POLICY,
    filter: str = DEFAULT_FILTER,
) -> Pair:
    """(output, reference) at one size under ``policy``; equal sizes come back untouched."""
    spec = check_policy(policy)
    check_filter(filter)
    if _size(output) == _size(reference):
        return output, reference
    return spec.apply(output, reference, filter)


class Orientation(Protocol):
    """A transform that was applied to an image (``core.iterate.schedules.Transform``)."""

    mirror: bool
    quarter_turns: int


def orientation_label(transform: Orientation | None) -> str:
    """``""`` for none or the identity, else ``m`` (mirrored), ``r1``..``r3`` (turns), ``mr1``."""
    if transform is None:
        return ""
    turns = transform.quarter_turns % 4
    return ("m" if transform.mirror else "") + (f"r{turns}" if turns else "")


def orient_pixels(pixels: np.ndarray, transform: Orientation | None) -> np.ndarray:
    """``pixels`` with ``transform`` undone: back in the original's orientation."""
    if not orientation_label(transform):
        return pixels
    from core.iterate.geometry import undo_transform

    return undo_transform(pixels, transform)


def oriented_size(size: tuple[int, int], transform: Orientation | None) -> tuple[int, int]:
    """The (width, height) of an image of ``size`` once ``transform`` is undone."""
    turned = transform is not None and transform.quarter_turns % 2
    return (size[1], size[0]) if turned else (size[0], size[1])


def oriented_version(
    version: str, target: Orientation | None, reference: Orientation | None = None
) -> str:
    """The metric version of a score whose image (and reference) were turned back first.

    ``+orient=<label>`` for the image's undone transform, ``+ref-orient=<label>``
    for the reference's (e.g. ``pyiqa-0.1.13+orient=m``); an image and reference in
    their stored orientation keep ``version``, so every earlier score stays valid.
    """
    out = version
    if label := orientation_label(target):
        out += f"+orient={label}"
    if label := orientation_label(reference):
        out += f"+ref-orient={label}"
    return out


def aligned_version(
    version: str,
    output_size: tuple[int, int],
    reference_size: tuple[int, int],
    policy: str = DEFAULT_POLICY,
    filter: str = DEFAULT_FILTER,
) -> str:
    """The metric version a full-reference score is cached under, the policy folded in.

    The score store keys a score by (image SHA-256, metric, metric version,
    reference SHA-256). A pair of equal sizes is scored the same under every
    policy, so it keeps the bare ``version`` (scores cached before alignment
    existed stay valid); a pair of different sizes gets ``version`` plus
    ``+align=<label>`` (e.g. ``pyiqa-0.1.13+align=resize:bicubic``), so a
    resize score and a crop score of one pair never stand for each other.
    Such pairs were never stored before (pyiqa refused them), so no old key changes.
    """
    if tuple(output_size) == tuple(reference_size):
        return version
    return f"{version}+align={policy_label(policy, filter)}"
