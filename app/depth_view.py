"""The Depth view: a generated depth map decoded to metres, beside its photo and as a 3D cloud.

The selected image is the map (or a depth file opened from disk: ``.npy``,
``.exr``, a 16-bit PNG); a second selected image (or one whose name pairs with
it, ``scene_1.png`` with ``scene_0.jpg``) is the photo that colours the points
and may carry an EXIF focal length. Decoding, unprojection and export are the
CLI's (``core.depth.pipeline``, ``core.depth.export``) and run on the compute
worker; the UI thread only shows results.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.views import ViewContext
from core.depth import defaults
from widgets.colour_bar import ColourBar
from widgets.image_canvas import ImageCanvas
from widgets.pointcloud_view import PointCloudView
from widgets.qimage import rgb_to_qimage

if TYPE_CHECKING:
    from core.depth.pipeline import DepthScene
    from core.project import ImageRecord, Project

_PAIR_SUFFIX = re.compile(r"[_\-. ](\d+|depth|normals?|map|rgb|photo|image|input|output)$", re.I)
AUTO = "auto"  # the Codec box's "not chosen": what the file is, else the default codec
DEBOUNCE_MS = 250
DEPTH_FILES = "Depth files (*.png *.npy *.exr);;All files (*)"


def pair_key(name: str) -> str:
    """``scene_1.png`` and ``scene_0.jpg`` share the key ``scene``."""
    stem = name.rsplit(".", 1)[0]
    return _PAIR_SUFFIX.sub("", stem).lower()


def find_photo(image: ImageRecord, images: list[ImageRecord]) -> ImageRecord | None:
    """Another image whose name pairs with ``image``'s (the first by id)."""
    key = pair_key(image.name)
    for other in images:
        if other.id != image.id and pair_key(other.name) == key:
            return other
    return None


class _ExactSpin(QDoubleSpinBox):
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


def _spin(lo: float, hi: float, value: float, step: float, decimals: int = 3) -> _ExactSpin:
    spin = _ExactSpin()
    spin.setRange(lo, hi)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setValue(value)
    spin.setKeyboardTracking(False)
    return spin


class DepthView(QWidget):
    """Photo | decoded depth with colour bar | 3D cloud, with the codec and camera parameters."""

    def __init__(self, context: ViewContext, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.project: Project | None = None
        self._keep_marked_map = False
        self.map_image: ImageRecord | None = None
        self.map_file: str | None = None  # a depth file opened from disk instead of an image
        self.photo_image: ImageRecord | None = None
        self.scene: DepthScene | None = None
        self.error: str | None = None
        self._handle = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_job)

        self.photo_canvas = ImageCanvas()
        self.depth_canvas = ImageCanvas()
        self.colour_bar = ColourBar()
        self.readout = QLabel("Pick a depth map (and its photo) in the browser")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for canvas in (self.photo_canvas, self.depth_canvas):
            canvas.pixel_hovered.connect(self._on_hover)
        self.cloud_view = PointCloudView()

        images = QWidget()
        images_layout = QVBoxLayout(images)
        images_layout.setContentsMargins(0, 0, 0, 0)
        images_layout.addWidget(QLabel("Photo"))
        images_layout.addWidget(self.photo_canvas, 1)
        images_layout.addWidget(QLabel("Decoded depth"))
        depth_row = QHBoxLayout()
        depth_row.addWidget(self.depth_canvas, 1)
        depth_row.addWidget(self.colour_bar)
        images_layout.addLayout(depth_row, 1)
        images_layout.addWidget(self.readout)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(images)
        splitter.addWidget(self._build_cloud_panel())
        splitter.addWidget(self._build_parameters())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([380, 640, 260])
        for index in range(splitter.count()):
            splitter.widget(index).setMinimumWidth(80)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setMinimumSize(240, 200)  # a small main window must stay possible
        self._update_enabled()

    # -- layout --------------------------------------------------------------------------

    def _build_cloud_panel(self) -> QWidget:
        self.point_size = _spin(0.5, 20.0, 2.0, 0.5, 1)
        self.point_size.valueChanged.connect(self.cloud_view.set_point_size)
        self.colour_mode = QComboBox()
        self.colour_mode.addItems(["photo", "depth", "normal"])
        self.colour_mode.currentTextChanged.connect(self._recolour)
        self.frustum = QCheckBox("Camera")
        self.frustum.setChecked(True)
        self.frustum.toggled.connect(self.cloud_view.set_frustum_visible)
        fit = QPushButton("Fit")
        fit.clicked.connect(self.cloud_view.fit)
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Points"))
        controls.addWidget(self.point_size)
        controls.addWidget(QLabel("Colour"))
        controls.addWidget(self.colour_mode)
        controls.addWidget(self.frustum)
        controls.addWidget(fit)
        controls.addStretch(1)
        self.cloud_info = QLabel(" ")
        panel = QWidget()
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.addLayout(controls)
        panel_layout.addWidget(self.cloud_view, 1)
        panel_layout.addWidget(self.cloud_info)
        return panel

    def _build_parameters(self) -> QWidget:
        from core.depth.export import EXPORTS

        self.codec = QComboBox()
        self.codec.addItems([AUTO, *defaults.CODEC_NAMES])
        self.codec.setToolTip(
            f"{AUTO}: what the file is (.npy, .exr, 16-bit grey PNG), else {defaults.DEFAULT_CODEC}"
        )
        self.curve_lambda = _spin(-50.0, 50.0, defaults.DEFAULT_LAMBDA, 0.25)
        self.curve_scale = _spin(0.01, 1000.0, defaults.DEFAULT_SCALE, 0.25)
        self.corners = QLineEdit(defaults.DEFAULT_CORNERS)
        self.corners.setMaxLength(8)
        self.range_mode = QComboBox()
        self.range_mode.addItems(list(defaults.RANGE_MODES))
        self.range_mode.setCurrentText(defaults.DEFAULT_RANGE_MODE)
        self.near = _spin(0.0, 1e5, defaults.SUGGESTED_NEAR, 0.1)
        self.far = _spin(0.001, 1e5, defaults.SUGGESTED_FAR, 1.0)
        self.reverse = QCheckBox("far to near")
        self.threshold = _spin(0.0, 2.0, defaults.DEFAULT_MAX_PATH_DISTANCE, 0.01)
        self.mask = QCheckBox("mask")
        self.mask.setChecked(True)
        self.median = QCheckBox("3x3 median")
        self.hfov = _spin(1.0, 179.0, defaults.DEFAULT_HFOV_DEG, 1.0, 1)
        self.use_exif = QCheckBox("EXIF focal if present")
        self.use_exif.setChecked(True)
        self.ray = QCheckBox("ray distance")
        self.photo_combo = QComboBox()
        self.photo_combo.currentIndexChanged.connect(self._on_photo_chosen)

        form = QFormLayout()
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
        form.addRow("", self.ray)
        form.addRow("Photo", self.photo_combo)
        box = QGroupBox("Decoding and camera")
        box.setLayout(form)
        for widget in (self.codec, self.range_mode):
            widget.currentTextChanged.connect(self._on_params_changed)
        for widget in (self.curve_lambda, self.curve_scale, self.near, self.far, self.threshold):
            widget.valueChanged.connect(self._on_params_changed)
        self.hfov.valueChanged.connect(self._on_params_changed)
        for widget in (self.reverse, self.mask, self.median, self.use_exif, self.ray):
            widget.toggled.connect(self._on_params_changed)
        self.corners.editingFinished.connect(self._on_params_changed)

        self.open_file = QPushButton("Open depth file...")
        self.open_file.setToolTip("Decode a depth file from disk (.npy, .exr, PNG)")
        self.open_file.clicked.connect(self._open_file)
        self.export_buttons = {}
        for kind, spec in EXPORTS.items():
            button = QPushButton(spec.label)
            button.clicked.connect(lambda _checked=False, kind=kind: self._export(kind))
            self.export_buttons[kind] = button
        self.export_depth = self.export_buttons["depth"]
        self.export_ply = self.export_buttons["ply"]
        self.export_points = self.export_buttons["points"]
        self.summary = QLabel(" ")  # explicit line breaks: word wrap misbehaves in scroll areas
        panel = QWidget()
        panel_layout = QVBoxLayout(panel)
        panel_layout.addWidget(self.open_file)
        panel_layout.addWidget(box)
        for button in self.export_buttons.values():
            panel_layout.addWidget(button)
        panel_layout.addWidget(self.summary)
        self.warning = QLabel("")  # shown when the map does not look like its codec's output
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #a04000; font-weight: bold;")
        self.warning.setVisible(False)
        panel_layout.addWidget(self.warning)
        panel_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMaximumWidth(310)
        return scroll

    # -- project and selection -----------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._timer.isActive() or (self._handle is not None and not self._handle.is_finished)

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self._keep_marked_map = False
        self.map_image = self.photo_image = None
        self.map_file = None
        self.scene = None
        self._fill_photo_combo()
        self._keep_marked_map = False
        if project is not None and (marked := self._marked_depth_maps()):
            self.show_images(marked[:1])  # open on content: the project's depth map
            self._keep_marked_map = True  # ...which the selection handed over next keeps

    def _marked_depth_maps(self) -> list[ImageRecord]:
        """Images whose metadata says they are depth maps (the sample's rendered pair)."""
        return [i for i in self.project.images() if (i.meta or {}).get("role") == "depth map"]

    def show_images(self, images: list[ImageRecord]) -> None:
        if not images or self.project is None:
            return
        if self._keep_marked_map:
            self._keep_marked_map = False
            if images[0].id not in {i.id for i in self._marked_depth_maps()}:
                return  # the selection at opening (an ordinary photo) does not replace it
        self.map_image, self.map_file = images[0], None
        if len(images) > 1:
            self.photo_image = images[1]
        else:
            self.photo_image = find_photo(images[0], self.project.images())
        self._fill_photo_combo()
        self._on_params_changed()

    def open_map_file(self, path: str) -> None:
        """Decode the depth file ``path`` from disk (the photo stays the chosen one)."""
        self.map_image, self.map_file = None, str(path)
        self._fill_photo_combo()
        self._on_params_changed()

    def _open_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Open depth file", "", DEPTH_FILES)
        if path:
            self.open_map_file(path)

    def _map_path(self) -> str | None:
        if self.map_file is not None:
            return self.map_file
        if self.map_image is not None and self.project is not None:
            return str(self.project.image_path(self.map_image))
        return None

    def _map_name(self) -> str:
        return Path(self.map_file).name if self.map_file else self.map_image.name

    def _fill_photo_combo(self) -> None:
        self.photo_combo.blockSignals(True)
        self.photo_combo.clear()
        self.photo_combo.addItem("(none)", None)
        if self.project is not None:
            for image in self.project.images():
                if self.map_image is None or image.id != self.map_image.id:
                    self.photo_combo.addItem(image.name, image.id)
        index = self.photo_combo.findData(self.photo_image.id if self.photo_image else None)
        self.photo_combo.setCurrentIndex(max(index, 0))
        self.photo_combo.blockSignals(False)

    def _on_photo_chosen(self, _index: int) -> None:
        image_id = self.photo_combo.currentData()
        self.photo_image = self.project.image(image_id) if image_id and self.project else None
        self._on_params_changed()

    # -- decoding ------------------------------------------------------------------------

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
            depth_kind="ray" if self.ray.isChecked() else "z",
        )

    def _effective_codec(self) -> str:
        """The chosen codec, or under "auto" the one the last decoding used."""
        chosen = self.codec.currentText()
        if chosen != AUTO:
            return chosen
        return self.scene.settings.codec if self.scene is not None else defaults.DEFAULT_CODEC

    def _update_enabled(self) -> None:
        codec = self._effective_codec()
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
        has_scene = self.scene is not None
        for button in self.export_buttons.values():
            button.setEnabled(has_scene)

    def _on_params_changed(self, *_args) -> None:
        self._update_enabled()
        if self._map_path() is not None:
            self._timer.start()

    def _start_job(self) -> None:
        from core.depth.pipeline import build_scene

        map_path = self._map_path()
        if map_path is None:
            return
        if self._handle is not None and not self._handle.is_finished:
            self._handle.cancel()
        photo_path = None
        if self.photo_image is not None and self.project is not None:
            photo_path = str(self.project.image_path(self.photo_image))
        self.readout.setText(f"Decoding {self._map_name()}...")
        handle = self.context.worker.submit(
            build_scene, map_path, photo_path, self.settings(), name="Decode depth"
        )
        handle.succeeded.connect(lambda scene, h=handle: self._on_scene(h, scene))
        handle.failed.connect(lambda message, _tb, h=handle: self._on_failed(h, message))
        self._handle = handle

    def _on_failed(self, handle, message: str) -> None:
        if handle is not self._handle:
            return
        self.error = message.splitlines()[0] if message else "failed"
        self.readout.setText(f"Cannot decode: {self.error}")
        self.context.show_status(f"Depth: {self.error}")

    def _on_scene(self, handle, scene: DepthScene) -> None:
        if handle is not self._handle:
            return
        from core.depth.codecs import colormap_tables

        self.scene, self.error = scene, None
        self.depth_canvas.set_image(rgb_to_qimage(scene.depth_image))
        self.photo_canvas.set_image(rgb_to_qimage(scene.photo) if scene.photo is not None else None)
        table = (colormap_tables()["turbo"][::16] * 255).round().astype(int).tolist()
        self.colour_bar.set_range(table, *scene.display_range)
        stats = scene.decoding.stats()
        index = scene.display_index
        mode = self.colour_mode.currentText()
        self.cloud_view.set_cloud(
            scene.cloud.points[index], scene.colours[mode][index], scene.intrinsics
        )
        source = scene.intrinsics.source
        if not source.startswith("hfov"):
            source += f", HFOV {scene.intrinsics.hfov_deg:.1f} deg"
        self.cloud_info.setText(f"{len(scene.cloud):,} points ({len(index):,} shown), {source}")
        median = stats["median_m"]
        self.summary.setText(
            f"{stats['width']}x{stats['height']} {stats['codec']}\n"
            f"median {median:.3f} m\nmin {stats['min_m']:.3f} m, max {stats['max_m']:.3f} m\n"
            f"masked {stats['masked_fraction']:.1%}, sky {stats['sky_fraction']:.1%}"
            if median is not None
            else "no finite depth"
        )
        from core.depth.plausibility import depth_warning

        warning = depth_warning(stats)
        self.warning.setText(f"Warning: {warning}" if warning else "")
        self.warning.setVisible(bool(warning))
        self.readout.setText("Hover for metres")
        self._update_enabled()

    def _recolour(self, mode: str) -> None:
        if self.scene is not None:
            self.cloud_view.set_colours(self.scene.colours[mode][self.scene.display_index])

    def _on_hover(self, x: int, y: int) -> None:
        if self.scene is None:
            return
        depth = self.scene.decoding.depth
        if not (0 <= y < depth.shape[0] and 0 <= x < depth.shape[1]):
            return
        value = float(depth[y, x])
        text = (
            "sky (far end)"
            if value == float("inf")
            else ("masked" if value != value else f"{value:.3f} m")
        )
        confidence = self.scene.decoding.confidence
        extra = "" if confidence is None else f"   path distance {float(confidence[y, x]):.3f}"
        self.readout.setText(f"x {x}  y {y}   depth {text}{extra}")

    # -- export --------------------------------------------------------------------------

    def _export(self, kind: str) -> None:
        if self.scene is None:
            return
        from core.depth.export import EXPORTS

        file_filter = EXPORTS[kind].file_filter
        path, _filter = QFileDialog.getSaveFileName(self, "Export", "", file_filter)
        if path:
            self.export_to(kind, path)

    def export_to(self, kind: str, path: str):
        """Write the depth, PLY or points file on the compute worker; returns the job handle."""
        from core.depth.export import export

        scene = self.scene
        handle = self.context.worker.submit(
            export, kind, path, scene.decoding.depth, scene.cloud, name=f"Export {kind}"
        )
        handle.succeeded.connect(lambda p: self.context.show_status(f"Saved {p}"))
        handle.failed.connect(lambda message, _tb: self.context.show_status(message))
        return handle
