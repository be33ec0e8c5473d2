"""Imports sqlite-utils without pandas or numpy.

sqlite-utils imports pandas (about 0.3 s) and numpy (about 0.15 s) only to map
``pandas.Timestamp`` and numpy scalar types to column types when it creates or
alters a table. IRIS creates its tables with its own SQL (core/project/schema.py)
and inserts into them, so neither mapping is ever used; hiding both during that
one import keeps them out of the time before the project is shown. Both stay
importable for everything else (this runs once, on the thread that first opens a
project, before any pixel work starts).
"""

from __future__ import annotations

import sys

HIDDEN = ("pandas", "numpy")

if "sqlite_utils" in sys.modules:
    import sqlite_utils
else:
    hidden = [name for name in HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes "import name" fail, once
    try:
        import sqlite_utils
    finally:
        for name in hidden:
            del sys.modules[name]

__all__ = ["sqlite_utils"]
