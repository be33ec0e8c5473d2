"""A form built from parameter descriptions (plain dicts), so every pluggable kind gets a UI for free.

A description is what ``Param.describe()`` returns: ``name``, ``type`` (``float``,
``int``, ``choice``, ``text``), ``help`` and optional ``min``, ``max``,
``choices``, ``unit``. The form shows one editor per parameter, marks values
that differ from the current defaults in bold, and reports each edit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

INT_LIMIT = 2_000_000_000


def differs(value: Any, default: Any) -> bool:
    """Whether an edited value differs from a default (numbers to the editor's 3 decimals)."""
    if isinstance(value, int | float) and isinstance(default, int | float):
        return abs(float(value) - float(default)) > 5e-4
    return value != default


class ParamForm(QWidget):
    """Editors for a list of parameter descriptions; emits ``value_changed(name, value)``."""

    value_changed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._editors: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}
        self._specs: dict[str, Mapping[str, Any]] = {}
        self._defaults: dict[str, Any] = {}
        self._updating = False

    # -- building ------------------------------------------------------------------------

    def set_params(
        self,
        specs: Sequence[Mapping[str, Any]],
        values: Mapping[str, Any],
        defaults: Mapping[str, Any],
    ) -> None:
        """Rebuild the form for ``specs`` showing ``values``; ``defaults`` are shown un-bolded."""
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._editors.clear()
        self._labels.clear()
        self._specs = {spec["name"]: spec for spec in specs}
        self._defaults = dict(defaults)
        self._updating = True
        try:
            for spec in specs:
                editor, field = self._make_editor(spec)
                label = QLabel(spec["name"] + (f" ({spec['unit']})" if spec.get("unit") else ""))
                label.setToolTip(spec.get("help", ""))
                field.setToolTip(spec.get("help", ""))
                self._editors[spec["name"]] = editor
                self._labels[spec["name"]] = label
                self._layout.addRow(label, field)
                self._set_editor(spec["name"], values.get(spec["name"]))
        finally:
            self._updating = False
        self._mark()

    def _make_editor(self, spec: Mapping[str, Any]) -> tuple[QWidget, QWidget]:
        name, kind = spec["name"], spec["type"]
        if kind == "float":
            box = QDoubleSpinBox()
            box.setDecimals(3)
            box.setRange(float(spec.get("min", -1e9)), float(spec.get("max", 1e9)))
            span = box.maximum() - box.minimum()
            box.setSingleStep(0.01 if span <= 2 else 0.1 if span <= 30 else 1.0)
            box.valueChanged.connect(lambda v, n=name: self._edited(n, float(v)))
            return box, box
        if kind == "int":
            box = QSpinBox()
            box.setRange(int(spec.get("min", -INT_LIMIT)), int(spec.get("max", INT_LIMIT)))
            box.valueChanged.connect(lambda v, n=name: self._edited(n, int(v)))
            return box, box
        if kind == "choice":
            combo = QComboBox()
            combo.addItems([str(c) for c in spec.get("choices", [])])
            combo.currentTextChanged.connect(lambda t, n=name: self._edited(n, t))
            return combo, combo
        line = QLineEdit()
        line.editingFinished.connect(lambda n=name, w=line: self._edited(n, w.text()))
        browse = QPushButton("...")
        browse.setToolTip("choose a file")
        browse.setFixedWidth(28)
        browse.clicked.connect(lambda _=False, n=name, w=line: self._browse(n, w))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(line, 1)
        layout.addWidget(browse)
        return line, row

    def _browse(self, name: str, line: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(self, f"Choose a file for {name}")
        if path:
            line.setText(path)
            self._edited(name, path)

    # -- values ----------------------------------------------------------------------------

    def _set_editor(self, name: str, value: Any) -> None:
        editor = self._editors[name]
        if isinstance(editor, QDoubleSpinBox | QSpinBox):
            editor.setValue(value if value is not None else editor.minimum())
        elif isinstance(editor, QComboBox):
            editor.setCurrentText(str(value))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def set_values(self, values: Mapping[str, Any], defaults: Mapping[str, Any]) -> None:
        """Show new values without emitting ``value_changed`` (e.g. after a severity change)."""
        self._defaults = dict(defaults)
        self._updating = True
        try:
            for name, value in values.items():
                if name in self._editors:
                    self._set_editor(name, value)
        finally:
            self._updating = False
        self._mark()

    def value(self, name: str) -> Any:
        editor = self._editors[name]
        if isinstance(editor, QDoubleSpinBox):
            return float(editor.value())
        if isinstance(editor, QSpinBox):
            return int(editor.value())
        if isinstance(editor, QComboBox):
            return editor.currentText()
        return editor.text()  # type: ignore[union-attr]

    def values(self) -> dict[str, Any]:
        return {name: self.value(name) for name in self._editors}

    def editor(self, name: str) -> QWidget:
        return self._editors[name]

    def _edited(self, name: str, value: Any) -> None:
        if self._updating:
            return
        self._mark()
        self.value_changed.emit(name, value)

    def _mark(self) -> None:
        """Bold labels for values that differ from the defaults."""
        for name, label in self._labels.items():
            font = label.font()
            font.setBold(name in self._defaults and differs(self.value(name), self._defaults[name]))
            label.setFont(font)
