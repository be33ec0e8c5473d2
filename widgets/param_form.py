"""A form built from parameter specs, so every pluggable kind (methods, degradations) gets a UI.

A spec is either a mapping (``Param.describe()`` of a degradation) or an object
with the same attributes (``core.methods.Param``): ``name``, ``type``, and
optional ``default``, ``help``, ``min``, ``max``, ``choices``, ``step``, ``unit``.
Types: ``float`` and ``int`` (bounded spin boxes), ``bool`` (check box),
``choice`` (combo box), ``str`` (one line), ``text`` (several lines) and
``path`` (one line plus a file chooser). Values that differ from the defaults
given to :meth:`ParamForm.set_params` are shown in bold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

INT_LIMIT = 2**31 - 1
SPEC_FIELDS = ("name", "type", "default", "help", "min", "max", "choices", "step", "unit")


def spec_dict(spec: Any) -> dict[str, Any]:
    """A spec as a plain dict, whether it was given as a mapping or as an object."""
    if isinstance(spec, Mapping):
        return dict(spec)
    return {key: getattr(spec, key) for key in SPEC_FIELDS if getattr(spec, key, None) is not None}


def decimals_for(spec: Mapping[str, Any]) -> int:
    """Enough decimals to show the smallest non-zero bound or default of a float spec."""
    values = [abs(float(spec[k])) for k in ("min", "max", "default") if spec.get(k)]
    smallest = min(values, default=1.0)
    return 6 if smallest < 1e-3 else 4 if smallest < 0.1 else 3


def differs(value: Any, default: Any, decimals: int = 3) -> bool:
    """Whether an edited value differs from a default (numbers to the editor's precision)."""
    if isinstance(value, int | float) and isinstance(default, int | float):
        return abs(float(value) - float(default)) > 0.5 * 10**-decimals
    return value != default


class ParamForm(QWidget):
    """Editors for parameter specs; ``value_changed(name, value)`` and ``changed()`` on user edits."""

    value_changed = Signal(str, object)
    changed = Signal()

    def __init__(self, specs: Sequence[Any] = (), parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QFormLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._editors: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}
        self._specs: dict[str, dict[str, Any]] = {}
        self._defaults: dict[str, Any] = {}
        self._updating = False
        if specs:
            self.set_params(specs)

    @property
    def editors(self) -> dict[str, QWidget]:
        return dict(self._editors)

    def editor(self, name: str) -> QWidget:
        return self._editors[name]

    # -- building ------------------------------------------------------------------------

    def set_params(
        self,
        specs: Sequence[Any],
        values: Mapping[str, Any] | None = None,
        defaults: Mapping[str, Any] | None = None,
    ) -> None:
        """Rebuild the form; ``values`` default to the specs' defaults, ``defaults`` to none."""
        while self._layout.rowCount():
            self._layout.removeRow(0)
        self._editors.clear()
        self._labels.clear()
        self._specs = {s["name"]: s for s in map(spec_dict, specs)}
        self._defaults = dict(defaults or {})
        values = dict(values or {})
        self._updating = True
        try:
            for name, spec in self._specs.items():
                editor, field = self._make_editor(spec)
                unit = f" ({spec['unit']})" if spec.get("unit") else ""
                label = QLabel(name.replace("_", " ") + unit)
                for widget in (label, field):
                    widget.setToolTip(spec.get("help", ""))
                self._editors[name] = editor
                self._labels[name] = label
                self._layout.addRow(label, field)
                self._set_editor(name, values.get(name, spec.get("default")))
        finally:
            self._updating = False
        self._mark()

    def _make_editor(self, spec: Mapping[str, Any]) -> tuple[QWidget, QWidget]:
        name, kind = spec["name"], spec["type"]
        if kind == "float":
            box = QDoubleSpinBox()
            box.setDecimals(decimals_for(spec))
            box.setRange(float(spec.get("min", -1e9)), float(spec.get("max", 1e9)))
            span = box.maximum() - box.minimum()
            box.setSingleStep(
                spec.get("step") or (0.01 if span <= 2 else 0.1 if span <= 30 else 1.0)
            )
            box.valueChanged.connect(lambda v, n=name: self._edited(n, float(v)))
            return box, box
        if kind == "int":
            box = QSpinBox()
            box.setRange(int(spec.get("min", -INT_LIMIT)), int(spec.get("max", INT_LIMIT)))
            box.valueChanged.connect(lambda v, n=name: self._edited(n, int(v)))
            return box, box
        if kind == "bool":
            check = QCheckBox()
            check.toggled.connect(lambda v, n=name: self._edited(n, bool(v)))
            return check, check
        if kind == "choice":
            combo = QComboBox()
            combo.addItems([str(c) for c in spec.get("choices", [])])
            combo.currentTextChanged.connect(lambda t, n=name: self._edited(n, t))
            return combo, combo
        if kind == "text":
            text = QPlainTextEdit()
            text.setFixedHeight(90)
            text.textChanged.connect(lambda n=name, w=text: self._edited(n, w.toPlainText()))
            return text, text
        line = QLineEdit()
        line.editingFinished.connect(lambda n=name, w=line: self._edited(n, w.text()))
        if kind != "path":
            return line, line
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
        if isinstance(editor, QSpinBox):
            editor.setValue(int(value) if value is not None else editor.minimum())
        elif isinstance(editor, QDoubleSpinBox):
            editor.setValue(float(value) if value is not None else editor.minimum())
        elif isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            if value is not None and editor.findText(str(value)) < 0:
                editor.addItem(str(value))
            editor.setCurrentText(str(value))
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText("" if value is None else str(value))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))

    def set_value(self, name: str, value: Any) -> None:
        """Show ``value`` in one editor (a program's change: ``value_changed`` is not emitted)."""
        self.set_values({name: value}, self._defaults)

    def set_values(
        self, values: Mapping[str, Any], defaults: Mapping[str, Any] | None = None
    ) -> None:
        """Show new values without emitting ``value_changed`` (e.g. after a severity change)."""
        if defaults is not None:
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
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QComboBox):
            return editor.currentText()
        if isinstance(editor, QPlainTextEdit):
            return editor.toPlainText()
        return editor.text()  # type: ignore[union-attr]

    def values(self) -> dict[str, Any]:
        return {name: self.value(name) for name in self._editors}

    def _edited(self, name: str, value: Any) -> None:
        if self._updating:
            return
        self._mark()
        self.value_changed.emit(name, value)
        self.changed.emit()

    def _mark(self) -> None:
        """Bold labels for values that differ from the defaults."""
        for name, label in self._labels.items():
            spec = self._specs[name]
            places = decimals_for(spec) if spec["type"] == "float" else 0
            font = label.font()
            font.setBold(
                name in self._defaults and differs(self.value(name), self._defaults[name], places)
            )
            label.setFont(font)
