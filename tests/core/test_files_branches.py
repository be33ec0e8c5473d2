"""core.files: every refusal of read_bounded (kinds, stat and open failures, races) and write_atomic."""

from __future__ import annotations

import csv
import os
import socket
import stat
import tempfile
from pathlib import Path

import pytest

from core import files
from core.files import (
    MAX_DATA_FILE_BYTES,
    FileReadError,
    MiB,
    allow_large_csv_fields,
    read_bounded,
    write_atomic,
)


@pytest.mark.parametrize(
    ("mode", "kind"),
    [
        (stat.S_IFDIR, "a folder"),
        (stat.S_IFIFO, "a pipe"),
        (stat.S_IFCHR, "a device"),
        (stat.S_IFBLK, "a device"),
        (stat.S_IFSOCK, "a socket"),
        (stat.S_IFLNK, "not a regular file"),
    ],
)
def test_every_file_kind_is_named(mode, kind):
    assert files._kind(mode | 0o644) == kind


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets on this platform")
def test_refuses_a_socket():
    # a short folder: a socket path is limited to about 100 bytes
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.sock"
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(str(path))
            with pytest.raises(FileReadError) as info:
                read_bounded(path, 10, "s.sock")
        finally:
            server.close()
    assert str(info.value) == "s.sock: not-a-file (a socket)"


def test_limit_edge_is_accepted_and_sizes_above_a_mib_are_shown_in_mib(tmp_path):
    path = tmp_path / "edge.bin"
    path.write_bytes(b"x" * 10)
    assert read_bounded(path, 10) == b"x" * 10  # exactly the limit
    path.write_bytes(b"y" * (2 * MiB))
    with pytest.raises(FileReadError) as info:
        read_bounded(path, MiB, "edge.bin")
    assert str(info.value) == "edge.bin: too-large (2.0 MiB, the limit is 1.0 MiB)"


def test_a_nul_byte_in_the_path_is_unreadable_not_a_crash():
    with pytest.raises(FileReadError) as info:
        read_bounded("bad\0name.csv", 10)
    assert info.value.reason == "unreadable"
    assert "null" in info.value.detail.lower()


def test_a_name_too_long_is_unreadable_with_the_os_reason(tmp_path):
    with pytest.raises(FileReadError) as info:
        read_bounded(tmp_path / ("n" * 5000), 10, "long.csv")
    assert info.value.reason == "unreadable"
    assert str(info.value).startswith("long.csv: unreadable (") and "too long" in str(info.value)


def test_open_refused_is_unreadable(tmp_path, monkeypatch):
    path = tmp_path / "locked.csv"
    path.write_bytes(b"a,b\n")

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.os, "open", refuse)
    with pytest.raises(FileReadError) as info:
        read_bounded(path, 10, "locked.csv")
    assert str(info.value) == "locked.csv: unreadable (Permission denied)"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_path_swapped_for_a_fifo_after_the_stat_is_refused_from_the_descriptor(
    tmp_path, monkeypatch
):
    regular = tmp_path / "regular.csv"
    regular.write_bytes(b"ok")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    real_stat = os.stat
    # the path looked like a regular file when stat'ed, then became a FIFO
    monkeypatch.setattr(
        files.os, "stat", lambda p, *a, **k: real_stat(regular if p == fifo else p, *a, **k)
    )
    with pytest.raises(FileReadError) as info:
        read_bounded(fifo, 10, "pipe")
    assert str(info.value) == "pipe: not-a-file (a pipe)"


def test_a_read_error_is_unreadable(tmp_path, monkeypatch):
    path = tmp_path / "disk.csv"
    path.write_bytes(b"data")

    def broken_fstat(_fd):
        raise OSError(5, "Input/output error")

    # patched only around the call: pytest itself calls os.fstat while reporting
    with monkeypatch.context() as patch:
        patch.setattr(files.os, "fstat", broken_fstat)
        try:
            read_bounded(path, 10, "disk.csv")
        except FileReadError as exc:
            error = exc
        else:
            error = None
    assert str(error) == "disk.csv: unreadable (Input/output error)"
    assert isinstance(error.__cause__, OSError) and error.__cause__.errno == 5


def test_a_file_that_grew_after_the_stat_is_refused_without_reading_past_the_limit(
    tmp_path, monkeypatch
):
    path = tmp_path / "growing.log"
    path.write_bytes(b"z" * 50)
    real_stat = os.stat

    def stale_stat(p, *args, **kwargs):
        info = real_stat(p, *args, **kwargs)
        fields = list(info[:10])
        fields[stat.ST_SIZE] = 5  # what the size was when stat'ed
        return os.stat_result(fields)

    monkeypatch.setattr(files.os, "stat", stale_stat)
    with pytest.raises(FileReadError) as info:
        read_bounded(path, 10, "growing.log")
    assert str(info.value) == "growing.log: too-large (more than that, the limit is 10 bytes)"


def test_allow_large_csv_fields_raises_the_limit_and_never_lowers_it():
    before = csv.field_size_limit()
    try:
        csv.field_size_limit(1000)
        allow_large_csv_fields()
        assert csv.field_size_limit() == MAX_DATA_FILE_BYTES
        csv.field_size_limit(MAX_DATA_FILE_BYTES * 2)
        allow_large_csv_fields()
        assert csv.field_size_limit() == MAX_DATA_FILE_BYTES * 2
    finally:
        csv.field_size_limit(before)


def test_write_atomic_creates_folders_replaces_and_uses_the_umask(tmp_path):
    target = tmp_path / "deep" / "er" / "out.json"
    write_atomic(target, b"one")
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two"
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask
    assert [p.name for p in target.parent.iterdir()] == ["out.json"]  # no temporary left


def test_write_atomic_failure_keeps_the_old_file_and_removes_the_temporary(tmp_path, monkeypatch):
    target = tmp_path / "keep.txt"
    target.write_bytes(b"old")

    def failing_replace(_src, _dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
