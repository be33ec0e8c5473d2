"""Guards against Qt bindings that corrupt the interpreter (PySide6 6.12.0 on CPython 3.11)."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_do_not_consume_references_to_none(qapp):
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")  # a method returning nothing
    assert sys.getrefcount(None) - before > -100, (
        "this PySide6 build drops a reference to None per call and will abort the interpreter; "
        "install a version pyproject.toml allows"
    )
