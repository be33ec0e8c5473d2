"""Does a decoded map look like what its codec expects? A warning for the user when not.

An ordinary photo decoded with a colour codec lands mostly off the codec's colour
path, so most of it is masked: decoding "succeeds" on an image that is not a depth
map. IRIS says so instead of showing a mostly empty cloud without comment.
"""

from __future__ import annotations

from typing import Any

# Above this share of masked pixels, a colour-coded map is probably not a depth map.
MASKED_WARNING_FRACTION = 0.5
RAW_CODECS = ("png16", "npy", "exr")


def depth_warning(stats: dict[str, Any]) -> str | None:
    """A one-line warning when ``stats`` (``DepthDecoding.stats()``) look like a non-depth image."""
    masked = float(stats.get("masked_fraction") or 0.0)
    codec = str(stats.get("codec", ""))
    if codec in RAW_CODECS or masked <= MASKED_WARNING_FRACTION:
        return None
    return (
        f"{masked:.0%} of the pixels are off the {codec} colour path: this does not look "
        f"like a {codec} depth map (pick a depth map, or choose its codec)"
    )
