"""The Depth view's map modes: what the Map box can say the map is, and what each one means.

A mode has its labels, builds its decoding job (a core function the compute
worker runs), shows the decoded scene and reads the pixel under the pointer.
The view asks the chosen mode rather than branching on its name, so a new kind
of map is one more entry in :data:`MODES`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from app.depth_readouts import depth_hover, depth_summary, normal_hover, normal_summary
from core.errors import IrisError

if TYPE_CHECKING:
    import numpy as np

    from app.depth_view import DepthView

__all__ = ["MODES", "ROLE_MODES", "Job", "MapMode", "class_at"]


class Job(NamedTuple):
    """A decoding to run on the compute worker: ``fn(*args, **kwargs)`` returns the scene."""

    fn: Callable[..., Any]
    args: tuple
    kwargs: dict[str, Any]


class MapMode(ABC):
    """One kind of map; each subclass says how it is decoded, shown and read (an
    abstract interface: every mode in :data:`MODES` implements all four methods)."""

    key: str  # the Map box's data, the view's map_mode
    label: str  # in the Map box
    title: str  # above the map pane
    role: str  # an image's meta "role" that makes it a map of this kind
    scene_attr: str  # the DepthView attribute that holds this mode's last scene
    hint: str  # the readout once a scene is shown
    evaluates = False  # the evaluation panel scores it against ground truth
    reads_files = False  # a file opened from disk can be decoded as it

    @abstractmethod
    def job(self, view: DepthView, map_path: str, photo: str | None) -> Job | None:
        """The decoding of ``map_path`` (with the photo at ``photo``); None when it cannot start."""

    @abstractmethod
    def images(self, scene) -> tuple[np.ndarray, np.ndarray | None]:
        """The RGB arrays of the map pane and of the photo pane (None: no photo)."""

    @abstractmethod
    def show(self, view: DepthView, scene) -> None:
        """Fill the view's summary, and the panels only this mode has, from ``scene``."""

    def prediction(self, scene) -> np.ndarray | None:
        """The decoded array the evaluation panel scores (modes that evaluate)."""
        return None

    @abstractmethod
    def hover(self, scene, x: int, y: int) -> tuple[str | None, tuple[int, int] | None]:
        """The readout for pixel (x, y), and the map's shape to read the error map at."""


class DepthMode(MapMode):
    key, label, title, role = "depth", "Depth map", "Decoded depth", "depth map"
    scene_attr, hint = "scene", "Hover for metres"
    evaluates = reads_files = True

    def job(self, view: DepthView, map_path: str, photo: str | None) -> Job:
        from core.depth.pipeline import build_scene

        return Job(build_scene, (map_path, photo, view.settings()), {})

    def images(self, scene):
        return scene.depth_image, scene.photo

    def show(self, view: DepthView, scene) -> None:
        from core.depth.codecs import colormap_tables
        from core.depth.plausibility import depth_warning

        table = (colormap_tables()["turbo"][::16] * 255).round().astype(int).tolist()
        view.colour_bar.set_range(table, *scene.display_range)
        view.panel.set_camera(scene.intrinsics)
        view.cloud.show_scene(scene, view.cloud_colours())
        stats = scene.decoding.stats()
        view.summary.setText(depth_summary(stats))
        warning = depth_warning(stats)
        view.warning.setText(f"Warning: {warning}" if warning else "")
        view.warning.setVisible(bool(warning))

    def prediction(self, scene):
        return scene.decoding.depth

    def hover(self, scene, x: int, y: int):
        return depth_hover(scene, x, y), scene.decoding.depth.shape


class NormalsMode(MapMode):
    key, label, role = "normals", "Normal map (decoded)", "normal map"
    title = "Decoded normals (from the map's colours)"
    scene_attr, hint = "normal_scene", "Hover for the decoded normal"
    evaluates = True

    def job(self, view: DepthView, map_path: str, photo: str | None) -> Job:
        from core.depth.normal_scene import build_normal_scene

        return Job(build_normal_scene, (map_path, photo), {})

    def images(self, scene):
        return scene.image, scene.photo

    def show(self, view: DepthView, scene) -> None:
        view.summary.setText(normal_summary(scene.decoding.stats()))

    def prediction(self, scene):
        return scene.decoding.normals

    def hover(self, scene, x: int, y: int):
        return normal_hover(scene, x, y), scene.decoding.valid.shape


class SegmentationMode(MapMode):
    key, label, role = "segmentation", "Segmentation map", "segmentation map"
    title = "Segmentation overlay on the photo"
    scene_attr, hint = "seg_scene", "Hover for the class"

    def job(self, view: DepthView, map_path: str, photo: str | None) -> Job | None:
        try:
            classes = view.segmentation.classes()
        except IrisError as exc:
            view.readout.setText(f"Segmentation: {exc}")
            return None
        from core.depth.segmentation_scene import build_segmentation_scene

        threshold = view.segmentation.threshold.exact_value()
        return Job(build_segmentation_scene, (map_path, photo, classes), {"threshold": threshold})

    def images(self, scene):
        return scene.overlay, scene.photo if scene.photo is not None else scene.map_image

    def show(self, view: DepthView, scene) -> None:
        view.segmentation.show_legend(scene.result)
        size = scene.result.labels.shape
        view.summary.setText(
            f"{size[1]}x{size[0]} segmentation map\n{len(scene.result.names)} classes"
        )

    def hover(self, scene, x: int, y: int):
        return class_at(scene, x, y), None


def class_at(scene, x: int, y: int) -> str | None:
    """``x 5  y 5   class floor`` for the segmentation ``scene``'s pixel (x, y); None outside."""
    labels = scene.result.labels
    if not (0 <= y < labels.shape[0] and 0 <= x < labels.shape[1]):
        return None
    label = int(labels[y, x])
    name = "unassigned" if label < 0 else scene.result.names[label]
    return f"x {x}  y {y}   class {name}"


# in the Map box's order
MODES: dict[str, MapMode] = {m.key: m for m in (DepthMode(), NormalsMode(), SegmentationMode())}
ROLE_MODES: dict[str, str] = {m.role: m.key for m in MODES.values()}
