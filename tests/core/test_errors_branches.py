"""core.errors: the one message shape of SourceError, with and without detail; unquoted registry keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import Cancelled, ImageLoadError, IrisError, RegistryError, SourceError


def test_source_error_with_detail_puts_it_in_parentheses():
    error = SourceError(Path("/data/a.csv"), "too-large", "300 MiB")
    assert str(error) == "/data/a.csv: too-large (300 MiB)"
    assert (error.source, error.reason, error.detail) == ("/data/a.csv", "too-large", "300 MiB")
    assert isinstance(error, IrisError)


def test_source_error_without_detail_has_no_parentheses():
    error = ImageLoadError("b.png", "empty")
    assert str(error) == "b.png: empty"
    assert error.detail == "" and error.reason == "empty"
    assert isinstance(error, SourceError)


def test_a_source_error_can_be_reraised_as_another_with_the_same_fields():
    first = ImageLoadError("c.png", "truncated", "ends at byte 10")
    again = SourceError(first.source, first.reason, first.detail)
    assert str(again) == str(first)


def test_cancelled_default_and_custom_message():
    assert str(Cancelled()) == "cancelled"
    assert str(Cancelled("stopped by user")) == "stopped by user"
    assert isinstance(Cancelled(), IrisError)


def test_registry_error_is_a_key_error_whose_message_is_not_quoted():
    error = RegistryError("unknown method 'x'; known: a, b")
    assert str(error) == "unknown method 'x'; known: a, b"
    assert str(KeyError("k")) == "'k'" and str(RegistryError("k")) == "k"
    assert str(RegistryError()) == ""
    with pytest.raises(KeyError):
        raise error
