"""A faster answer to PySide6's per-import question "does this module use PySide6?".

Once ``PySide6.QtCore`` is loaded, its ``__feature__`` machinery (``snake_case``,
``true_property``) hooks every later import and asks ``shibokensupport.feature.
_mod_uses_pyside(module)``, which runs ``inspect.getsource`` on the module: linecache,
encoding detection and line splitting for every file numpy, sqlite-utils, torch or pyiqa
import. On IRIS's start that is about 80 ms of the time before the project is shown, and
seconds more when torch loads on the worker.

The question only needs to know whether the text ``PySide6`` is in the module's source, so
for a module with a ``.py`` file this reads the raw bytes and looks for it (the same answer:
the name is ASCII, so it is found in the bytes exactly when it is in the decoded text).
Anything else (no file, an extension module, a file that cannot be read) goes to PySide6's
own check, so the answer never differs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType

FEATURE_MODULE = "shibokensupport.feature"
MARK = "_iris_fast_check"


def uses_pyside_fast(upstream: Callable[[ModuleType], bool]) -> Callable[[ModuleType], bool]:
    """``upstream``'s answer, read from the ``.py`` file's bytes where the module has one."""

    def mod_uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or not path.endswith(".py"):
            return upstream(module)
        try:
            with open(path, "rb") as source:
                return b"PySide6" in source.read()
        except OSError:
            return upstream(module)

    setattr(mod_uses_pyside, MARK, True)
    return mod_uses_pyside


def install() -> bool:
    """Replace PySide6's check with the fast one; True when it is in place.

    Call after the first ``import PySide6...``; without that module (another PySide6 version
    that has no such hook) nothing changes.
    """
    feature = sys.modules.get(FEATURE_MODULE)
    upstream = getattr(feature, "_mod_uses_pyside", None)
    if upstream is None:
        return False
    if not getattr(upstream, MARK, False):
        feature._mod_uses_pyside = uses_pyside_fast(upstream)
    return True
