"""The GUI's last line of defence: an exception no job or slot caught is logged and shown.

Qt prints an exception raised in a slot or a virtual method through
``sys.excepthook`` and carries on; for a user that is a traceback on a console
they may not even have. :func:`install` (called by :func:`app.gui.launch`,
never on import, so pytest-qt's own hook keeps working in tests) logs the
traceback and shows one line with the log's path in the window's error dialog.
Exceptions in other threads travel to the GUI thread through a queued signal.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

TITLE = "Unexpected error"


class _Relay(QObject):
    """Lives in the GUI thread; a message emitted from any thread is shown there."""

    message = Signal(str)


def install(report: Callable[[str, str], None]) -> Callable[[], None]:
    """Route uncaught exceptions to the log and to ``report(title, message)``; returns an undo."""
    from core.crashlog import crash_message, record_crash

    previous_hook, previous_thread_hook = sys.excepthook, threading.excepthook
    relay = _Relay()
    showing = threading.local()

    def show(message: str) -> None:
        if getattr(showing, "active", False):  # the dialog itself failed: do not recurse
            print(f"iris gui: {message}", file=sys.stderr)
            return
        showing.active = True
        try:
            report(TITLE, message)
        except Exception:
            print(f"iris gui: {message}", file=sys.stderr)
        finally:
            showing.active = False

    relay.message.connect(show, Qt.ConnectionType.QueuedConnection)

    def handle(exc: BaseException | None, tb, where: str) -> None:
        if exc is None:
            return
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        try:
            message = crash_message(exc, record_crash(exc, where))
        except Exception:  # never let the hook raise: that would print a traceback after all
            message = f"unexpected error: {type(exc).__name__}"
        if threading.current_thread() is threading.main_thread():
            show(message)
        else:
            relay.message.emit(message)

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            previous_hook(exc_type, exc, tb)
            return
        handle(exc, tb, "iris gui")

    def thread_hook(args) -> None:
        if issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "a thread"
        handle(args.exc_value, args.exc_traceback, f"iris gui, thread {name}")

    sys.excepthook = hook
    threading.excepthook = thread_hook

    def undo() -> None:
        if sys.excepthook is hook:
            sys.excepthook = previous_hook
        if threading.excepthook is thread_hook:
            threading.excepthook = previous_thread_hook
        relay.deleteLater()

    return undo
