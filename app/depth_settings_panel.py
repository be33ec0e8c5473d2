"""The Depth view's decoding and camera panel: the widgets that make a :class:`DepthSettings`.

Every widget starts at :mod:`core.depth.defaults`; :meth:`DepthSettingsPanel.settings`
is the record ``iris depth`` builds from the same options. The camera is a field
of view, the photo's EXIF focal length, or explicit intrinsics fx, fy, cx, cy
given for an image size (the depth map's, the photo's or a dataset's): a map
painted at another size gets them rescaled (``core.depth.intrinsics``).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from core.depth import defaults

AUTO = "auto"  # the Codec box's "not chosen": what the file is, else the default codec
MAX_SIDE = 65536  # the largest image side the intrinsics' size accepts


class ExactSpin(QDoubleSpinBox):
    """A spin box that gives back the exact value it was set to until the user changes it.

    It shows ``decimals`` places, so the default curve scale 10/3 reads 3.333; decoding
    with the shown value would differ from ``iris depth``'s 10/3.
    """

    _exact: float | None = None

    def setValue(self, value: float) -> None:  # noqa: N802 (Qt's name)
        super().setValue(value)
        self._exact = float(value)

    def exact_value(self) -> float:
        shown = self.value()
        if self._exact is not None and abs(shown - self._exact) <= 0.5 * 10.0 ** -self.decimals():
            return self._exact
        return shown


def spin(lo: float, hi: float, value: float, step: float, decimals: int = 3) -> ExactSpin:
    """An :class:`ExactSpin` that reports only finished edits (no value per keystroke)."""
    box = ExactSpin()
    box.setRange(lo, hi)
    box.setDecimals(decimals)
    box.setSingleStep(step)
    box.setValue(value)
    box.setKeyboardTracking(False)
    return box


def _side(value: int) -> QSpinBox:
    box = QSpinBox()
    box.setRange(1, MAX_SIDE)
    box.setValue(value)
    box.setKeyboardTracking(False)
    return box


class DepthSettingsPanel(QGroupBox):
    """Codec, curve, range, masking and camera; ``changed`` fires after any edit."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__("Decoding and camera", parent)
        self.codec = QComboBox()
        self.codec.addItems([AUTO, *defaults.CODEC_NAMES])
        self.codec.setToolTip(
            f"{AUTO}: what the file is (.npy, .exr, 16-bit grey PNG), else {defaults.DEFAULT_CODEC}"
        )
        self.curve_lambda = spin(-50.0, 50.0, defaults.DEFAULT_LAMBDA, 0.25)
        self.curve_scale = spin(0.01, 1000.0, defaults.DEFAULT_SCALE, 0.25)
        self.corners = QLineEdit(defaults.DEFAULT_CORNERS)
        self.corners.setMaxLength(8)
        self.range_mode = QComboBox()
        self.range_mode.addItems(list(defaults.RANGE_MODES))
        self.range_mode.setCurrentText(defaults.DEFAULT_RANGE_MODE)
        self.near = spin(0.0, 1e5, defaults.SUGGESTED_NEAR, 0.1)
        self.far = spin(0.001, 1e5, defaults.SUGGESTED_FAR, 1.0)
        self.reverse = QCheckBox("far to near")
        self.threshold = spin(0.0, 2.0, defaults.DEFAULT_MAX_PATH_DISTANCE, 0.01)
        self.mask = QCheckBox("mask")
        self.mask.setChecked(True)
        self.median = QCheckBox("3x3 median")
        self.hfov = spin(1.0, 179.0, defaults.DEFAULT_HFOV_DEG, 1.0, 1)
        self.use_exif = QCheckBox("EXIF focal if present")
        self.use_exif.setChecked(True)
        self.ray = QCheckBox("ray distance")
        self._build_intrinsics()

        form = QFormLayout(self)
        form.addRow("Codec", self.codec)
        form.addRow("lambda", self.curve_lambda)
        form.addRow("c", self.curve_scale)
        form.addRow("Corners", self.corners)
        form.addRow("Range", self.range_mode)
        form.addRow("Near (m)", self.near)
        form.addRow("Far (m)", self.far)
        form.addRow("", self.reverse)
        form.addRow("Max path dist.", self.threshold)
        form.addRow("", self.mask)
        form.addRow("", self.median)
        form.addRow("HFOV (deg)", self.hfov)
        form.addRow("", self.use_exif)
        form.addRow("", self.explicit)
        form.addRow("fx, fy (px)", self._pair(self.fx, self.fy))
        form.addRow("cx, cy (px)", self._pair(self.cx, self.cy))
        form.addRow("given for", self._pair(self.k_width, self.k_height))
        form.addRow("", self._pair(self.size_from_map, self.size_from_photo))
        form.addRow("", self.ray)
        for widget in (self.codec, self.range_mode):
            widget.currentTextChanged.connect(self._edited)
        for widget in (self.curve_lambda, self.curve_scale, self.near, self.far, self.threshold):
            widget.valueChanged.connect(self._edited)
        for widget in (self.hfov, self.fx, self.fy, self.cx, self.cy, self.k_width, self.k_height):
            widget.valueChanged.connect(self._edited)
        for box in (self.reverse, self.mask, self.median, self.use_exif, self.ray, self.explicit):
            box.toggled.connect(self._edited)
        self.corners.editingFinished.connect(self._edited)
        self.map_size: tuple[int, int] | None = None  # of the last decoded map
        self.photo_size: tuple[int, int] | None = None
        self.update_enabled(defaults.DEFAULT_CODEC)

    def _build_intrinsics(self) -> None:
        self.explicit = QCheckBox("explicit intrinsics")
        self.explicit.setToolTip(
            "fx, fy, cx, cy in pixels of the image size below; rescaled to the depth map's size"
        )
        self.fx, self.fy = spin(0.01, 1e6, 500.0, 10.0, 2), spin(0.01, 1e6, 500.0, 10.0, 2)
        self.cx, self.cy = spin(-1e6, 1e6, 320.0, 1.0, 2), spin(-1e6, 1e6, 240.0, 1.0, 2)
        self.k_width, self.k_height = _side(640), _side(480)
        self.size_from_map = QPushButton("Map size")
        self.size_from_map.setToolTip("The intrinsics are in pixels of the depth map")
        self.size_from_map.clicked.connect(lambda: self._set_size(self.map_size))
        self.size_from_photo = QPushButton("Photo size")
        self.size_from_photo.setToolTip("The intrinsics are in pixels of the photo file")
        self.size_from_photo.clicked.connect(lambda: self._set_size(self.photo_size))
        self.explicit.toggled.connect(self._on_explicit)

    @staticmethod
    def _pair(first: QWidget, second: QWidget) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (first, second):
            widget.setMinimumWidth(60)  # the panel must fit its scroll area (1366x768)
            layout.addWidget(widget)
        return row

    def _edited(self, *_args) -> None:
        self.changed.emit()

    def _set_size(self, size: tuple[int, int] | None) -> None:
        if size is not None:
            self.k_width.setValue(int(size[0]))
            self.k_height.setValue(int(size[1]))

    def set_camera(self, intrinsics) -> None:
        """Start the explicit fields from the camera in use (called after each decoding)."""
        self.map_size = (intrinsics.width, intrinsics.height)
        if self.explicit.isChecked():
            return
        values = {
            self.fx: intrinsics.fx,
            self.fy: intrinsics.fy,
            self.cx: intrinsics.cx,
            self.cy: intrinsics.cy,
            self.k_width: intrinsics.width,
            self.k_height: intrinsics.height,
        }
        for box, value in values.items():
            box.blockSignals(True)  # shown, not an edit: no new decoding
            box.setValue(value)
            box.blockSignals(False)

    def _on_explicit(self, _checked: bool) -> None:
        self.update_enabled(self._codec_shown)

    # -- the record ----------------------------------------------------------------------

    def intrinsics_text(self) -> str | None:
        """``fx,fy,cx,cy@WxH`` when explicit intrinsics are on, else None."""
        if not self.explicit.isChecked():
            return None
        from core.depth.intrinsics import format_intrinsics

        values = (b.exact_value() for b in (self.fx, self.fy, self.cx, self.cy))
        return format_intrinsics(*values, (self.k_width.value(), self.k_height.value()))

    def settings(self):
        """The panel as :class:`DepthSettings`, the record ``iris depth`` builds from its options."""
        from core.depth.settings import DepthSettings

        codec = self.codec.currentText()
        range_mode = self.range_mode.currentText()
        curve = range_mode == "curve"
        return DepthSettings(
            codec=None if codec == AUTO else codec,
            curve_lambda=self.curve_lambda.exact_value(),
            curve_scale=self.curve_scale.exact_value(),
            corners=self.corners.text().strip().upper() or defaults.DEFAULT_CORNERS,
            range_mode=range_mode,
            near=None if curve else self.near.exact_value(),  # as iris depth: only for a range
            far=None if curve else self.far.exact_value(),
            reverse=self.reverse.isChecked(),
            max_path_distance=self.threshold.exact_value() if self.mask.isChecked() else None,
            median=self.median.isChecked(),
            hfov_deg=None if self.use_exif.isChecked() else self.hfov.exact_value(),
            intrinsics=self.intrinsics_text(),
            depth_kind="ray" if self.ray.isChecked() else "z",
        )

    _codec_shown = defaults.DEFAULT_CODEC

    def update_enabled(self, codec: str) -> None:
        """Enable what ``codec`` (the chosen one, or the one "auto" resolved to) uses."""
        self._codec_shown = codec
        raw = codec in defaults.RAW_CODECS
        banana = codec == "vision-banana"
        curve = banana or self.range_mode.currentText() == "curve"
        self.corners.setEnabled(banana)
        self.range_mode.setEnabled(not banana and not raw)
        self.reverse.setEnabled(not banana and not raw)
        self.curve_lambda.setEnabled(curve and not raw)
        self.curve_scale.setEnabled(curve and not raw)
        self.near.setEnabled(not curve and not raw)
        self.far.setEnabled(not curve and not raw)
        self.mask.setEnabled(not raw)
        self.median.setEnabled(not raw)
        self.threshold.setEnabled(self.mask.isChecked() and not raw)
        explicit = self.explicit.isChecked()
        self.hfov.setEnabled(not explicit and not self.use_exif.isChecked())
        self.use_exif.setEnabled(not explicit)
        for widget in (self.fx, self.fy, self.cx, self.cy, self.k_width, self.k_height):
            widget.setEnabled(explicit)
        self.size_from_map.setEnabled(explicit and self.map_size is not None)
        self.size_from_photo.setEnabled(explicit and self.photo_size is not None)
