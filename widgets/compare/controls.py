"""The compare view's tool bar: mode, layout, reference, difference, levels, swipe pair, crop."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QToolBar,
    QWidget,
)

from core.compare.difference import DIFF_MODES
from widgets.compare.widget import CompareWidget

MODE_TITLES = {"side": "Side by side", "swipe": "Swipe", "difference": "Difference"}
# (layout, grid columns) -> title; "auto" with N columns fixes the grid's width.
LAYOUT_TITLES = {
    ("auto", 0): "Auto grid",
    ("rows", 0): "One row",
    ("columns", 0): "One column",
    ("auto", 2): "2 columns",
    ("auto", 3): "3 columns",
    ("auto", 4): "4 columns",
}


def spin_box(
    low: float, high: float, step: float, decimals: int, suffix: str = ""
) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setSuffix(suffix)
    box.setKeyboardTracking(False)
    return box


class CompareControls(QToolBar):
    """Widgets bound to a :class:`CompareWidget`; they follow its state both ways."""

    def __init__(self, compare: CompareWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compare = compare
        self.mode = QComboBox()
        for key, title in MODE_TITLES.items():
            self.mode.addItem(title, key)
        self.layout_box = QComboBox()
        for key, title in LAYOUT_TITLES.items():
            self.layout_box.addItem(title, list(key))
        self.reference = QComboBox()
        self.reference.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.diff_mode = QComboBox()
        for name in ("absolute", "squared", "relative", "signed"):
            self.diff_mode.addItem(DIFF_MODES.get(name).title, name)
        self.diff_scale = spin_box(0.01, 10000.0, 1.0, 2, "x")
        self.exposure = spin_box(-10.0, 10.0, 0.5, 1, " EV")
        self.black = spin_box(0.0, 0.99, 0.01, 2)
        self.white = spin_box(0.01, 1.0, 0.01, 2)
        self.swipe_a = QComboBox()
        self.swipe_b = QComboBox()
        for box in (self.swipe_a, self.swipe_b):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.swipe_vertical = QCheckBox("Vertical divider")
        self.values = QCheckBox("Pixel values")

        self.addWidget(QLabel(" Mode "))
        self.addWidget(self.mode)
        self.addWidget(QLabel(" Layout "))
        self.addWidget(self.layout_box)
        self.addWidget(QLabel(" Reference "))
        self.addWidget(self.reference)
        self.addSeparator()
        self.diff_label = self.addWidget(QLabel(" Error "))
        self.diff_mode_action = self.addWidget(self.diff_mode)
        self.diff_scale_action = self.addWidget(self.diff_scale)
        self.swipe_label = self.addWidget(QLabel(" Swipe "))
        self.swipe_a_action = self.addWidget(self.swipe_a)
        self.swipe_b_action = self.addWidget(self.swipe_b)
        self.swipe_vertical_action = self.addWidget(self.swipe_vertical)
        self.addSeparator()
        self.addWidget(QLabel(" Exposure "))
        self.addWidget(self.exposure)
        self.addWidget(QLabel(" Levels "))
        self.addWidget(self.black)
        self.addWidget(self.white)
        self.addWidget(self.values)

        self.mode.currentIndexChanged.connect(lambda _i: compare.set_mode(self.mode.currentData()))
        self.layout_box.currentIndexChanged.connect(
            lambda _i: compare.set_layout(*self.layout_box.currentData())
        )
        self.reference.currentIndexChanged.connect(
            lambda i: compare.set_reference(i) if i >= 0 else None
        )
        self.diff_mode.currentIndexChanged.connect(
            lambda _i: compare.set_diff_mode(self.diff_mode.currentData())
        )
        self.diff_scale.valueChanged.connect(compare.set_diff_scale)
        for box in (self.exposure, self.black, self.white):
            box.valueChanged.connect(self._levels_changed)
        self.swipe_a.currentIndexChanged.connect(self._swipe_changed)
        self.swipe_b.currentIndexChanged.connect(self._swipe_changed)
        self.swipe_vertical.toggled.connect(compare.set_swipe_vertical)
        self.values.toggled.connect(compare.set_pixel_values)
        compare.state_changed.connect(self.sync)
        compare.mode_changed.connect(lambda _m: self.sync())
        self.sync()

    def _levels_changed(self) -> None:
        black, white = self.black.value(), self.white.value()
        if white <= black:
            return
        self.compare.set_levels(self.exposure.value(), black, white)

    def _swipe_changed(self) -> None:
        a, b = self.swipe_a.currentIndex(), self.swipe_b.currentIndex()
        if a >= 0 and b >= 0:
            self.compare.set_swipe_pair(a, b)

    def set_labels(self, labels: list[str]) -> None:
        """Refill the image pickers (reference, swipe A and B) after the images changed."""
        names = [f"{i + 1}: {label}" for i, label in enumerate(labels)]
        for box in (self.reference, self.swipe_a, self.swipe_b):
            with QSignalBlocker(box):
                box.clear()
                box.addItems(names)
        self.sync()

    def sync(self) -> None:
        """Show the widget's state without feeding it back."""
        state = self.compare.state
        boxes = (
            self.mode, self.layout_box, self.reference, self.diff_mode, self.diff_scale,
            self.exposure, self.black, self.white, self.swipe_a, self.swipe_b,
            self.swipe_vertical, self.values,
        )  # fmt: skip
        blockers = [QSignalBlocker(box) for box in boxes]
        self.mode.setCurrentIndex(self.mode.findData(state.mode))
        columns = state.grid_columns if state.layout == "auto" else 0
        self.layout_box.setCurrentIndex(self.layout_box.findData([state.layout, columns]))
        self.reference.setCurrentIndex(min(state.reference, self.reference.count() - 1))
        self.diff_mode.setCurrentIndex(self.diff_mode.findData(state.diff_mode))
        self.diff_scale.setValue(state.diff_scale)
        self.exposure.setValue(state.exposure)
        self.black.setValue(state.black)
        self.white.setValue(state.white)
        a, b = self.compare.swipe_pair()
        self.swipe_a.setCurrentIndex(min(a, self.swipe_a.count() - 1))
        self.swipe_b.setCurrentIndex(min(b, self.swipe_b.count() - 1))
        self.swipe_vertical.setChecked(state.swipe_vertical)
        self.values.setChecked(state.pixel_values)
        del blockers
        difference, swipe = state.mode == "difference", state.mode == "swipe"
        for action in (self.diff_label, self.diff_mode_action, self.diff_scale_action):
            action.setVisible(difference)
        for action in (
            self.swipe_label,
            self.swipe_a_action,
            self.swipe_b_action,
            self.swipe_vertical_action,
        ):
            action.setVisible(swipe)
