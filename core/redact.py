"""Keeping API keys out of every text IRIS stores, prints or logs (stdlib only).

Error messages from HTTP libraries may quote a request header, and a key read
from a two-line file reaches them split or escaped (``b'AIza...\\nrest'``). So
:func:`redact` replaces every form of each secret (whole, stripped, each line,
escaped) and anything shaped like a Google API key. Keys are registered once,
process-wide, where they are read (:func:`register_secret`), so every
redaction point knows them without passing them around.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

MARKER = "[redacted]"
# Real keys are "AIza" + 35 characters; be generous so a truncated or longer one is caught too.
GOOGLE_KEY = re.compile(r"AIza[0-9A-Za-z_\-]{16,}")
MIN_PIECE = 8
"""Fragments shorter than this are not redacted on their own (they would hit ordinary words)."""

_lock = threading.Lock()
_registered: set[str] = set()


def secret_forms(secret: str) -> set[str]:
    """The spellings of ``secret`` that may turn up in a message, each at least MIN_PIECE long."""
    if not secret:
        return set()
    plain = {secret, secret.strip(), *secret.splitlines(), *re.split(r"\s+", secret)}
    plain = {p.strip() for p in plain} | {secret}
    forms: set[str] = set()
    for piece in plain:
        forms.update(
            {
                piece,
                repr(piece)[1:-1],
                piece.encode("unicode_escape").decode("ascii"),
                repr(piece.encode("utf-8", "backslashreplace"))[2:-1],
                quote(piece, safe=""),
            }
        )
    return {form for form in forms if len(form) >= MIN_PIECE}


def register_secret(secret: str | None) -> None:
    """Remember ``secret`` so that every later :func:`redact` removes it."""
    if not secret:
        return
    forms = secret_forms(secret)
    with _lock:
        _registered.update(forms)


def forget_secrets() -> None:
    """Drop every registered secret (tests)."""
    with _lock:
        _registered.clear()


def redact(text: Any, secrets: Iterable[str] = ()) -> str:
    """``text`` with the registered secrets, ``secrets`` and Google-key-shaped strings masked."""
    text = "" if text is None else str(text)
    if not text:
        return text
    with _lock:
        forms = set(_registered)
    for secret in secrets:
        forms.update(secret_forms(secret))
    for form in sorted(forms, key=len, reverse=True):  # longest first: a whole key before a line
        if form in text:
            text = text.replace(form, MARKER)
    return GOOGLE_KEY.sub(MARKER, text)


def redact_data(value: Any, secrets: Iterable[str] = ()) -> Any:
    """``value`` (JSON-like: dicts, lists, strings) with every string passed through redact."""
    secrets = tuple(secrets)
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, dict):
        return {key: redact_data(item, secrets) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact_data(item, secrets) for item in value)
    return value


def error_text(exc: BaseException, secrets: Iterable[str] = ()) -> str:
    """``Type: message`` of ``exc``, redacted: for errors that are stored or shown."""
    message = str(exc)
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return redact(text, secrets)
