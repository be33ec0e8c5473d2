"""Where IRIS keeps things, and how a project folder is recognised (stdlib only: used at startup)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DB_NAME = "iris.db"


def is_project(path: str | Path) -> bool:
    """Whether ``path`` is an IRIS project folder (it holds ``iris.db``)."""
    return (Path(path) / DB_NAME).is_file()


def user_data_dir() -> Path:
    """Where IRIS keeps per-user data: ``IRIS_DATA_DIR``, else the platform's convention."""
    if os.environ.get("IRIS_DATA_DIR"):
        return Path(os.environ["IRIS_DATA_DIR"]).expanduser()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home())) / "IRIS"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "IRIS"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "iris"


LOG_NAME = "iris.log"


def log_file() -> Path:
    """The log IRIS appends unexpected errors (with their tracebacks) to, in the user data folder."""
    return user_data_dir() / LOG_NAME
