"""Finding the Gemini API key: environment first, then the OS keyring. Never stored or logged."""

from __future__ import annotations

import os

from core.errors import IrisError

KEY_ENVS = ("GEMINI_API_KEY", "GOOGLE_API_KEY")
KEYRING_SERVICE = "iris"
KEYRING_USER = "gemini"


class MissingApiKey(IrisError):
    def __init__(self) -> None:
        super().__init__(
            "no Gemini API key: set GEMINI_API_KEY (or GOOGLE_API_KEY), or store it in the OS "
            f"keyring with: keyring set {KEYRING_SERVICE} {KEYRING_USER}"
        )


def keyring_key() -> str | None:
    """The key in the OS keyring, or None when there is none or no keyring backend."""
    try:
        import keyring

        return keyring.get_password(KEYRING_SERVICE, KEYRING_USER) or None
    except Exception:  # no backend, locked keyring, D-Bus missing: treat as absent
        return None


def api_key() -> str:
    """The key to use; raises MissingApiKey with instructions when there is none."""
    for name in KEY_ENVS:
        value = os.environ.get(name, "").strip()
        if value:
            return value
    value = keyring_key()
    if value:
        return value
    raise MissingApiKey()


def key_source() -> str | None:
    """Where the key would come from (for the GUI), without revealing it."""
    for name in KEY_ENVS:
        if os.environ.get(name, "").strip():
            return name
    return "OS keyring" if keyring_key() else None
