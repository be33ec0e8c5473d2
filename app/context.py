"""What a view or tool may use from the shell, typed: never the whole main window."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.session import ProjectSession
    from app.settings import Settings
    from app.worker import ComputeWorker
    from core.project import ImageRecord


def _no_selection() -> list[ImageRecord]:
    return []


@dataclass
class ViewContext:
    """The compute worker, the settings, status reporting, the selection and project changes.

    ``session`` carries the project-changed signal (views subscribe to it);
    ``selection()`` is the browser's current selection; ``select(ids)`` changes it.
    """

    worker: ComputeWorker
    settings: Settings | None
    show_status: Callable[[str], Any]
    session: ProjectSession | None = None
    selection: Callable[[], list[ImageRecord]] = field(default=_no_selection)
    select: Callable[[list[int]], Any] = field(default=lambda ids: None)
