"""Short CPU tasks (thumbnails, decoding) on Qt's global thread pool, delivered on the GUI thread.

Heavy or GPU work goes to the compute worker instead; this is for the small
things that must not wait behind it.

A pool thread never touches a loader: the loader (and the widget owning it)
may be deleted on the GUI thread while a task still runs. Tasks report to one
relay object that lives as long as the application; the relay, on the GUI
thread, hands the result to the loader if it still exists.
"""

from __future__ import annotations

import contextlib
import itertools
import traceback
import weakref
from collections.abc import Callable, Hashable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from core.thread_trace import follow_tracer


class _Relay(QObject):
    """Receives every task's outcome (queued to the GUI thread) and finds its loader."""

    done = Signal(int, object, object)
    failed = Signal(int, object, str)

    def __init__(self) -> None:
        super().__init__()
        self.loaders: weakref.WeakValueDictionary[int, BackgroundLoader] = (
            weakref.WeakValueDictionary()
        )
        self.done.connect(self._on_done)
        self.failed.connect(self._on_failed)

    def _on_done(self, loader_id: int, key: Hashable, result: object) -> None:
        loader = self.loaders.get(loader_id)
        if loader is not None:
            loader._on_done(key, result)

    def _on_failed(self, loader_id: int, key: Hashable, message: str) -> None:
        loader = self.loaders.get(loader_id)
        if loader is not None:
            loader._on_failed(key, message)


_relay: _Relay | None = None
_ids = itertools.count(1)


def _the_relay() -> _Relay:
    """The relay, made on first use by a loader (so on the GUI thread) and never deleted."""
    global _relay
    if _relay is None:
        _relay = _Relay()
    return _relay


class _Task(QRunnable):
    def __init__(
        self, relay: _Relay, loader_id: int, key: Hashable, fn: Callable[..., Any], args: tuple
    ) -> None:
        super().__init__()
        self.relay, self.loader_id, self.key, self.fn, self.args = relay, loader_id, key, fn, args

    def run(self) -> None:
        follow_tracer()  # coverage and debuggers reach the pool's Qt-started threads too
        try:
            result = self.fn(*self.args)
        except Exception as exc:  # reported to the GUI, never raised in the pool thread
            signal, values = self.relay.failed, (f"{exc}\n{traceback.format_exc(limit=3)}",)
        else:
            signal, values = self.relay.done, (result,)
        # The relay goes only when the interpreter shuts down; nobody is listening then.
        with contextlib.suppress(RuntimeError):
            signal.emit(self.loader_id, self.key, *values)


class BackgroundLoader(QObject):
    """Runs ``fn(*args)`` in the pool; emits ``loaded(key, result)`` or ``failed(key, message)``."""

    loaded = Signal(object, object)
    failed = Signal(object, str)
    idle = Signal()

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._pending: set[Hashable] = set()
        self._soon: list[_Task] = []  # requested with request_soon, started next turn
        self._relay = _the_relay()
        self._id = next(_ids)
        self._relay.loaders[self._id] = self
        loaders, loader_id = self._relay.loaders, self._id
        self.destroyed.connect(lambda *_: loaders.pop(loader_id, None))

    def request(self, key: Hashable, fn: Callable[..., Any], *args: Any) -> None:
        self._pending.add(key)
        self._pool.start(_Task(self._relay, self._id, key, fn, args))

    def request_soon(self, key: Hashable, fn: Callable[..., Any], *args: Any) -> None:
        """Like :meth:`request`, but the pool starts on the event loop's next turn.

        For a burst of requests made while the GUI thread is still building what the
        user sees (a grid being filled as a project opens): the pool's first tasks
        import numpy and the decoders, which would take Python's lock from that work.
        The key counts as pending at once.
        """
        self._pending.add(key)
        if not self._soon:
            QTimer.singleShot(0, self, self._start_soon)
        self._soon.append(_Task(self._relay, self._id, key, fn, args))

    def _start_soon(self) -> None:
        tasks, self._soon = self._soon, []
        for task in tasks:
            self._pool.start(task)

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
