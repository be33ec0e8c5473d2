"""The error types IRIS raises; every message names what failed and why."""

from __future__ import annotations

from pathlib import Path


class IrisError(Exception):
    """Base of every error IRIS reports to a user (CLI one-liner, GUI dialog)."""


class Cancelled(IrisError):
    """Raised by long-running work when its cancel event is set."""

    def __init__(self, message: str = "cancelled") -> None:
        super().__init__(message)


class SourceError(IrisError):
    """Something read from ``source`` was refused: ``reason`` is a short stable code, ``detail``
    the specifics. The message is ``"<source>: <reason> (<detail>)"``; one shape for every
    reader, so a caller can re-raise one as another with the same fields."""

    def __init__(self, source: str | Path, reason: str, detail: str = "") -> None:
        self.source = str(source)
        self.reason = reason
        self.detail = detail
        text = f"{self.source}: {reason}"
        if detail:
            text += f" ({detail})"
        super().__init__(text)


class ImageLoadError(SourceError):
    """An image could not be read.

    Reason codes: ``missing``, ``empty``, ``not-an-image``, ``truncated``,
    ``too-large``, ``unsupported-mode``, ``corrupt``, ``unreadable``.
    """


class ProjectError(IrisError):
    """A project folder is missing, damaged, too new, or cannot be written."""


class RegistryError(IrisError, KeyError):
    """An unknown name was asked of a registry; the message lists the known names."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""
