"""IRIS core: everything that is not Qt.

Nothing here imports PySide6, ``app`` or ``widgets``; heavy libraries (torch,
pyiqa, open3d, google-genai, spandrel) are imported inside the functions that
need them so that the CLI and the first window open fast.
"""

from core.errors import Cancelled, ImageLoadError, IrisError, ProjectError
from core.jobs import CancelEvent, ProgressFn, check_cancelled

__all__ = [
    "CancelEvent",
    "Cancelled",
    "ImageLoadError",
    "IrisError",
    "ProgressFn",
    "ProjectError",
    "check_cancelled",
]
