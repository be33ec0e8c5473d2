"""IRIS application shell: main window, menus, compute worker, settings and the CLI."""

from core.version import __version__

__all__ = ["__version__"]
