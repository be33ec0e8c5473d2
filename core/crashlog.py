"""Unexpected errors: the full traceback goes to the log file, the user gets one line.

Any traceback that reaches a user is a bug, but the traceback is what a bug
report needs. So the CLI, the compute worker and the GUI's exception hook all
call :func:`record_crash` (redacted text appended to ``iris.log`` in the user
data folder, rotated at a size limit) and show :func:`crash_message`.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

from core.redact import redact

MAX_LOG_BYTES = 1_000_000
MAX_MESSAGE_CHARS = 300


def _append(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file() and path.stat().st_size > MAX_LOG_BYTES:
        os.replace(path, path.with_name(path.name + ".1"))
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def record_crash(exc: BaseException, where: str) -> Path | None:
    """Append ``exc``'s traceback (redacted) to the log; returns the log's path, None if unwritable."""
    from core.paths import log_file

    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    text = redact(f"--- {stamp} {where} (pid {os.getpid()}, Python {sys.version.split()[0]})\n")
    text += redact(trace) + "\n"
    try:
        candidates = [log_file()]
    except Exception:  # a broken HOME or data folder setting must not hide the error itself
        candidates = []
    candidates.append(Path(tempfile.gettempdir()) / "iris-errors.log")
    for path in candidates:
        try:
            _append(path, text)
            return path
        except OSError:
            continue
    return None


def one_line(exc: BaseException) -> str:
    """``Type: message`` on one line, redacted and shortened."""
    message = " ".join(str(exc).split())
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 3] + "..."
    return redact(f"{type(exc).__name__}: {message}" if message else type(exc).__name__)


def crash_message(exc: BaseException, log: Path | None) -> str:
    """``unexpected error: Type: message (details in LOG)``: what the user is shown."""
    where = f"details in {log}" if log is not None else "the log could not be written"
    return f"unexpected error: {one_line(exc)} ({where})"
