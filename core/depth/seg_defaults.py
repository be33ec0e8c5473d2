"""Segmentation decoding defaults, importable without numpy (the CLI parser lists them).

Distances are Euclidean in 8-bit RGB units. 60 tolerates the colour noise of a
JPEG-saved map (and is the referring-mask tolerance of ``colour_mask``) while
staying under half the distance between the paper's prompt colours (e.g.
(255, 255, 0) and (255, 192, 128) are 144 apart). Instances use a tighter 40:
the model picks their colours, and two of them may be closer.
"""

from __future__ import annotations

DEFAULT_SEMANTIC_THRESHOLD = 60.0
DEFAULT_INSTANCE_THRESHOLD = 40.0
DEFAULT_MIN_AREA = 64  # pixels: smaller colour clusters are edge blends or specks
DEFAULT_IGNORE_INDEX = 255  # a ground-truth label map's "not labelled" value (Cityscapes)
