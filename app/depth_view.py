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
results. Its three columns and their panels are their own modules
(``app/depth_*.py``); what each map mode means (its decoding job, how its scene is
shown, what the pointer reads) is ``app/depth_modes.py``. The view keeps which map
and photo are chosen, the last scene of each mode, and the wiring between them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFileDialog, QSplitter, QVBoxLayout, QWidget

from app.depth_cloud import CloudPanel, cloud_colours
from app.depth_images import ImagePanes
from app.depth_modes import MODES, ROLE_MODES, MapMode, class_at
from app.depth_pairing import find_photo, pair_key
from app.depth_readouts import error_hover
from app.depth_segmentation import classes_of
from app.depth_settings_panel import AUTO
from app.depth_side import SideColumn
from app.job_owner import JobOwner
from app.views import ViewContext
from core.depth import defaults

if TYPE_CHECKING:
    from core.project import ImageRecord, Project

__all__ = ["AUTO", "DepthView", "find_photo", "pair_key"]

DEBOUNCE_MS = 250
DEPTH_FILES = "Depth files (*.png *.npy *.exr);;All files (*)"
# the panels' widgets the view exposes under their old names (tests, scripts)
IMAGE_FIELDS = (
    "photo_canvas", "depth_canvas", "error_canvas", "panes", "colour_bar", "readout", "map_title",
    "error_title",
)  # fmt: skip
SIDE_FIELDS = (
    "mode", "photo_combo", "open_file", "panel", "segmentation", "evaluation_panel", "exports",
    "summary", "warning",
)  # fmt: skip
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

        self.images = ImagePanes()
        self.images.pixel_hovered.connect(self._on_hover)
        for name in IMAGE_FIELDS:
            setattr(self, name, getattr(self.images, name))
        self.cloud = CloudPanel()
        self.cloud.colouring_changed.connect(self._recolour)
        self.cloud_view, self.cloud_info = self.cloud.view, self.cloud.info
        self.point_size, self.colour_mode = self.cloud.point_size, self.cloud.colour_mode
        self.frustum = self.cloud.frustum
        self.side = SideColumn(context, lambda: self.scene)
        for name in SIDE_FIELDS:
            setattr(self, name, getattr(self.side, name))
        for name in PANEL_FIELDS:
            setattr(self, name, getattr(self.panel, name))
        self.export_buttons = self.exports.buttons
        self.export_depth = self.export_buttons["depth"]
        self.export_ply = self.export_buttons["ply"]
        self.export_points = self.export_buttons["points"]
        self.mode.currentIndexChanged.connect(self._on_mode_changed)
        self.photo_combo.currentIndexChanged.connect(self._on_photo_chosen)
        self.open_file.clicked.connect(self._open_file)
        self.panel.changed.connect(self._on_params_changed)
        self.segmentation.changed.connect(self._on_params_changed)
        self.evaluation_panel.evaluated.connect(self._on_evaluated)
        self.evaluation_panel.cleared.connect(self._on_evaluation_cleared)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.images)
        splitter.addWidget(self.cloud)
        splitter.addWidget(self.side)
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
        mode = MODES[self.map_mode]
        self.map_title.setText(mode.title)
        self.colour_bar.setVisible(mode.key == "depth")
        self.side.show_mode(mode)
        self._on_evaluation_cleared()
        if mode.key != "depth":
            self.cloud.clear(f"A {mode.label.lower()} has no depth: no 3D cloud")
        self._on_params_changed()

    def _on_params_changed(self, *_args) -> None:
        self._update_enabled()
        if self._map_path() is not None:
            self._timer.start()

    def _start_job(self) -> None:
        map_path = self._map_path()
        if map_path is None:
            return
        mode = MODES[self.map_mode]
        if not mode.reads_files and self.map_file is not None:
            return
        job = mode.job(self, map_path, self._photo_path())
        if job is None:
            return
        self.readout.setText(f"Decoding {self._map_name()}...")
        self.jobs.start(
            job.fn,
            *job.args,
            name=f"Decode {mode.key}",
            on_done=lambda scene: self._on_decoded(mode, scene),
            on_failed=self._on_failed,
            **job.kwargs,
        )

    def _on_failed(self, message: str) -> None:
        self.error = message.splitlines()[0] if message else "failed"
        self.readout.setText(f"Cannot decode: {self.error}")
        self.context.show_status(f"Depth: {self.error}")

    def _on_decoded(self, mode: MapMode, scene) -> None:
        setattr(self, mode.scene_attr, scene)
        self.error = None
        self.images.show_map(*mode.images(scene))
        mode.show(self, scene)
        self.readout.setText(mode.hint)
        if mode.evaluates:  # after the cloud: a cleared evaluation recolours it
            prediction = mode.prediction(scene)
            self.evaluation_panel.set_map(mode.key, self.project, self.map_image, prediction)
        self._update_enabled()

    # -- the cloud -----------------------------------------------------------------------

    def cloud_colour(self) -> str:
        return self.cloud.colouring()

    def cloud_colours(self):
        """Per-point colours of the cloud for the chosen colouring (all points, not the shown)."""
        return cloud_colours(self.scene, self.cloud_colour(), self.evaluation)

    def _recolour(self) -> None:
        if self.scene is not None and self.map_mode == "depth":
            self.cloud.recolour(self.scene, self.cloud_colours())

    # -- evaluation ----------------------------------------------------------------------

    def _on_evaluated(self, evaluation) -> None:
        self.evaluation = evaluation
        self.images.show_error(evaluation)
        if evaluation.kind == "depth":
            self.cloud.set_colouring("error")
        self._recolour()

    def _on_evaluation_cleared(self) -> None:
        self.evaluation = None
        self.images.hide_error()
        if self.cloud_colour() == "error":
            self.cloud.set_colouring("photo")

    # -- hover ---------------------------------------------------------------------------

    def _on_hover(self, x: int, y: int) -> None:
        mode = MODES[self.map_mode]
        scene = getattr(self, mode.scene_attr)
        if scene is None:
            return
        text, shape = mode.hover(scene, x, y)
        if text is None:
            return
        if self.evaluation is not None and shape is not None:
            text += error_hover(self.evaluation, x, y, shape)
        self.readout.setText(text)

    def class_at(self, x: int, y: int) -> str | None:
        """``x 5  y 5   class floor`` for the segmentation map's pixel (x, y); None outside."""
        return class_at(self.seg_scene, x, y)

    # -- export --------------------------------------------------------------------------

    def export_to(self, kind: str, path: str):
        """Write the depth, PLY or points file on the compute worker; returns the job handle."""
        return self.exports.export_to(kind, path)
