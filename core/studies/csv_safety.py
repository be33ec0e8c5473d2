"""Text cells a spreadsheet will not run as a formula.

A CSV cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to Excel and LibreOffice (CSV injection). Labels, names and tag values in IRIS's
CSV files come from users' files and folders, so they get a leading ``'``, which
spreadsheets show as text and hide. Numbers are written as numbers and never guarded.
"""

from __future__ import annotations

RISKY_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """``text`` with a leading ``'`` when a spreadsheet would read it as a formula."""
    return "'" + text if text.startswith(RISKY_STARTS) else text
