"""The Depth view: a generated map decoded beside its photo, as depth, normals or segmentation.

The selected image is the map (or a depth file opened from disk: ``.npy``,
``.exr``, a 16-bit PNG); a second selected image (or one whose name pairs with
it, ``scene_1.png`` with ``scene_0.jpg``) is the photo. The **Map** box says what
the map is: a depth map (decoded to metres, unprojected into a 3D cloud), a
normal map (decoded to unit normals: the vectors the generator painted, not
normals estimated from depth) or a segmentation map (decoded to the prompt's
classes, overlaid on the photo with a legend). The evaluation panel scores
depth or normals against ground truth and shows the error map. The photo, map
and error panes zoom and pan together. Decoding, scoring and export are the
CLI's core functions, run on the compute worker; the UI thread only shows
results. The panels are their own modules (``app/depth_*.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.depth_evaluation import EvaluationPanel
from app.depth_export import ExportButtons
from app.depth_pairing import find_photo, pair_key
from app.depth_readouts import depth_hover, depth_summary, error_hover, normal_hover, normal_summary
from app.depth_segmentation import SegmentationPanel, classes_of
from app.depth_settings_panel import AUTO, DepthSettingsPanel, spin
from app.job_owner import JobOwner
from app.views import ViewContext
from core.depth import defaults
from core.errors import IrisError
from widgets.colour_bar import ColourBar
from widgets.depth_panes import PaneSync, SyncedCanvas
from widgets.pointcloud_view import PointCloudView
from widgets.qimage import rgb_to_qimage

if TYPE_CHECKING:
    from core.project import ImageRecord, Project

__all__ = ["AUTO", "DepthView", "find_photo", "pair_key"]

DEBOUNCE_MS = 250
DEPTH_FILES = "Depth files (*.png *.npy *.exr);;All files (*)"
# what the map is -> the label of the Map box and of the map pane
MODES = {
    "depth": ("Depth map", "Decoded depth"),
    "normals": ("Normal map (decoded)", "Decoded normals (from the map's colours)"),
    "segmentation": ("Segmentation map", "Segmentation overlay on the photo"),
}
ROLE_MODES = {"depth map": "depth", "normal map": "normals", "segmentation map": "segmentation"}
# the cloud's colourings: key -> label (normals here are estimated from the decoded depth)
CLOUD_COLOURS = {
    "photo": "photo",
    "depth": "depth",
    "normal": "normal (estimated from depth)",
    "error": "error (after Evaluate)",
}
# the panel widgets the view exposes under their old names (tests, scripts)
PANEL_FIELDS = (
    "codec", "curve_lambda", "curve_scale", "corners", "range_mode", "near", "far", "reverse",
    "threshold", "mask", "median", "hfov", "use_exif", "ray", "explicit", "fx", "fy", "cx", "cy",
)  # fmt: skip


class DepthView(QWidget):
    """Photo | decoded map (and error map) | 3D cloud, with the map's and the camera's settings."""

    def __init__(self, context: ViewContext, parent=None) -> None:
        super().__init__(parent)
        self.context = context
        self.project: Project | None = None
        self._keep_marked_map = False
        self.map_image: ImageRecord | None = None
        self.map_file: str | None = None  # a depth file opened from disk instead of an image
        self.photo_image: ImageRecord | None = None
        self.scene = None  # DepthScene of the last depth decoding
        self.normal_scene = None  # NormalScene of the last normal decoding
        self.seg_scene = None  # SegmentationScene of the last segmentation decoding
        self.evaluation = None  # MapEvaluation of the shown map, after Evaluate
        self.error: str | None = None
        self.jobs = JobOwner(context.worker, context.session, self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start_job)

        self.photo_canvas = SyncedCanvas()
        self.depth_canvas = SyncedCanvas()
        self.error_canvas = SyncedCanvas()
        self.panes = PaneSync([self.depth_canvas, self.photo_canvas, self.error_canvas])
        self.colour_bar = ColourBar()
        self.readout = QLabel("Pick a depth map (and its photo) in the browser")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for canvas in (self.photo_canvas, self.depth_canvas, self.error_canvas):
            canvas.pixel_hovered.connect(self._on_hover)
        self.cloud_view = PointCloudView()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_images())
        splitter.addWidget(self._build_cloud_panel())
        splitter.addWidget(self._build_side())
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 0)
        splitter.setSizes([380, 640, 280])
        for index in range(splitter.count()):
            splitter.widget(index).setMinimumWidth(80)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.setMinimumSize(240, 200)  # a small main window must stay possible
        self._on_mode_changed()

    # -- layout --------------------------------------------------------------------------

    def _build_images(self) -> QWidget:
        images = QWidget()
        layout = QVBoxLayout(images)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Photo"))
        layout.addWidget(self.photo_canvas, 1)
        self.map_title = QLabel(MODES["depth"][1])
        layout.addWidget(self.map_title)
        depth_row = QHBoxLayout()
        depth_row.addWidget(self.depth_canvas, 1)
        depth_row.addWidget(self.colour_bar)
        layout.addLayout(depth_row, 1)
        self.error_title = QLabel("Error map")
        layout.addWidget(self.error_title)
        layout.addWidget(self.error_canvas, 1)
        for widget in (self.error_title, self.error_canvas):
            widget.setVisible(False)
        layout.addWidget(self.readout)
        return images

    def _build_cloud_panel(self) -> QWidget:
        self.point_size = spin(0.5, 20.0, 2.0, 0.5, 1)
        self.point_size.valueChanged.connect(self.cloud_view.set_point_size)
        self.colour_mode = QComboBox()
        for key, label in CLOUD_COLOURS.items():
            self.colour_mode.addItem(label, key)
        self.colour_mode.currentIndexChanged.connect(lambda _i: self._recolour())
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

    def _build_side(self) -> QWidget:
        self.mode = QComboBox()
        for key, (label, _title) in MODES.items():
            self.mode.addItem(label, key)
        self.mode.setToolTip("What the map is: it decides how its colours are read")
        self.mode.currentIndexChanged.connect(self._on_mode_changed)
        self.photo_combo = QComboBox()
        self.photo_combo.currentIndexChanged.connect(self._on_photo_chosen)
        self.open_file = QPushButton("Open depth file...")
        self.open_file.setToolTip("Decode a depth file from disk (.npy, .exr, PNG)")
        self.open_file.clicked.connect(self._open_file)
        self.panel = DepthSettingsPanel()
        self.panel.changed.connect(self._on_params_changed)
        for name in PANEL_FIELDS:
            setattr(self, name, getattr(self.panel, name))
        self.segmentation = SegmentationPanel()
        self.segmentation.changed.connect(self._on_params_changed)
        self.evaluation_panel = EvaluationPanel(self.context)
        self.evaluation_panel.evaluated.connect(self._on_evaluated)
        self.evaluation_panel.cleared.connect(self._on_evaluation_cleared)
        self.exports = ExportButtons(self.context, lambda: self.scene)
        self.export_buttons = self.exports.buttons
        self.export_depth = self.export_buttons["depth"]
        self.export_ply = self.export_buttons["ply"]
        self.export_points = self.export_buttons["points"]
        self.summary = QLabel(" ")  # explicit line breaks: word wrap misbehaves in scroll areas
        self.warning = QLabel("")  # shown when the map does not look like its codec's output
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #a04000; font-weight: bold;")
        self.warning.setVisible(False)

        top = QFormLayout()
        top.addRow("Map", self.mode)
        top.addRow("Photo", self.photo_combo)
        panel = QWidget()
        panel_layout = QVBoxLayout(panel)
        panel_layout.addWidget(self.open_file)
        panel_layout.addLayout(top)
        panel_layout.addWidget(self.summary)
        panel_layout.addWidget(self.warning)
        panel_layout.addWidget(self.evaluation_panel)
        panel_layout.addWidget(self.segmentation)
        panel_layout.addWidget(self.panel)
        panel_layout.addWidget(self.exports)
        panel_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(panel)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMaximumWidth(330)
        return scroll

    # -- project and selection -----------------------------------------------------------

    @property
    def loading(self) -> bool:
        return self._timer.isActive() or self.jobs.busy

    @property
    def map_mode(self) -> str:
        return self.mode.currentData()

    def set_map_mode(self, mode: str) -> None:
        """Read the map as ``mode`` (a key of :data:`MODES`), as choosing it in the Map box."""
        self.mode.setCurrentIndex(self.mode.findData(mode))

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self._keep_marked_map = False
        self.map_image = self.photo_image = None
        self.map_file = None
        self.scene = self.normal_scene = self.seg_scene = None
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
            is_map = (images[0].meta or {}).get("role") in ROLE_MODES
            if not is_map:
                return  # the selection at opening (an ordinary photo) does not replace it
        self.map_image, self.map_file = images[0], None
        if len(images) > 1:
            self.photo_image = images[1]
        else:
            self.photo_image = find_photo(images[0], self.project.images())
        role_mode = ROLE_MODES.get((images[0].meta or {}).get("role"))
        self.segmentation.set_text(classes_of(self.project, self.map_image))
        self._fill_photo_combo()
        if role_mode is not None and role_mode != self.map_mode:
            self.set_map_mode(role_mode)  # decodes through _on_mode_changed
        else:
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

    def _photo_path(self) -> str | None:
        if self.photo_image is not None and self.project is not None:
            return str(self.project.image_path(self.photo_image))
        return None

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
        self.panel.photo_size = None
        if self.photo_image is not None:
            self.panel.photo_size = (self.photo_image.width, self.photo_image.height)

    def _on_photo_chosen(self, _index: int) -> None:
        image_id = self.photo_combo.currentData()
        self.photo_image = self.project.image(image_id) if image_id and self.project else None
        self._on_params_changed()

    # -- decoding ------------------------------------------------------------------------

    def settings(self):
        """The panel as :class:`DepthSettings`, the record ``iris depth`` builds from its options."""
        return self.panel.settings()

    def _effective_codec(self) -> str:
        """The chosen codec, or under "auto" the one the last decoding used."""
        chosen = self.panel.codec.currentText()
        if chosen != AUTO:
            return chosen
        return self.scene.settings.codec if self.scene is not None else defaults.DEFAULT_CODEC

    def _update_enabled(self) -> None:
        self.panel.update_enabled(self._effective_codec())
        self.exports.set_enabled(self.scene is not None and self.map_mode == "depth")

    def _on_mode_changed(self, *_args) -> None:
        mode = self.map_mode
        self.map_title.setText(MODES[mode][1])
        depth = mode == "depth"
        self.panel.setVisible(depth)
        self.exports.setVisible(depth)
        self.colour_bar.setVisible(depth)
        self.open_file.setVisible(depth)
        self.segmentation.setVisible(mode == "segmentation")
        self.evaluation_panel.setVisible(mode in ("depth", "normals"))
        self.warning.setVisible(False)
        self.summary.setText(" ")
        self._on_evaluation_cleared()
        if not depth:
            self.cloud_view.set_cloud(*self._empty_cloud())
            self.cloud_info.setText(f"A {MODES[mode][0].lower()} has no depth: no 3D cloud")
        self._on_params_changed()

    @staticmethod
    def _empty_cloud():
        import numpy as np

        return np.zeros((0, 3), np.float32), np.zeros((0, 3), np.uint8)

    def _on_params_changed(self, *_args) -> None:
        self._update_enabled()
        if self._map_path() is not None:
            self._timer.start()

    def _start_job(self) -> None:
        map_path = self._map_path()
        if map_path is None:
            return
        mode = self.map_mode
        if mode != "depth" and self.map_file is not None:
            return  # a file from disk is a depth file
        fn, args, kwargs, on_done = self._job_for(mode, map_path)
        if fn is None:
            return
        self.readout.setText(f"Decoding {self._map_name()}...")
        self.jobs.start(
            fn, *args, name=f"Decode {mode}", on_done=on_done, on_failed=self._on_failed, **kwargs
        )

    def _job_for(self, mode: str, map_path: str):
        """(function, args, kwargs, on_done) of the decoding job of ``mode``."""
        photo = self._photo_path()
        if mode == "depth":
            from core.depth.pipeline import build_scene

            return build_scene, (map_path, photo, self.settings()), {}, self._on_scene
        if mode == "normals":
            from core.depth.normal_scene import build_normal_scene

            return build_normal_scene, (map_path, photo), {}, self._on_normal_scene
        try:
            classes = self.segmentation.classes()
        except IrisError as exc:
            self.readout.setText(f"Segmentation: {exc}")
            return None, (), {}, None
        from core.depth.segmentation_scene import build_segmentation_scene

        threshold = self.segmentation.threshold.exact_value()
        kwargs = {"threshold": threshold}
        return build_segmentation_scene, (map_path, photo, classes), kwargs, self._on_seg_scene

    def _on_failed(self, message: str) -> None:
        self.error = message.splitlines()[0] if message else "failed"
        self.readout.setText(f"Cannot decode: {self.error}")
        self.context.show_status(f"Depth: {self.error}")

    def _on_scene(self, scene) -> None:
        from core.depth.codecs import colormap_tables
        from core.depth.plausibility import depth_warning

        self.scene, self.error = scene, None
        self.depth_canvas.set_image(rgb_to_qimage(scene.depth_image))
        self._show_photo(scene.photo)
        table = (colormap_tables()["turbo"][::16] * 255).round().astype(int).tolist()
        self.colour_bar.set_range(table, *scene.display_range)
        stats = scene.decoding.stats()
        self.panel.set_camera(scene.intrinsics)
        self._set_cloud()
        source = scene.intrinsics.source
        if not source.startswith("hfov"):
            source += f", HFOV {scene.intrinsics.hfov_deg:.1f} deg"
        index = scene.display_index
        self.cloud_info.setText(f"{len(scene.cloud):,} points ({len(index):,} shown), {source}")
        self.summary.setText(depth_summary(stats))
        warning = depth_warning(stats)
        self.warning.setText(f"Warning: {warning}" if warning else "")
        self.warning.setVisible(bool(warning))
        self.readout.setText("Hover for metres")
        self.evaluation_panel.set_map("depth", self.project, self.map_image, scene.decoding.depth)
        self._update_enabled()

    def _on_normal_scene(self, scene) -> None:
        self.normal_scene, self.error = scene, None
        self.depth_canvas.set_image(rgb_to_qimage(scene.image))
        self._show_photo(scene.photo)
        self.summary.setText(normal_summary(scene.decoding.stats()))
        self.readout.setText("Hover for the decoded normal")
        self.evaluation_panel.set_map(
            "normals", self.project, self.map_image, scene.decoding.normals
        )
        self._update_enabled()

    def _on_seg_scene(self, scene) -> None:
        self.seg_scene, self.error = scene, None
        self.depth_canvas.set_image(rgb_to_qimage(scene.overlay))
        self._show_photo(scene.photo if scene.photo is not None else scene.map_image)
        self.segmentation.show_legend(scene.result)
        size = scene.result.labels.shape
        self.summary.setText(
            f"{size[1]}x{size[0]} segmentation map\n{len(scene.result.names)} classes"
        )
        self.readout.setText("Hover for the class")
        self._update_enabled()

    def _show_photo(self, photo) -> None:
        self.photo_canvas.set_image(rgb_to_qimage(photo) if photo is not None else None)

    # -- the cloud -----------------------------------------------------------------------

    def cloud_colour(self) -> str:
        return self.colour_mode.currentData()

    def cloud_colours(self):
        """Per-point colours of the cloud for the chosen colouring (all points, not the shown)."""
        scene = self.scene
        mode = self.cloud_colour()
        if mode == "error" and self.evaluation is not None and self.evaluation.kind == "depth":
            return self.evaluation.error_at_pred.reshape(-1, 3)[scene.cloud.pixels]
        return scene.colours["photo" if mode == "error" else mode]

    def _set_cloud(self) -> None:
        scene = self.scene
        index = scene.display_index
        self.cloud_view.set_cloud(
            scene.cloud.points[index], self.cloud_colours()[index], scene.intrinsics
        )

    def _recolour(self) -> None:
        if self.scene is not None and self.map_mode == "depth":
            self.cloud_view.set_colours(self.cloud_colours()[self.scene.display_index])

    # -- evaluation ----------------------------------------------------------------------

    def _on_evaluated(self, evaluation) -> None:
        self.evaluation = evaluation
        self.error_canvas.set_image(rgb_to_qimage(evaluation.error_image))
        self.error_title.setText(f"Error map ({evaluation.units}, grey: not scored)")
        for widget in (self.error_title, self.error_canvas):
            widget.setVisible(True)
        self.panes.follow(self.depth_canvas)
        if evaluation.kind == "depth":
            self.colour_mode.setCurrentIndex(self.colour_mode.findData("error"))
        self._recolour()

    def _on_evaluation_cleared(self) -> None:
        self.evaluation = None
        for widget in (self.error_title, self.error_canvas):
            widget.setVisible(False)
        if self.cloud_colour() == "error":
            self.colour_mode.setCurrentIndex(self.colour_mode.findData("photo"))

    # -- hover ---------------------------------------------------------------------------

    def _on_hover(self, x: int, y: int) -> None:
        mode = self.map_mode
        text = None
        shape = None
        if mode == "depth" and self.scene is not None:
            text, shape = depth_hover(self.scene, x, y), self.scene.decoding.depth.shape
        elif mode == "normals" and self.normal_scene is not None:
            text = normal_hover(self.normal_scene, x, y)
            shape = self.normal_scene.decoding.valid.shape
        elif mode == "segmentation" and self.seg_scene is not None:
            text = self.class_at(x, y)
        if text is None:
            return
        if self.evaluation is not None and shape is not None:
            text += error_hover(self.evaluation, x, y, shape)
        self.readout.setText(text)

    def class_at(self, x: int, y: int) -> str | None:
        """``x 5  y 5   class floor`` for the segmentation map's pixel (x, y); None outside."""
        labels = self.seg_scene.result.labels
        if not (0 <= y < labels.shape[0] and 0 <= x < labels.shape[1]):
            return None
        label = int(labels[y, x])
        name = "unassigned" if label < 0 else self.seg_scene.result.names[label]
        return f"x {x}  y {y}   class {name}"

    # -- export --------------------------------------------------------------------------

    def export_to(self, kind: str, path: str):
        """Write the depth, PLY or points file on the compute worker; returns the job handle."""
        return self.exports.export_to(kind, path)
