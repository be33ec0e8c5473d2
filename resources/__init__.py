"""Data shipped with IRIS: icons, the bundled sample project, prompt libraries."""

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """Absolute path of a shipped resource file."""
    return RESOURCES_DIR.joinpath(*parts)
