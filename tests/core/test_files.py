"""core.files.read_bounded: regular files only, a byte limit, never blocking."""

from __future__ import annotations

import os

import pytest

from core.errors import IrisError
from core.files import FileReadError, read_bounded


def test_reads_a_regular_file(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"hello")
    assert read_bounded(path, 5, "a.txt") == b"hello"
    assert read_bounded(str(path), 100) == b"hello"


def test_refuses_a_file_over_the_limit_from_its_size(tmp_path):
    path = tmp_path / "big.bin"
    path.write_bytes(b"x" * 11)
    with pytest.raises(FileReadError) as info:
        read_bounded(path, 10, "big.bin")
    assert info.value.reason == "too-large"
    assert str(info.value) == "big.bin: too-large (11 bytes, the limit is 10 bytes)"
    assert isinstance(info.value, IrisError)


def test_refuses_missing_and_folders(tmp_path):
    with pytest.raises(FileReadError, match="missing"):
        read_bounded(tmp_path / "nope", 10)
    with pytest.raises(FileReadError, match="not-a-file .a folder."):
        read_bounded(tmp_path, 10)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_refuses_a_fifo_without_blocking(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)  # nobody writes: opening it for reading blocking would hang
    with pytest.raises(FileReadError, match="not-a-file .a pipe."):
        read_bounded(fifo, 10)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_refuses_dev_zero():
    with pytest.raises(FileReadError, match="not-a-file .a device."):
        read_bounded("/dev/zero", 10)


def test_decode_text_is_strict_and_names_the_offset_and_line():
    from core.files import decode_text

    assert decode_text("é\n".encode(), "a.csv") == "é\n"
    assert decode_text(b"\xef\xbb\xbfuuid", "a.csv") == "uuid"  # Excel's byte-order mark
    with pytest.raises(FileReadError) as info:
        decode_text(b"ok\nline two \xff here", "a.csv")
    assert str(info.value) == "a.csv: not-utf8 (invalid byte 0xff at offset 12, line 2)"
