"""The open project's session: one signal that says what in the project changed.

Views never refresh each other. A job that writes to the project declares what
it changes (:class:`ProjectChange`); when it ends, succeeded, failed or
cancelled (a cancelled import or run keeps what it committed), the session
emits :attr:`ProjectSession.changed` once and every view that shows those
things reloads them (napari's layer events are the model).
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QObject, Signal


class ProjectChange(enum.Flag):
    """What a job changed in the project."""

    NONE = 0
    IMAGES = enum.auto()
    RUNS = enum.auto()
    SCORES = enum.auto()
    ANNOTATIONS = enum.auto()
    TAGS = enum.auto()  # study tags (key=value) of images
    ALL = IMAGES | RUNS | SCORES | ANNOTATIONS | TAGS


class ProjectSession(QObject):
    """Announces changes to the open project; also emitted with ``ALL`` when one opens."""

    changed = Signal(object, object)  # ProjectChange, the source (a JobOwner, or None)

    def notify(self, what: ProjectChange, source: object | None = None) -> None:
        """Announce ``what`` changed; ``source`` lets a view skip the changes it made itself."""
        if what:
            self.changed.emit(what, source)
