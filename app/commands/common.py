"""Flags every command spells the same way: ``--project``, ``--json``, ``--device``.

Each comes from a small parent parser (``add_parser(..., parents=[...])``), so
the flag, its type and its help are declared once. :class:`CoreChoices` lets a
flag's choices come from a core list or registry that is imported only when
the flag is checked or its help is shown, so building the parser stays light.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Iterator

from app.commands.types import device_choice

DEVICE_HELP = "auto, cpu, cuda or cuda:N"


def _parent() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(add_help=False)


def project_option(*, required: bool = True, help: str | None = None) -> argparse.ArgumentParser:
    """``--project DIR``: the project folder the command works on."""
    parent = _parent()
    parent.add_argument("--project", required=required, metavar="DIR", help=help)
    return parent


def json_option(help: str = "print JSON") -> argparse.ArgumentParser:
    """``--json``: print the command's result as JSON instead of text."""
    parent = _parent()
    parent.add_argument("--json", action="store_true", help=help)
    return parent


def device_option(help: str = DEVICE_HELP) -> argparse.ArgumentParser:
    """``--device``: auto (CUDA when present), cpu, cuda or cuda:N; every command the same."""
    parent = _parent()
    add_device_argument(parent, help=help)
    return parent


def add_device_argument(parser, *, help: str = DEVICE_HELP) -> None:
    """Add ``--device`` to ``parser`` (or a group); for code that adds flags one by one."""
    parser.add_argument("--device", default="auto", type=device_choice, help=help)


class CoreChoices:
    """argparse ``choices`` read from core on first use: ``CoreChoices("core.x", "NAMES")``.

    The attribute may be a sequence or a :class:`~core.registry.Registry`
    (its names). Give the flag a ``metavar``: without one argparse lists the
    choices while the parser is built, which would import the module.
    """

    def __init__(self, module: str, attribute: str) -> None:
        self.module, self.attribute = module, attribute
        self._names: list[str] | None = None

    def names(self) -> list[str]:
        if self._names is None:
            value = getattr(importlib.import_module(self.module), self.attribute)
            self._names = list(value.names() if hasattr(value, "names") else value)
        return self._names

    def __contains__(self, value: object) -> bool:
        return value in self.names()

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())
