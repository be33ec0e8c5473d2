"""User settings persisted with QSettings: window geometry, recent projects, device, folders.

``IRIS_CONFIG_DIR`` points the settings file elsewhere (tests, portable
installs). API keys are never stored here: they come from the environment or
the OS keyring.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from core.device import DEVICE_CHOICES
from core.limits import DEFAULT_MAX_PIXELS
from core.paths import user_data_dir

MAX_RECENT = 10


def open_qsettings() -> QSettings:
    folder = os.environ.get("IRIS_CONFIG_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return QSettings(str(Path(folder) / "iris.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "IRIS", "iris")


class Settings:
    """Typed access to the settings IRIS keeps between sessions."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._q = qsettings or open_qsettings()

    @property
    def file_name(self) -> str:
        return self._q.fileName()

    def sync(self) -> None:
        self._q.sync()

    # -- recent projects ---------------------------------------------------------------

    @property
    def recent_projects(self) -> list[str]:
        value = self._q.value("projects/recent", [])
        items = [value] if isinstance(value, str) else list(value or [])
        return [str(item) for item in items if item]

    def add_recent_project(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        recent = [path] + [p for p in self.recent_projects if p != path]
        self._q.setValue("projects/recent", recent[:MAX_RECENT])

    def forget_recent_project(self, path: str | Path) -> None:
        self._q.setValue("projects/recent", [p for p in self.recent_projects if p != str(path)])

    @property
    def last_project(self) -> str | None:
        recent = self.recent_projects
        return recent[0] if recent else None

    # -- compute -----------------------------------------------------------------------

    @property
    def device(self) -> str:
        value = str(self._q.value("compute/device", "auto"))
        return value if value in DEVICE_CHOICES or value.startswith("cuda:") else "auto"

    @device.setter
    def device(self, value: str) -> None:
        self._q.setValue("compute/device", value)

    @property
    def weights_dir(self) -> str:
        return str(self._q.value("compute/weights_dir", str(user_data_dir() / "weights")))

    @weights_dir.setter
    def weights_dir(self, value: str) -> None:
        self._q.setValue("compute/weights_dir", value)

    @property
    def allow_downloads(self) -> bool:
        """Whether metrics may download missing weights (off: fail at once, naming the file)."""
        value = self._q.value("compute/allow_downloads", False)
        return str(value).lower() in ("true", "1", "yes")

    @allow_downloads.setter
    def allow_downloads(self, value: bool) -> None:
        self._q.setValue("compute/allow_downloads", bool(value))

    def weights_config(self):
        """The weights folder and download permission, as core's metric engine takes them."""
        from core.metrics.weights import WeightsConfig

        return WeightsConfig(Path(self.weights_dir), self.allow_downloads)

    @property
    def max_pixels(self) -> int:
        try:
            return int(self._q.value("images/max_pixels", DEFAULT_MAX_PIXELS))
        except (TypeError, ValueError):
            return DEFAULT_MAX_PIXELS

    @max_pixels.setter
    def max_pixels(self, value: int) -> None:
        self._q.setValue("images/max_pixels", int(value))

    # -- window ------------------------------------------------------------------------

    def window_geometry(self) -> QByteArray | None:
        value = self._q.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def window_state(self) -> QByteArray | None:
        value = self._q.value("window/state")
        return value if isinstance(value, QByteArray) else None

    def save_window(self, geometry: QByteArray, state: QByteArray | None) -> None:
        """Keep the window's geometry and, unless ``state`` is None, its dock layout."""
        self._q.setValue("window/geometry", geometry)
        if state is not None:
            self._q.setValue("window/state", state)
