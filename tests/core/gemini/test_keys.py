"""core.gemini.keys: keys are stripped, a key with a line break is refused without echoing it."""

from __future__ import annotations

import pytest

from core.gemini import keys
from core.gemini.keys import InvalidApiKey, MissingApiKey, api_key
from core.redact import MARKER, redact

FIRST, SECOND = "iris-dummy-first-line-1234", "second-line-of-the-file"


@pytest.fixture(autouse=True)
def no_keys(monkeypatch):
    for name in keys.KEY_ENVS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(keys, "keyring_key", lambda: None)


def test_surrounding_whitespace_is_stripped(monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", f"  {FIRST}\n")
    assert api_key() == FIRST


@pytest.mark.parametrize("source", ["GEMINI_API_KEY", "GOOGLE_API_KEY"])
def test_a_two_line_key_is_refused_naming_the_source_not_the_key(monkeypatch, source):
    monkeypatch.setenv(source, f"{FIRST}\n{SECOND}\n")
    with pytest.raises(InvalidApiKey) as raised:
        api_key()
    message = str(raised.value)
    assert source in message and "line" in message
    assert FIRST not in message and SECOND not in message
    # refused, yet registered: a message quoting it elsewhere is still cleaned
    assert redact(f"header b'{FIRST}\\n{SECOND}'") == f"header b'{MARKER}'"


@pytest.mark.parametrize("bad", [f"{FIRST} {SECOND}", f"{FIRST}\x1bx", f"{FIRST}é", "ab\tcdefghij"])
def test_spaces_control_and_non_ascii_characters_are_refused(monkeypatch, bad):
    monkeypatch.setenv("GEMINI_API_KEY", bad)
    with pytest.raises(InvalidApiKey, match="GEMINI_API_KEY"):
        api_key()


def test_a_keyring_key_is_checked_too(monkeypatch):
    monkeypatch.setattr(keys, "keyring_key", lambda: f"{FIRST}\r\n{SECOND}")
    with pytest.raises(InvalidApiKey, match="OS keyring") as raised:
        api_key()
    assert FIRST not in str(raised.value)
    monkeypatch.setattr(keys, "keyring_key", lambda: f"{FIRST}\n")
    assert api_key() == FIRST
    assert keys.key_source() == "OS keyring"


def test_a_blank_key_counts_as_missing(monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", " \n ")
    with pytest.raises(MissingApiKey):
        api_key()
