"""The review queue's top row: which set to walk, filters by label, annotator and method, progress."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

ALL = "(all)"


class QueueFilters(QWidget):
    """Four combos (data: the set key, label id, annotator, method name; None = all)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.set_combo = QComboBox()
        self.label_filter = QComboBox()
        self.annotator_filter = QComboBox()
        self.method_filter = QComboBox()
        self.progress_label = QLabel("0 of 0")
        self.progress_label.setMinimumWidth(40)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for title, combo in zip(("Set", "Label", "Annotator", "Method"), self.combos, strict=True):
            combo.currentIndexChanged.connect(lambda _index: self.changed.emit())
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(6)
            row.addWidget(QLabel(title))
            row.addWidget(combo, 1)
        row.addWidget(self.progress_label)

    @property
    def combos(self) -> tuple[QComboBox, ...]:
        return (self.set_combo, self.label_filter, self.annotator_filter, self.method_filter)

    @contextlib.contextmanager
    def quiet(self) -> Iterator[None]:
        """Refill the combos without a ``changed`` per item."""
        for combo in self.combos:
            combo.blockSignals(True)
        try:
            yield
        finally:
            for combo in self.combos:
                combo.blockSignals(False)

    def fill(
        self,
        sets: Iterable[tuple[str, str]],
        labels: Iterable[tuple[str, str]],
        annotators: Iterable[str],
        methods: Iterable[str],
    ) -> None:
        """Replace the choices: sets and labels as (key or id, title); "all" comes first."""
        with self.quiet():
            for combo in self.combos:
                combo.clear()
            for key, title in sets:
                self.set_combo.addItem(title, key)
            self.set_combo.addItem("Browser selection", "selection")
            self.label_filter.addItem(ALL, None)
            for label_id, title in labels:
                self.label_filter.addItem(title, label_id)
            self.method_filter.addItem(ALL, None)
            for name in methods:
                self.method_filter.addItem(name, name)
        self.set_annotators(annotators)

    def set_annotators(self, names: Iterable[str]) -> None:
        """New annotator choices, keeping the chosen one when it is still there."""
        current = self.annotator_filter.currentData()
        with self.quiet():
            self.annotator_filter.clear()
            self.annotator_filter.addItem(ALL, None)
            for name in names:
                self.annotator_filter.addItem(name, name)
            self.annotator_filter.setCurrentIndex(max(self.annotator_filter.findData(current), 0))

    def clear(self) -> None:
        with self.quiet():
            for combo in self.combos:
                combo.clear()
