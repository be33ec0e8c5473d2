"""The contract of long-running work: ``progress(done, total)`` and a ``cancel`` event.

Core functions accept both, report progress between units of work (an image,
a tile, a step) and call :func:`check_cancelled` there, so they run the same
from the GUI's compute worker, the CLI and the tests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from core.errors import Cancelled

ProgressFn = Callable[[int, int], None]
CancelEvent = threading.Event


def no_progress(done: int, total: int) -> None:
    """A progress callback that ignores its reports (CLI without a bar, tests)."""


def check_cancelled(cancel: threading.Event | None) -> None:
    """Raise :class:`Cancelled` when ``cancel`` is set."""
    if cancel is not None and cancel.is_set():
        raise Cancelled()
