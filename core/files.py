"""Reading untrusted files whole, with a byte limit, without ever blocking; writing atomically.

Every file a user hands IRIS (an image, an annotation export, a results table)
is read through :func:`read_bounded`: it refuses anything that is not a regular
file (a folder, a FIFO, ``/dev/zero``) before opening it, refuses a file over
the limit from its size before reading, and never reads more than the limit
even when the file grows meanwhile. :func:`write_atomic` is the one way IRIS
writes a file that must never be seen half-written.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from core.errors import SourceError

MiB = 1024 * 1024
# The largest annotation or results file IRIS reads (a results table of a
# million rows is about 100 MiB as CSV).
MAX_DATA_FILE_BYTES = 256 * MiB


class FileReadError(SourceError):
    """A file cannot be read safely.

    Reason codes: ``missing``, ``not-a-file``, ``too-large``, ``unreadable``, ``not-utf8``.
    """


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _size_text(size: int) -> str:
    return f"{size / MiB:.1f} MiB" if size >= MiB else f"{size} bytes"


def _too_large(label: str, size: int | None, limit: int) -> FileReadError:
    have = f"{_size_text(size)}, " if size is not None else "more than that, "
    return FileReadError(label, "too-large", f"{have}the limit is {_size_text(limit)}")


def read_bounded(path: str | os.PathLike, limit: int, label: str | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them, else FileReadError.

    ``label`` names the file in messages (default: the path). Non-regular files
    are refused from ``stat`` before ``open``; the file is opened non-blocking
    and checked again through its descriptor, so a path swapped for a FIFO in
    between cannot hang the caller.
    """
    label = str(path) if label is None else label
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise FileReadError(label, "missing", "no such file") from None
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        raise FileReadError(
            label, "unreadable", getattr(exc, "strerror", None) or str(exc)
        ) from exc
    if not stat.S_ISREG(info.st_mode):
        raise FileReadError(label, "not-a-file", _kind(info.st_mode))
    if info.st_size > limit:
        raise _too_large(label, info.st_size, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise FileReadError(label, "unreadable", exc.strerror or str(exc)) from exc
    with os.fdopen(fd, "rb") as handle:
        try:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise FileReadError(label, "not-a-file", _kind(mode))
            data = handle.read(limit + 1)
        except OSError as exc:
            raise FileReadError(label, "unreadable", exc.strerror or str(exc)) from exc
    if len(data) > limit:  # it grew after the stat
        raise _too_large(label, None, limit)
    return data


def decode_text(data: bytes, label: str) -> str:
    """``data`` as strict UTF-8 (a leading byte-order mark dropped), else FileReadError.

    The error names the byte offset and line of the first invalid byte:
    ``ann.csv: not-utf8 (invalid byte 0xff at offset 1234, line 5)``.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        offset = exc.start
        line = data.count(b"\n", 0, offset) + 1
        byte = data[offset : offset + 1].hex()
        raise FileReadError(
            label, "not-utf8", f"invalid byte 0x{byte} at offset {offset}, line {line}"
        ) from None


def allow_large_csv_fields() -> None:
    """Let ``csv`` read fields as large as a file may be (MAX_DATA_FILE_BYTES), no larger.

    The csv module's limit (128 KiB) would refuse a legitimate brush mask; the
    limit is process-wide, so it is only ever raised, and always to this one value.
    """
    import csv

    csv.field_size_limit(max(csv.field_size_limit(), MAX_DATA_FILE_BYTES))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves either the old file or the new one."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the file normal permissions
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
