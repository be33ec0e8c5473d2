"""Imports sqlite-utils without pandas or numpy.

sqlite-utils imports pandas (about 0.3 s) and numpy (about 0.15 s) only to map
``pandas.Timestamp`` and numpy scalar types to column types when it creates or
alters a table. IRIS creates its tables with its own SQL (core/project/schema.py)
and inserts into them, so neither mapping is ever used. While sqlite-utils is
imported (the first table insert, :mod:`core.project.database`), a finder at the
front of ``sys.meta_path`` refuses both to *this thread only*: another thread
importing numpy or pandas at that moment gets them as usual, and both stay
importable afterwards.
"""

from __future__ import annotations

import sys
import threading
from types import ModuleType

HIDDEN = frozenset({"pandas", "numpy"})
_IMPORT_LOCK = threading.Lock()


class _RefuseOnThisThread:
    """A meta path finder that refuses the hidden top-level modules to one thread."""

    def __init__(self, thread: int) -> None:
        self.thread = thread

    def find_spec(self, name: str, path=None, target=None):  # noqa: ANN001 - finder protocol
        if name.partition(".")[0] in HIDDEN and threading.get_ident() == self.thread:
            raise ModuleNotFoundError(f"{name} is not used by IRIS's sqlite-utils", name=name)
        return None


def _import() -> ModuleType:
    with _IMPORT_LOCK:
        if "sqlite_utils" in sys.modules:
            import sqlite_utils

            return sqlite_utils
        finder = _RefuseOnThisThread(threading.get_ident())
        sys.meta_path.insert(0, finder)
        try:
            import sqlite_utils
        finally:
            sys.meta_path.remove(finder)
        return sqlite_utils


sqlite_utils = _import()

__all__ = ["sqlite_utils"]
