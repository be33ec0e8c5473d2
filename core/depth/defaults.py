"""Every depth default in one place, importable without numpy.

``iris``'s argument parser is built at every start, the window's included; it
needs these values, not the decoders. The CLI's option defaults, the Depth
view's initial widget values and :class:`core.depth.settings.DepthSettings`
all read them from here (``core.depth.codecs`` registers the codecs under
``CODEC_NAMES``, and a test keeps both lists equal).
"""

from __future__ import annotations

# Codecs
COLORMAP_NAMES = ("viridis", "plasma", "inferno", "magma", "turbo", "gray")
RAW_CODECS = ("png16", "npy", "exr")  # files of metres: no colour parameters, no masking
CODEC_NAMES = ("vision-banana", *COLORMAP_NAMES, *RAW_CODECS)
DEFAULT_CODEC = "vision-banana"  # for an image that does not say what it is
RAW_SUFFIXES = {".npy": "npy", ".exr": "exr"}  # files that are depth, not pictures of it

# Colour decoding
DEFAULT_LAMBDA = -3.0
DEFAULT_SCALE = 10.0 / 3.0
DEFAULT_CORNERS = "KRYGCBMW"
RANGE_MODES = ("curve", "linear", "inverse")
DEFAULT_RANGE_MODE = RANGE_MODES[0]
DEFAULT_MAX_PATH_DISTANCE = 0.15
# linear / inverse ranges have no default (the CLI asks for --near and --far); these are
# only the values the Depth view's fields start at.
SUGGESTED_NEAR = 0.5
SUGGESTED_FAR = 20.0

# Camera
DEFAULT_HFOV_DEG = 60.0
DEPTH_KINDS = ("z", "ray")
DEFAULT_DEPTH_KIND = DEPTH_KINDS[0]
COLOUR_MODES = ("photo", "depth", "normal")

# Evaluation against ground truth (core/depth/evaluate.py, core/depth/ground_truth.py);
# here so that `iris evaluate`'s parser lists them without importing numpy.
ALIGN_NAMES = ("none", "median", "lstsq", "lstsq-shift")
DEFAULT_ALIGN = "none"  # the Vision Banana paper evaluates metric depth (its Table 3)
ALIGN_SPACES = ("depth", "inverse")
DEFAULT_GT_SCALE = 1.0 / 1000.0  # metres per unit of an integer depth file (millimetres)
RESIZE_FILTERS = ("nearest", "linear", "area")
DEFAULT_RESIZE_FILTER = "nearest"  # keeps sky and masked pixels exact, blends no depth edges
