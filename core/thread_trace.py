"""Let a tracer set for Python threads follow into threads that Qt starts.

``threading.settrace`` (what coverage.py and debuggers use to reach new threads) only
reaches threads started by the ``threading`` module. The compute worker's QThread and the
QThreadPool's threads are started by Qt, so code run there (a job, a thumbnail decode) was
invisible to coverage and to a debugger's breakpoints. Calling :func:`follow_tracer` at the
top of such a thread's work installs the same hooks there. Without a tracer it does nothing.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any


def follow_tracer() -> None:
    """Install ``threading``'s trace and profile hooks in the calling thread if it has none."""
    adopt(threading.gettrace, sys.gettrace, sys.settrace)
    adopt(threading.getprofile, sys.getprofile, sys.setprofile)


def adopt(
    threads_hook: Callable[[], Any], own_hook: Callable[[], Any], install: Callable[[Any], None]
) -> bool:
    """``install(threads_hook())`` when there is such a hook and the thread has none of its own."""
    hook = threads_hook()
    if hook is None or own_hook() is not None:
        return False
    install(hook)
    return True
