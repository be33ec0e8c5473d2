"""Depth decoding defaults and codec names, importable without numpy.

``iris``'s argument parser is built at every start, the window's included;
it needs these values, not the decoders (``core.depth.codecs`` registers the
codecs under the same names, and a test keeps both lists equal).
"""

from __future__ import annotations

DEFAULT_LAMBDA = -3.0
DEFAULT_SCALE = 10.0 / 3.0
RANGE_MODES = ("curve", "linear", "inverse")
DEFAULT_MAX_PATH_DISTANCE = 0.15
COLORMAP_NAMES = ("viridis", "plasma", "inferno", "magma", "turbo", "gray")
CODEC_NAMES = ("vision-banana", *COLORMAP_NAMES, "png16", "npy", "exr")
