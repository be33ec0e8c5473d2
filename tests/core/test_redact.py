"""core.redact: registered keys (whole, per line, escaped) and Google-key shapes never survive."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.redact import (
    MARKER,
    error_text,
    forget_secrets,
    redact,
    redact_data,
    register_secret,
    secret_forms,
)

GOOGLE_SHAPED = "AIza" + "Sy" + "B" * 33  # the shape of a real key, not a real key


@pytest.fixture(autouse=True)
def clean_registry():
    forget_secrets()
    yield
    forget_secrets()


def test_a_registered_key_is_masked_everywhere_it_appears():
    register_secret("  test-key-0123456789  \n")
    text = redact("sent test-key-0123456789 twice: test-key-0123456789")
    assert text == f"sent {MARKER} twice: {MARKER}"


def test_a_two_line_key_is_masked_whole_escaped_and_line_by_line():
    key = "first-line-0123456789\nsecond-line-abcdef"
    register_secret(key)
    quoted = f"Illegal header value b'{key.encode()!r}'"
    for text in (key, repr(key), quoted, "only first-line-0123456789 here", "second-line-abcdef"):
        cleaned = redact(text)
        assert "first-line" not in cleaned and "second-line" not in cleaned, cleaned
        assert MARKER in cleaned


def test_google_key_shapes_are_masked_without_registration():
    assert redact(f"key={GOOGLE_SHAPED}&alt=json") == f"key={MARKER}&alt=json"
    assert redact("AIza" + "x" * 20) == MARKER  # shorter than a real key: still caught
    assert redact("AIza is a prefix") == "AIza is a prefix"


def test_secrets_passed_explicitly_are_masked_and_short_fragments_left_alone():
    assert redact("hello sekret-value-99", ["sekret-value-99"]) == f"hello {MARKER}"
    assert secret_forms("ab\ncd") == set()  # fragments that short would hit ordinary words
    assert redact("ab cd", ["ab\ncd"]) == "ab cd"


def test_redact_data_reaches_nested_strings_only():
    register_secret("nested-secret-123")
    data = {"errors": ["HTTP 400: nested-secret-123"], "n": 3, "t": ("x nested-secret-123",)}
    assert redact_data(data) == {"errors": [f"HTTP 400: {MARKER}"], "n": 3, "t": (f"x {MARKER}",)}


def test_error_text_names_the_type_and_masks():
    assert error_text(RuntimeError(f"bad {GOOGLE_SHAPED}")) == f"RuntimeError: bad {MARKER}"
    assert error_text(MemoryError()) == "MemoryError"
    assert redact(None) == ""


key_text = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF) | st.sampled_from("\n\t\r"),
    min_size=8,
    max_size=60,
).filter(lambda s: len(s.strip()) >= 8 and all(len(p.strip()) >= 8 for p in s.split()))


@settings(max_examples=60, deadline=None)
@given(key=key_text, before=st.text(max_size=20), after=st.text(max_size=20))
def test_no_form_of_a_registered_key_survives(key, before, after):
    forget_secrets()
    register_secret(key)
    for form in (key, repr(key)[1:-1], key.encode("unicode_escape").decode("ascii")):
        assert form.strip() not in redact(before + form + after)


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=80).filter(lambda s: "AIza" not in s))
def test_text_without_secrets_is_unchanged(text):
    assert redact(text) == text
