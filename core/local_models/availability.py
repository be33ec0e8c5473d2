"""Whether the ``local-models`` extra is installed, found without importing it."""

from __future__ import annotations

import importlib.util

from core.errors import IrisError

INSTALL_HINT = "pip install 'iris-studio[local-models]'"
EDITOR_PACKAGES = ("torch", "diffusers", "transformers")
VLM_PACKAGES = ("torch", "transformers")


class LocalModelsMissing(IrisError):
    """A local model was asked for, but the libraries it runs on are not installed."""


def missing_packages(packages: tuple[str, ...] = EDITOR_PACKAGES) -> list[str]:
    """The packages of ``packages`` that cannot be imported (checked by spec, not imported)."""
    missing = []
    for name in packages:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a module hidden as None in sys.modules
            found = False
        if not found:
            missing.append(name)
    return missing


def require(packages: tuple[str, ...] = EDITOR_PACKAGES, what: str = "local models") -> None:
    """Raise :class:`LocalModelsMissing` with the install hint when a package is absent."""
    missing = missing_packages(packages)
    if missing:
        raise LocalModelsMissing(
            f"{what} need {', '.join(missing)}, which is not installed: {INSTALL_HINT}"
        )


def unavailable_reason(packages: tuple[str, ...] = EDITOR_PACKAGES) -> str:
    """'' when usable, else the line a listing shows ('unavailable: ... install hint')."""
    missing = missing_packages(packages)
    if not missing:
        return ""
    return f"unavailable ({', '.join(missing)} not installed): {INSTALL_HINT}"
