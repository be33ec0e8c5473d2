"""A form generated from parameter specs (``core.methods.base.Param``): one editor per parameter.

Numbers get spin boxes bounded by the spec's range, choices a combo box,
booleans a check box, long text a text box. ``values()`` returns plain Python
values ready for ``Method.validate``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

INT_LIMIT = 2**31 - 1


def _decimals(spec) -> int:
    """Enough decimals to show the smallest non-zero bound or default of a float spec."""
    values = [abs(v) for v in (spec.min, spec.max, spec.default) if v]
    smallest = min(values, default=1.0)
    return 6 if smallest < 1e-3 else 4 if smallest < 0.1 else 3


class ParamForm(QWidget):
    """Editors for a list of parameter specs; emits ``changed`` on any edit."""

    changed = Signal()

    def __init__(self, params=(), parent=None) -> None:
        super().__init__(parent)
        self.layout_ = QFormLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.editors: dict[str, QWidget] = {}
        self.specs: dict[str, Any] = {}
        self.set_params(params)

    def set_params(self, params) -> None:
        while self.layout_.rowCount():
            self.layout_.removeRow(0)
        self.editors.clear()
        self.specs = {spec.name: spec for spec in params}
        for spec in params:
            editor = self._editor(spec)
            editor.setToolTip(spec.help)
            self.editors[spec.name] = editor
            self.layout_.addRow(spec.name.replace("_", " "), editor)

    def _editor(self, spec) -> QWidget:
        if spec.type == "int":
            box = QSpinBox()
            box.setRange(int(spec.min if spec.min is not None else -INT_LIMIT),
                         int(spec.max if spec.max is not None else INT_LIMIT))  # fmt: skip
            box.setValue(int(spec.default))
            box.valueChanged.connect(self.changed)
            return box
        if spec.type == "float":
            box = QDoubleSpinBox()
            box.setDecimals(_decimals(spec))
            box.setRange(spec.min if spec.min is not None else -1e9,
                         spec.max if spec.max is not None else 1e9)  # fmt: skip
            box.setSingleStep(
                spec.step or max((box.maximum() - box.minimum()) / 100, 10 ** -box.decimals())
            )
            box.setValue(float(spec.default))
            box.valueChanged.connect(self.changed)
            return box
        if spec.type == "bool":
            check = QCheckBox()
            check.setChecked(bool(spec.default))
            check.toggled.connect(self.changed)
            return check
        if spec.type == "choice":
            combo = QComboBox()
            combo.addItems(list(spec.choices))
            combo.setCurrentText(str(spec.default))
            combo.currentTextChanged.connect(self.changed)
            return combo
        if spec.type == "text":
            text = QPlainTextEdit(str(spec.default))
            text.setFixedHeight(90)
            text.textChanged.connect(self.changed)
            return text
        line = QLineEdit(str(spec.default))
        line.textChanged.connect(self.changed)
        return line

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if isinstance(editor, QSpinBox | QDoubleSpinBox):
                out[name] = editor.value()
            elif isinstance(editor, QCheckBox):
                out[name] = editor.isChecked()
            elif isinstance(editor, QComboBox):
                out[name] = editor.currentText()
            elif isinstance(editor, QPlainTextEdit):
                out[name] = editor.toPlainText()
            elif isinstance(editor, QLineEdit):
                out[name] = editor.text()
        return out

    def set_value(self, name: str, value: Any) -> None:
        editor = self.editors[name]
        if isinstance(editor, QSpinBox):
            editor.setValue(int(value))
        elif isinstance(editor, QDoubleSpinBox):
            editor.setValue(float(value))
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            if editor.findText(str(value)) < 0:
                editor.addItem(str(value))
            editor.setCurrentText(str(value))
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(str(value))
        elif isinstance(editor, QLineEdit):
            editor.setText(str(value))
