"""Short CPU tasks (thumbnails, decoding) on Qt's global thread pool, delivered on the GUI thread.

Heavy or GPU work goes to the compute worker instead; this is for the small
things that must not wait behind it.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Task(QRunnable):
    def __init__(
        self, loader: BackgroundLoader, key: Hashable, fn: Callable[..., Any], args: tuple
    ) -> None:
        super().__init__()
        self.loader, self.key, self.fn, self.args = loader, key, fn, args

    def run(self) -> None:
        try:
            result = self.fn(*self.args)
        except Exception as exc:  # reported to the GUI, never raised in the pool thread
            outcome = (self.loader._failed, (self.key, f"{exc}\n{traceback.format_exc(limit=3)}"))
        else:
            outcome = (self.loader._done, (self.key, result))
        try:
            signal, values = outcome
            signal.emit(*values)
        except RuntimeError:  # the loader was deleted while the task ran
            pass


class BackgroundLoader(QObject):
    """Runs ``fn(*args)`` in the pool; emits ``loaded(key, result)`` or ``failed(key, message)``."""

    loaded = Signal(object, object)
    failed = Signal(object, str)
    idle = Signal()
    _done = Signal(object, object)
    _failed = Signal(object, str)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._pending: set[Hashable] = set()
        self._done.connect(self._on_done)
        self._failed.connect(self._on_failed)

    def request(self, key: Hashable, fn: Callable[..., Any], *args: Any) -> None:
        self._pending.add(key)
        self._pool.start(_Task(self, key, fn, args))

    @property
    def pending(self) -> int:
        return len(self._pending)

    def _settle(self, key: Hashable) -> None:
        self._pending.discard(key)
        if not self._pending:
            self.idle.emit()

    def _on_done(self, key: Hashable, result: object) -> None:
        self.loaded.emit(key, result)
        self._settle(key)

    def _on_failed(self, key: Hashable, message: str) -> None:
        self.failed.emit(key, message)
        self._settle(key)
