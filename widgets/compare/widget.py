"""The compare widget: 1-8 synchronized views sharing one camera, with swipe, flicker, difference.

State that a project remembers lives in :class:`core.compare.state.CompareState`
plus the camera; images arrive as :class:`PyramidImage` objects (built off the
GUI thread) into numbered slots. Slot 0 is the frame: crops and zoom are given
in its pixels.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import QApplication, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core.compare.camera import Affine, Camera
from core.compare.colormaps import is_identity, levels_lut
from core.compare.difference import DIFF_MODES, difference
from core.compare.state import MAX_VIEWS, MODES, CompareState, grid_shape
from widgets.compare.canvas import CompareCanvas
from widgets.compare.colorbar import ColorBar
from widgets.compare.pyramid_image import PyramidImage
from widgets.compare.shortcuts import build_actions

FLICKER_KEY = Qt.Key.Key_Space
EMPTY_TEXT = "No images to compare"


class CompareWidget(QWidget):
    """Synchronized views of several images; every interaction moves the one shared camera."""

    state_changed = Signal()  # something a project should remember changed
    camera_moved = Signal()
    readout_changed = Signal(str)
    crop_changed = Signal(object)  # list[int] | None
    mode_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.camera = Camera()
        self.state = CompareState()
        self.active = 0
        self.flicker = False
        self.crop_tool = False
        self.show_overlays = True
        self.canvases: list[CompareCanvas] = []
        self._images: list[PyramidImage | None] = []
        self._labels: list[str] = []
        self._loading: set[int] = set()
        self._auto_fit = True  # keep fitting on resize until the user moves the camera
        self._lut_key: tuple | None = None
        self._lut: np.ndarray | None = None
        self.empty_text = EMPTY_TEXT  # what an empty widget says (an app says what to do)
        # The widget itself holds the keyboard focus (canvases proxy to it), so the
        # shortcuts survive _rebuild() deleting the canvases.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(2)
        palette = self.grid_host.palette()
        palette.setColor(QPalette.ColorRole.Window, QColor(20, 20, 22))
        self.grid_host.setPalette(palette)
        self.grid_host.setAutoFillBackground(True)  # the gaps between views
        self.colorbar = ColorBar()
        self.colorbar.setVisible(False)
        self.readout = QLabel(" ")
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.grid_host, 1)
        row.addWidget(self.colorbar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row, 1)
        layout.addWidget(self.readout)
        self.actions_by_name: dict[str, QAction] = build_actions(self)
        self._rebuild()

    # -- images ------------------------------------------------------------------

    @property
    def count(self) -> int:
        return len(self._images)

    def set_slots(self, labels: list[str]) -> None:
        """Start showing ``len(labels)`` images (at most 8); their pixels arrive later."""
        labels = list(labels)[:MAX_VIEWS]
        self._images = [None] * len(labels)
        self._labels = labels
        self._loading = set(range(len(labels)))
        self.active = min(self.active, max(len(labels) - 1, 0))
        self._rebuild()

    def set_image(self, slot: int, image: PyramidImage | None) -> None:
        """Give slot ``slot`` its pixels (``None``: it failed to load)."""
        if not 0 <= slot < self.count:
            return
        self._images[slot] = image
        self._loading.discard(slot)
        if slot == 0 and image is not None:
            self.camera.frame_width, self.camera.frame_height = image.size
            if self._auto_fit:
                self.fit()
        self.refresh()

    def set_images(self, images: list[PyramidImage], labels: list[str]) -> None:
        """Show ready images at once (tests, the benchmark, the CLI's preview)."""
        self.set_slots(labels)
        for slot, image in enumerate(images[: self.count]):
            self.set_image(slot, image)

    def set_label(self, slot: int, label: str) -> None:
        if 0 <= slot < self.count:
            self._labels[slot] = label
            self.refresh()

    def image(self, slot: int) -> PyramidImage | None:
        return self._images[slot] if 0 <= slot < self.count else None

    def label(self, slot: int) -> str:
        return self._labels[slot] if 0 <= slot < self.count else ""

    def labels(self) -> list[str]:
        return list(self._labels)

    def is_loading(self, slot: int) -> bool:
        return slot in self._loading

    @property
    def loading(self) -> bool:
        return bool(self._loading)

    # -- what each canvas shows --------------------------------------------------

    def shown_slot(self, index: int) -> int:
        """The slot a view draws: its own, or the reference while flicker is held."""
        if self.flicker and self.image(self.state.reference) is not None:
            return self.state.reference
        return index

    def swipe_pair(self) -> tuple[int, int]:
        last = max(self.count - 1, 0)
        a = min(max(self.state.swipe_a, 0), last)
        b = min(max(self.state.swipe_b, 0), last)
        return a, b

    def caption(self, index: int) -> str:
        if self.count == 0:
            return ""
        state = self.state
        if state.mode == "swipe":
            a, b = self.swipe_pair()
            if self.flicker:
                return f"reference {state.reference + 1}: {self.label(state.reference)}"
            return f"A {a + 1}: {self.label(a)}  |  B {b + 1}: {self.label(b)}"
        slot = self.shown_slot(index)
        text = f"{index + 1}  {self.label(slot)}"
        if self.flicker and slot != index:
            text = f"{index + 1}  showing reference: {self.label(slot)}"
        elif state.mode == "difference":
            if index == state.reference:
                text += "  (reference)"
            else:
                text += f"  {state.diff_mode} vs {state.reference + 1}"
        return text

    def placement(self, slot: int, view_size: tuple[float, float]) -> Affine:
        image = self.image(slot)
        size = image.size if image is not None else self.frame_size()
        return self.camera.placement(size, self.state.offset(slot), view_size)

    def frame_size(self) -> tuple[int, int]:
        return self.camera.frame_width, self.camera.frame_height

    def frame_placement(self, view_size: tuple[float, float]) -> Affine:
        return self.camera.placement(self.frame_size(), (0.0, 0.0), view_size)

    def frame_point(
        self, sx: float, sy: float, view_size: tuple[float, float]
    ) -> tuple[float, float]:
        return self.frame_placement(view_size).to_image(sx, sy)

    def display_lut(self) -> np.ndarray | None:
        """The exposure/levels table, or ``None`` when it changes nothing."""
        key = (self.state.exposure, self.state.black, self.state.white)
        if key != self._lut_key:
            lut = levels_lut(*key)
            self._lut = None if is_identity(lut) else lut
            self._lut_key = key
        return self._lut

    def crop_rect(self) -> list[int] | None:
        return self.state.crop

    # -- camera ------------------------------------------------------------------

    def view_size(self) -> tuple[float, float]:
        if self.canvases:
            return self.canvases[0].view_size()
        return float(self.width()), float(self.height())

    def fit(self) -> None:
        self.camera.fit(self.view_size(), margin=4.0)
        self._auto_fit = True
        self._camera_changed()

    def actual_size(self) -> None:
        """1:1 for the selected view's image (pixel-exact there)."""
        image = self.image(self.active) or self.image(0)
        if image is not None:
            self.camera.actual_size(image.width)
            self.camera.snap_center(self.view_size())
            self._auto_fit = False
            self._camera_changed()

    def set_view(
        self,
        zoom: float,
        center: tuple[float, float] | None = None,
        snap: bool = True,
    ) -> None:
        """Place the camera: ``zoom`` screen px per frame px, ``center`` normalized.

        ``snap`` puts frame pixel edges on whole screen pixels (exact read-backs).
        """
        self.camera.set_zoom(zoom)
        if center is not None:
            self.camera.center_u, self.camera.center_v = center
        if snap:
            self.camera.snap_center(self.view_size())
        self._auto_fit = False
        self._camera_changed()

    def zoom_by(self, factor: float) -> None:
        width, height = self.view_size()
        self.zoom_at(factor, width / 2.0, height / 2.0, (width, height))

    def zoom_at(self, factor: float, sx: float, sy: float, view_size: tuple[float, float]) -> None:
        self.camera.zoom_about(factor, sx, sy, view_size)
        self._auto_fit = False
        self._camera_changed()

    def pan(self, dx: float, dy: float) -> None:
        self.camera.pan(dx, dy)
        self._auto_fit = False
        self._camera_changed()

    def reset_view(self) -> None:
        """Forget the camera, the crop and the offsets: fit whatever comes next."""
        self.state.offsets = []
        if self.state.crop is not None:
            self.set_crop(None)
        self._auto_fit = True
        if self.image(0) is not None:
            self.fit()

    def _camera_changed(self) -> None:
        self.refresh()
        self.camera_moved.emit()

    def refresh(self) -> None:
        for canvas in self.canvases:
            canvas.update()

    def canvas_resized(self) -> None:
        """Keep the images fitted while the user has not zoomed or panned."""
        if self._auto_fit and self.image(0) is not None:
            self.camera.fit(self.view_size(), margin=4.0)
            self.refresh()

    # -- modes and settings ------------------------------------------------------

    def select_view(self, index: int) -> None:
        if 0 <= index < self.count and index != self.active:
            self.active = index
            self.refresh()

    def set_mode(self, mode: str) -> None:
        if mode not in MODES:
            raise ValueError(f"unknown compare mode {mode!r}; known: {', '.join(MODES)}")
        if mode == self.state.mode:
            return
        self.state.mode = mode
        self._rebuild()
        self.mode_changed.emit(mode)
        self.state_changed.emit()

    def toggle_difference(self) -> None:
        self.set_mode("side" if self.state.mode == "difference" else "difference")

    def toggle_swipe(self) -> None:
        if self.state.mode != "swipe" and self.count >= 2:
            a = self.active
            b = self.state.reference if self.state.reference != a else (a + 1) % self.count
            self.state.swipe_a, self.state.swipe_b = a, b
        self.set_mode("side" if self.state.mode == "swipe" else "swipe")

    def set_flicker(self, on: bool) -> None:
        if on == self.flicker:
            return
        self.flicker = on
        app = QApplication.instance()
        if on and app is not None:
            app.installEventFilter(self)
        elif app is not None:
            app.removeEventFilter(self)
        self.refresh()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            self.flicker
            and event.type() == QEvent.Type.KeyRelease
            and event.key() == FLICKER_KEY
            and not event.isAutoRepeat()
        ):
            self.set_flicker(False)
        return False

    def _update_settings(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self.state, name, value)
        self.colorbar.set_mode(self.state.diff_mode, self.state.diff_scale)
        self.refresh()
        self.state_changed.emit()

    def set_reference(self, slot: int) -> None:
        self._update_settings(reference=min(max(slot, 0), max(self.count - 1, 0)))

    def set_diff_mode(self, mode: str) -> None:
        self._update_settings(diff_mode=DIFF_MODES.get_name(mode))

    def set_diff_scale(self, scale: float) -> None:
        if scale <= 0:
            raise ValueError(f"difference scale must be positive, got {scale}")
        self._update_settings(diff_scale=float(scale))

    def set_levels(self, exposure: float = 0.0, black: float = 0.0, white: float = 1.0) -> None:
        if white <= black:
            raise ValueError(f"white level {white} must be above black level {black}")
        self._update_settings(exposure=float(exposure), black=float(black), white=float(white))

    def set_pixel_values(self, on: bool) -> None:
        self._update_settings(pixel_values=bool(on))

    def set_layout(self, layout: str, columns: int = 0) -> None:
        self.state.layout, self.state.grid_columns = layout, int(columns)
        self._rebuild()
        self.state_changed.emit()

    def set_swipe_pair(self, a: int, b: int) -> None:
        self._update_settings(swipe_a=int(a), swipe_b=int(b))

    def set_swipe_position(self, fraction: float) -> None:
        self.state.swipe_position = min(max(float(fraction), 0.0), 1.0)
        self.refresh()

    def set_swipe_vertical(self, vertical: bool) -> None:
        self._update_settings(swipe_vertical=bool(vertical))

    def nudge(self, dx: float, dy: float, slot: int | None = None) -> None:
        """Shift one view's image by whole pixels of its own (the selected view by default)."""
        slot = self.active if slot is None else slot
        ox, oy = self.state.offset(slot)
        self.state.set_offset(slot, ox + dx, oy + dy)
        self.refresh()
        self.state_changed.emit()

    # -- crop --------------------------------------------------------------------

    def set_crop_tool(self, on: bool) -> None:
        self.crop_tool = bool(on)
        action = self.actions_by_name.get("crop")
        if action is not None and action.isChecked() != self.crop_tool:
            action.setChecked(self.crop_tool)

    def set_crop(self, crop: list[int] | None) -> None:
        self.state.crop = [int(v) for v in crop] if crop else None
        self.refresh()
        self.crop_changed.emit(self.state.crop)

    def set_crop_from_points(self, start: tuple[float, float], end: tuple[float, float]) -> None:
        fw, fh = self.frame_size()
        x0 = max(0, min(math.floor(min(start[0], end[0])), fw - 1))
        y0 = max(0, min(math.floor(min(start[1], end[1])), fh - 1))
        x1 = max(x0 + 1, min(math.ceil(max(start[0], end[0])), fw))
        y1 = max(y0 + 1, min(math.ceil(max(start[1], end[1])), fh))
        self.set_crop([x0, y0, x1 - x0, y1 - y0])

    def finish_crop(self) -> None:
        self.set_crop_tool(False)
        self.state_changed.emit()

    # -- readout -----------------------------------------------------------------

    def hover(self, index: int, sx: float, sy: float, view_size: tuple[float, float]) -> None:
        u, v = self.camera.screen_to_normalized(sx, sy, view_size)
        text = self.readout_text(u, v)
        self.readout.setText(text)
        self.readout_changed.emit(text)

    def values_at(self, u: float, v: float) -> list[tuple[int, int, tuple[int, int, int] | None]]:
        """For each slot: its own pixel ``(x, y)`` at normalized ``(u, v)`` and the RGB there."""
        values = []
        for slot in range(self.count):
            image = self.image(slot)
            if image is None:
                values.append((-1, -1, None))
                continue
            dx, dy = self.state.offset(slot)
            x = math.floor(u * image.width - dx)
            y = math.floor(v * image.height - dy)
            values.append((x, y, image.pixel(x, y)))
        return values

    def readout_text(self, u: float, v: float) -> str:
        """``x y`` in frame pixels, then each view's RGB there (and its error in difference mode)."""
        fw, fh = self.frame_size()
        parts = [f"x {math.floor(u * fw)}  y {math.floor(v * fh)}"]
        values = self.values_at(u, v)
        reference = self.state.reference
        ref_rgb = values[reference][2] if 0 <= reference < len(values) else None
        for slot, (x, y, rgb) in enumerate(values):
            if rgb is None:
                parts.append(f"{slot + 1}: -")
                continue
            where = f" @{x},{y}" if (x, y) != (math.floor(u * fw), math.floor(v * fh)) else ""
            text = f"{slot + 1}: {rgb[0]} {rgb[1]} {rgb[2]}{where}"
            if self.state.mode == "difference" and slot != reference and ref_rgb is not None:
                error = difference(
                    np.array([[rgb]], np.uint8),
                    np.array([[ref_rgb]], np.uint8),
                    self.state.diff_mode,
                )[0, 0]
                text += f" ({self.state.diff_mode} {error:.4g})"
            parts.append(text)
        return "   |   ".join(parts)

    # -- persistence -------------------------------------------------------------

    def state_dict(self) -> dict[str, Any]:
        return {**self.state.to_dict(), "camera": self.camera.to_dict(), "fitted": self._auto_fit}

    def apply_state(self, data: dict[str, Any] | None) -> None:
        """Restore what :meth:`state_dict` saved; the camera too, unless nothing was saved."""
        self.state = CompareState.from_dict(data)
        camera = (data or {}).get("camera")
        if isinstance(camera, dict):
            self.camera.update_from(camera)
            self._auto_fit = (data or {}).get("fitted") is True  # still fitting on resize
        self.colorbar.set_mode(self.state.diff_mode, self.state.diff_scale)
        self._rebuild()
        self.crop_changed.emit(self.state.crop)
        self.mode_changed.emit(self.state.mode)

    # -- layout ------------------------------------------------------------------

    def _rebuild(self) -> None:
        """Re-create the canvases for the current mode, count and layout."""
        for canvas in self.canvases:
            # Unproxied first: a dying widget whose proxy has the focus clears that focus.
            canvas.setFocusProxy(None)
            self.grid.removeWidget(canvas)
            canvas.hide()  # now: a canvas waiting for deletion must not show through the gaps
            canvas.deleteLater()
        self.canvases = []
        for r in range(self.grid.rowCount()):
            self.grid.setRowStretch(r, 0)
        for c in range(self.grid.columnCount()):
            self.grid.setColumnStretch(c, 0)
        if self.state.mode == "swipe":
            shape, indices = (1, 1), [self.swipe_pair()[0]]
        else:
            shape = grid_shape(self.count, self.state.layout, self.state.grid_columns)
            indices = list(range(max(self.count, 1)))
        rows, cols = shape
        for n, index in enumerate(indices):
            canvas = CompareCanvas(self, index, self.grid_host)
            canvas.setFocusProxy(self)
            self.grid.addWidget(canvas, n // cols, n % cols)
            self.canvases.append(canvas)
            if self.isVisible():
                canvas.show()  # now, so the layout sizes it before the next fit
        for r in range(rows):
            self.grid.setRowStretch(r, 1)
        for c in range(cols):
            self.grid.setColumnStretch(c, 1)
        self.colorbar.setVisible(self.state.mode == "difference")
        self.colorbar.set_mode(self.state.diff_mode, self.state.diff_scale)
        self.layout().activate()  # give the new canvases their sizes now (fit needs them)
        self.grid.activate()
        if self._auto_fit and self.image(0) is not None:
            self.camera.fit(self.view_size(), margin=4.0)
        self.refresh()
