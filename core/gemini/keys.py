"""Finding the Gemini API key: environment first, then the OS keyring. Never stored or logged.

A key is stripped of surrounding whitespace; one that still holds whitespace,
control or non-ASCII characters (a two-line key file read with ``$(cat key)``)
is refused without echoing it, because an HTTP library would quote it whole in
its error. Every key read is registered with :mod:`core.redact` first, so no
message IRIS stores or prints can carry it.
"""

from __future__ import annotations

import os

from core.errors import IrisError
from core.redact import register_secret

KEY_ENVS = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
KEYRING_SERVICE = "iris"
KEYRING_USER = "gemini"
KEYRING_SOURCE = "OS keyring"


class MissingApiKey(IrisError):
    def __init__(self) -> None:
        super().__init__(
            "no Gemini API key: set GEMINI_API_KEY (or GOOGLE_API_KEY), or store it in the OS "
            f"keyring with: keyring set {KEYRING_SERVICE} {KEYRING_USER}"
        )


class InvalidApiKey(IrisError):
    """The key found in ``source`` cannot be sent; the message never contains the key."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__(
            f"the Gemini API key in {source} contains spaces, line breaks, control or non-ASCII "
            "characters (was it read from a file with more than one line?); store the key alone "
            "on one line"
        )


def keyring_key() -> str | None:
    """The key in the OS keyring, or None when there is none or no keyring backend."""
    try:
        import keyring

        value = keyring.get_password(KEYRING_SERVICE, KEYRING_USER) or None
    except Exception:  # no backend, locked keyring, D-Bus missing: treat as absent
        return None
    return value if isinstance(value, str) else None


def is_clean_key(value: str) -> bool:
    """Whether ``value`` is printable ASCII without spaces (what an HTTP header can carry)."""
    return bool(value) and all("!" <= char <= "~" for char in value)


def _checked(value: str, source: str) -> str:
    register_secret(value)
    key = value.strip()
    if not is_clean_key(key):
        raise InvalidApiKey(source)
    return key


def api_key() -> str:
    """The key to use; raises MissingApiKey with instructions, InvalidApiKey for a bad one."""
    for name in KEY_ENVS:
        value = os.environ.get(name, "")
        if value.strip():
            return _checked(value, name)
    value = keyring_key()
    if value and value.strip():
        return _checked(value, KEYRING_SOURCE)
    raise MissingApiKey()


def key_source() -> str | None:
    """Where the key would come from (for the GUI), without revealing it."""
    for name in KEY_ENVS:
        if os.environ.get(name, "").strip():
            return name
    value = keyring_key()
    return KEYRING_SOURCE if value and value.strip() else None
