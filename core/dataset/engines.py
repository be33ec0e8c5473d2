"""The dataset engines, by name: one registry for ``run_job``, ``iris score --engine`` and tests.

An :class:`Engine` has a ``prepare()`` that fails at once, with the fix, when
the engine cannot run here (Ray not installed), and a ``run`` that scores the
items into the results store. Each engine module is imported only when a job
first uses it; a new engine is one module plus one line here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from core.registry import Registry

if TYPE_CHECKING:
    from core.dataset.discovery import DatasetItem
    from core.dataset.job import DatasetJob, EngineReport
    from core.dataset.results import Key, ResultsStore
    from core.jobs import ProgressFn


class EngineRun(Protocol):
    def __call__(
        self,
        job: DatasetJob,
        items: list[DatasetItem],
        store: ResultsStore,
        done: set[Key],
        *,
        progress: ProgressFn,
        cancel: threading.Event | None,
    ) -> EngineReport: ...


def _ready() -> None:
    """An engine that needs nothing beyond IRIS itself."""


@dataclass(frozen=True)
class Engine:
    """How one engine scores a job's batches; ``prepare`` runs before any image is found."""

    name: str
    run: EngineRun
    prepare: Callable[[], Any] = _ready


ENGINES: Registry[Engine] = Registry("engine")
ENGINES.register_lazy("local", "core.dataset.local_engine:LOCAL_ENGINE")
ENGINES.register_lazy("ray", "core.dataset.ray_engine:RAY_ENGINE")


def get_engine(name: str) -> Engine:
    """The engine called ``name``; unknown names raise an error listing the known ones."""
    return ENGINES.get(name)
