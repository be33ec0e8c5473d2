"""Work around a PySide6 build that returns ``None`` without a reference on Python < 3.12.

With PySide6/shiboken6 6.12 on CPython 3.11 every call of a Qt method that
returns nothing (``QPainter.setPen``, ``fillRect``, ``drawImage``...) lowers
``None``'s reference count by one; a few thousand paint calls later CPython
aborts with "none_dealloc: deallocating None". Python 3.12 made ``None``
immortal (PEP 683), which is what these wheels assume. On older Pythons this
gives ``None`` the same protection: a reference count so large that no
session can wear it down. Nothing changes on 3.12+.
"""

from __future__ import annotations

import ctypes
import sys

_MARGIN = 1 << 40
_done = False


def protect_none() -> bool:
    """Raise ``None``'s reference count once per process on CPython < 3.12; True if it did."""
    global _done
    if _done or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += _MARGIN
    _done = True
    return True
