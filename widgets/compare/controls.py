"""The compare view's tool bars, two rows that fit a 1366 px wide screen beside the browser.

Row 1 (:attr:`CompareControls.view_row`): mode buttons, layout, reference, the
mode's own settings (difference error and scale, or the swipe pair), Fit and 1:1.
Row 2 (:attr:`CompareControls.display_row`): exposure, levels, pixel values; an
application appends its own actions (add, remove, figures) to it.
Long image labels are elided in the pickers (the full label is in the list and
the tooltip) so a long run name never pushes controls off the bar.
"""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLabel,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from core.compare.difference import DIFF_MODES
from widgets.compare.keyboard import NumberFieldKeys, click_without_focus
from widgets.compare.widget import CompareWidget

# mode -> (button text, tooltip naming its key)
MODE_BUTTONS = {
    "side": ("Side by side", "Side by side (G): every image in its own view"),
    "swipe": ("Swipe", "Swipe (S): two images in one view, drag the divider"),
    "difference": ("Difference", "Difference (D): each view's error against the reference"),
}
# (layout, grid columns) -> title; "auto" with N columns fixes the grid's width.
LAYOUT_TITLES = {
    ("auto", 0): "Auto grid",
    ("rows", 0): "One row",
    ("columns", 0): "One column",
    ("auto", 2): "2 columns",
    ("auto", 3): "3 columns",
    ("auto", 4): "4 columns",
}
PICKER_CHARACTERS = 13  # visible characters of the reference picker (swipe A / B: 10)


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


def image_picker(tooltip: str, characters: int = PICKER_CHARACTERS) -> QComboBox:
    """A combo box of compared images, ``characters`` wide (longer labels are elided)."""
    box = QComboBox()
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(characters)
    box.setToolTip(tooltip)
    box.setProperty("base_tooltip", tooltip)
    return box


class CompareControls(QWidget):
    """Widgets bound to a :class:`CompareWidget`; they follow its state both ways."""

    def __init__(self, compare: CompareWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.compare = compare
        self.view_row = QToolBar("Compare view")
        self.display_row = QToolBar("Compare display")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.view_row)
        layout.addWidget(self.display_row)

        self.mode_group = QActionGroup(self)
        self.mode_actions: dict[str, QAction] = {}
        for key, (text, tip) in MODE_BUTTONS.items():
            action = QAction(text, self)
            action.setCheckable(True)
            action.setToolTip(tip)
            action.triggered.connect(lambda _=False, k=key: self._mode_clicked(k))
            self.mode_group.addAction(action)
            self.mode_actions[key] = action
        self.layout_box = QComboBox()
        self.layout_box.setToolTip("Layout: how the views are arranged")
        for key, title in LAYOUT_TITLES.items():
            self.layout_box.addItem(title, list(key))
        self.reference = image_picker("Reference (R: the selected view): difference and flicker")
        self.diff_mode = QComboBox()
        self.diff_mode.setToolTip("Error measure of the difference maps")
        self.diff_mode.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.diff_mode.setMinimumContentsLength(11)
        for name in ("absolute", "squared", "relative", "signed"):
            self.diff_mode.addItem(DIFF_MODES.get(name).title, name)
        self.diff_mode.view().setMinimumWidth(self.diff_mode.view().sizeHintForColumn(0) + 24)
        self.diff_scale = spin_box(0.01, 10000.0, 1.0, 2, "x")
        self.diff_scale.setToolTip("Difference scale (] doubles, [ halves)")
        self.exposure = spin_box(-10.0, 10.0, 0.5, 1, " EV")
        self.exposure.setToolTip("Exposure in stops (E / Shift+E); display only")
        self.black = spin_box(0.0, 0.99, 0.01, 2)
        self.black.setToolTip("Black level; display only")
        self.white = spin_box(0.01, 1.0, 0.01, 2)
        self.white.setToolTip("White level; display only")
        self.swipe_a = image_picker("Swipe A: left of (or above) the divider", 10)
        self.swipe_b = image_picker("Swipe B: right of (or below) the divider", 10)
        self.swipe_vertical = QCheckBox("Vertical")
        self.swipe_vertical.setToolTip("Vertical divider (A left, B right); off: A above, B below")
        self.values = QCheckBox("Pixel values")
        self.values.setToolTip("Write each pixel's R, G, B inside it at high zoom")
        click_without_focus(
            self.layout_box, self.reference, self.diff_mode, self.swipe_a, self.swipe_b,
            self.swipe_vertical, self.values,
        )  # fmt: skip
        self._number_keys = NumberFieldKeys(self)
        self._number_keys.install(self.diff_scale, self.exposure, self.black, self.white)

        row = self.view_row
        for action in self.mode_actions.values():
            row.addAction(action)
        row.addSeparator()
        self.layout_action = row.addWidget(self.layout_box)  # its items say what they are
        row.addWidget(QLabel(" Reference "))
        row.addWidget(self.reference)
        self.diff_separator = row.addSeparator()
        self.diff_label = row.addWidget(QLabel(" Error "))
        self.diff_mode_action = row.addWidget(self.diff_mode)
        self.diff_scale_action = row.addWidget(self.diff_scale)
        self.swipe_label = row.addWidget(QLabel(" A "))
        self.swipe_a_action = row.addWidget(self.swipe_a)
        self.swipe_b_label = row.addWidget(QLabel(" B "))
        self.swipe_b_action = row.addWidget(self.swipe_b)
        self.swipe_vertical_action = row.addWidget(self.swipe_vertical)
        row.addSeparator()
        for name, tip in (("fit", "Fit (F, double-click)"), ("actual", "1:1 pixels (1)")):
            action = compare.actions_by_name[name]
            action.setToolTip(tip)
            row.addAction(action)

        display = self.display_row
        display.addWidget(QLabel(" Exposure "))
        display.addWidget(self.exposure)
        display.addWidget(QLabel(" Levels "))
        display.addWidget(self.black)
        display.addWidget(self.white)
        display.addWidget(self.values)

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

    @property
    def rows(self) -> tuple[QToolBar, QToolBar]:
        return self.view_row, self.display_row

    def _mode_clicked(self, mode: str) -> None:
        if mode == "swipe" and self.compare.state.mode != "swipe":
            self.compare.toggle_swipe()  # takes the selected view as A, the reference as B
        else:
            self.compare.set_mode(mode)
        self.sync()  # a refused change (swipe of one image) shows the real mode again

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
                for i, name in enumerate(names):
                    box.setItemData(i, name, Qt.ItemDataRole.ToolTipRole)
            if names:  # the open list shows whole labels
                box.view().setMinimumWidth(box.view().sizeHintForColumn(0) + 24)
        self.sync()

    def sync(self) -> None:
        """Show the widget's state without feeding it back."""
        state = self.compare.state
        boxes = (
            self.layout_box, self.reference, self.diff_mode, self.diff_scale,
            self.exposure, self.black, self.white, self.swipe_a, self.swipe_b,
            self.swipe_vertical, self.values,
        )  # fmt: skip
        blockers = [QSignalBlocker(box) for box in boxes]
        self.mode_actions[state.mode].setChecked(True)
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
        for box in (self.reference, self.swipe_a, self.swipe_b):
            box.setToolTip(f"{box.property('base_tooltip')}\n{box.currentText()}".strip())
        difference, swipe = state.mode == "difference", state.mode == "swipe"
        self.layout_action.setVisible(not swipe)  # swipe shows one view: nothing to lay out
        for action in (
            self.diff_separator,
            self.diff_label,
            self.diff_mode_action,
            self.diff_scale_action,
        ):
            action.setVisible(difference)
        self.diff_separator.setVisible(difference or swipe)
        for action in (
            self.swipe_label,
            self.swipe_a_action,
            self.swipe_b_label,
            self.swipe_b_action,
            self.swipe_vertical_action,
        ):
            action.setVisible(swipe)
