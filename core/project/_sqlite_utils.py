"""Imports sqlite-utils without pandas.

sqlite-utils imports pandas (about 0.3 s) only to map ``pandas.Timestamp``
columns, which IRIS never stores; hiding pandas during that one import keeps it
out of the window's startup. pandas stays importable for everything else.
"""

from __future__ import annotations

import sys

if "sqlite_utils" in sys.modules or "pandas" in sys.modules:
    import sqlite_utils
else:
    sys.modules["pandas"] = None  # type: ignore[assignment]  # makes "import pandas" fail, once
    try:
        import sqlite_utils
    finally:
        del sys.modules["pandas"]

__all__ = ["sqlite_utils"]
