"""A name -> lazily imported factory map: one pattern for every pluggable kind.

Restorers, editors, metrics, depth codecs and degradations register here. An
entry is either an object or a ``"package.module:attribute"`` string that is
imported on first use, so listing names never imports torch or pyiqa. The
registry doubles as a decorator (as in glue's registries)::

    METHODS = Registry("method")

    @METHODS.register("nlmeans", kind="classical")
    def nlmeans(...): ...

    METHODS.register_lazy("spandrel", "core.methods.spandrel_method:SPANDREL", kind="model")

:meth:`Registry.names` keeps registration order, so the order of the
registration lines is the order of menus, tabs and listings; error messages
list the known names sorted, for reading.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

from core.errors import RegistryError

T = TypeVar("T")


class Registry(Generic[T]):
    """Named entries of one kind (``kind`` appears in error messages)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._entries: dict[str, T | str] = {}
        self._meta: dict[str, dict[str, Any]] = {}

    def register(self, name: str, obj: T | None = None, **meta: Any) -> Any:
        """Register ``obj`` under ``name``; without ``obj``, return a decorator."""
        if obj is None:

            def decorator(target: T) -> T:
                self._add(name, target, meta)
                return target

            return decorator
        self._add(name, obj, meta)
        return obj

    def register_lazy(self, name: str, target: str, **meta: Any) -> None:
        """Register ``"module:attribute"`` to be imported when first asked for."""
        if ":" not in target:
            raise ValueError(f"lazy target must look like 'module:attribute', got {target!r}")
        self._add(name, target, meta)

    def _add(self, name: str, obj: T | str, meta: dict[str, Any]) -> None:
        if name in self._entries:
            raise ValueError(f"{self.kind} {name!r} is already registered")
        self._entries[name] = obj
        self._meta[name] = dict(meta)

    def get(self, name: str) -> T:
        """The entry called ``name``, importing it if it was registered lazily."""
        try:
            entry = self._entries[name]
        except KeyError:
            known = ", ".join(sorted(self._entries)) or "(none)"
            raise RegistryError(f"unknown {self.kind} {name!r}; known: {known}") from None
        if isinstance(entry, str):
            module_name, _, attribute = entry.partition(":")
            entry = getattr(importlib.import_module(module_name), attribute)
            self._entries[name] = entry
        return entry  # type: ignore[return-value]

    def meta(self, name: str) -> dict[str, Any]:
        """Metadata given at registration (labels, kinds); never triggers an import."""
        self.get_name(name)
        return dict(self._meta[name])

    def get_name(self, name: str) -> str:
        """``name`` itself if registered, else the same error :meth:`get` raises."""
        if name not in self._entries:
            known = ", ".join(sorted(self._entries)) or "(none)"
            raise RegistryError(f"unknown {self.kind} {name!r}; known: {known}")
        return name

    def is_loaded(self, name: str) -> bool:
        """Whether a lazy entry has been imported yet."""
        return not isinstance(self._entries.get(name), str)

    def names(self) -> list[str]:
        """The registered names in registration order (the order menus and listings show)."""
        return list(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self._entries)
