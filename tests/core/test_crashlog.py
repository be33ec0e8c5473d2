"""core.crashlog: the traceback goes to iris.log (redacted, rotated), the user gets one line."""

from __future__ import annotations

import os
from pathlib import Path

from core import crashlog
from core.crashlog import crash_message, one_line, record_crash
from core.paths import log_file
from core.redact import MARKER, register_secret

SECRET = "iris-dummy-crash-secret-0042"


def fail_deeply():
    raise RuntimeError(f"boom with {SECRET}\nand a second line")


def caught() -> BaseException:
    try:
        fail_deeply()
    except RuntimeError as exc:
        return exc
    raise AssertionError("unreachable")


def test_the_traceback_is_logged_redacted_in_the_data_folder():
    register_secret(SECRET)
    exc = caught()
    path = record_crash(exc, "iris test")
    assert path == log_file() and path.parent == Path(os.environ["IRIS_DATA_DIR"])
    text = path.read_text()
    assert "Traceback" in text and "fail_deeply" in text and "iris test" in text
    assert SECRET not in text and MARKER in text
    message = crash_message(exc, path)
    assert message == (
        f"unexpected error: RuntimeError: boom with {MARKER} and a second line (details in {path})"
    )
    assert "\n" not in message


def test_the_log_is_rotated_at_its_size_limit(monkeypatch):
    monkeypatch.setattr(crashlog, "MAX_LOG_BYTES", 200)
    for _ in range(3):
        record_crash(caught(), "again")
    assert log_file().with_name("iris.log.1").is_file()
    assert log_file().stat().st_size < 200 * 10


def test_an_unwritable_data_folder_falls_back_to_the_temp_folder(monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    monkeypatch.setenv("IRIS_DATA_DIR", str(blocker))
    monkeypatch.setattr(crashlog.tempfile, "gettempdir", lambda: str(tmp_path))
    path = record_crash(caught(), "fallback")
    assert path == tmp_path / "iris-errors.log" and "fail_deeply" in path.read_text()


def test_long_messages_are_shortened_to_one_line():
    text = one_line(ValueError("x" * 1000 + "\n" + "y"))
    assert len(text) <= crashlog.MAX_MESSAGE_CHARS + len("ValueError: ") and "\n" not in text
    assert one_line(MemoryError()) == "MemoryError"
    assert "the log could not be written" in crash_message(MemoryError(), None)
