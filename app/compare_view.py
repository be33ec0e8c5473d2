"""The Compare view: the project's images in synchronized views, difference maps, figure export.

The project browser's selection feeds it: two or more selected images replace
the compared set (one image is shown only when nothing is compared yet); the
"Add image" menu adds any image of the project. Images are decoded and their
pyramids built off the GUI thread. Layout, mode, crop, camera and the compared
images are saved in the project (``view_state("compare")``) and restored on reopen.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QImage, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFileDialog,
    QLabel,
    QMenu,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.views import ViewContext
from core.compare.figure import Crop, export_figure
from core.compare.labels import project_labels
from core.compare.pyramid import load_pyramid
from core.compare.state import MAX_VIEWS
from core.project import ImageRecord, Project
from widgets.background import BackgroundLoader
from widgets.compare.controls import CompareControls, spin_box
from widgets.compare.pyramid_image import PyramidImage
from widgets.compare.widget import CompareWidget

VIEW_NAME = "compare"
SAVE_DELAY_MS = 400


class CompareView(QWidget):
    """Compare 1-8 project images; registered in ``app/views.py`` as ``compare``."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.project: Project | None = None
        self.records: list[ImageRecord] = []
        self._pending: list[ImageRecord] | None = None
        self._generation = 0
        self._cache: dict[str, PyramidImage] = {}
        self.compare = CompareWidget()
        self.controls = CompareControls(self.compare)
        self._loader = BackgroundLoader(self)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(SAVE_DELAY_MS)
        self._save_timer.timeout.connect(self.save_state)
        self.compare.state_changed.connect(self._save_timer.start)
        self.compare.camera_moved.connect(self._save_timer.start)
        self.compare.crop_changed.connect(lambda _c: self._save_timer.start())
        self.compare.readout_changed.connect(lambda text: None)

        self.figure_scale = spin_box(0.25, 32.0, 1.0, 2, "x")
        self.figure_scale.setToolTip("Figure scale: output pixels per frame pixel of the crop")
        self.figure_full = QCheckBox("With full images")
        self.figure_scale.valueChanged.connect(self._figure_options_changed)
        self.figure_full.toggled.connect(self._figure_options_changed)
        self.add_button = QToolButton()
        self.add_button.setText("Add image")
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_menu = QMenu(self.add_button)
        self.add_menu.aboutToShow.connect(self._fill_add_menu)
        self.add_button.setMenu(self.add_menu)
        self.export_action = self._action(
            "Compare: Export Figure...", self.export_dialog, "Ctrl+Shift+E"
        )
        self.copy_action = self._action("Compare: Copy Figure", self.copy_figure, "Ctrl+Shift+C")
        self.remove_action = self._action(
            "Compare: Remove Selected View", self.remove_selected, "Delete"
        )
        figure_bar = QToolBar()
        for name in ("fit", "actual"):
            figure_bar.addAction(self.compare.actions_by_name[name])
        figure_bar.addSeparator()
        figure_bar.addWidget(self.add_button)
        figure_bar.addAction(self.remove_action)
        figure_bar.addSeparator()
        figure_bar.addAction(self.compare.actions_by_name["crop"])
        figure_bar.addWidget(QLabel(" Figure scale "))
        figure_bar.addWidget(self.figure_scale)
        figure_bar.addWidget(self.figure_full)
        figure_bar.addAction(self.export_action)
        figure_bar.addAction(self.copy_action)
        self.figure_bar = figure_bar

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.controls)
        layout.addWidget(figure_bar)
        layout.addWidget(self.compare, 1)

    def _action(self, text: str, slot, shortcut: str) -> QAction:
        action = QAction(text, self)
        action.setIconText(text.removeprefix("Compare: "))
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(self.compare.actions_by_name["fit"].shortcutContext())
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    @property
    def loading(self) -> bool:
        return self._loader.pending > 0 or (self.isVisible() and self.compare.loading)

    # -- project and images ------------------------------------------------------

    def set_project(self, project: Project | None) -> None:
        """Show a project's saved comparison (images, layout, mode, crop, camera)."""
        if self._save_timer.isActive():
            self.save_state()
        self.project = project
        self._cache.clear()
        self.records = []
        self._pending = None
        saved = project.view_state(VIEW_NAME) if project is not None else None
        self.compare.apply_state(saved)
        self._sync_figure_options()
        records = []
        if project is not None and saved:
            for image_id in saved.get("image_ids", []):
                try:
                    records.append(project.image(int(image_id)))
                except Exception:  # an image deleted since: skip it
                    continue
        self._set_records(records, save=False)

    def show_images(self, images: list[ImageRecord]) -> None:
        """The browser's selection: 2+ images replace the compared set; 1 image starts one."""
        if self.project is None or not images:
            return
        if len(images) == 1 and self.records:
            return
        if [r.id for r in images[:MAX_VIEWS]] == [r.id for r in self.records]:
            return
        self.set_records(images)

    def set_records(self, records: list[ImageRecord]) -> None:
        """Compare exactly ``records`` (the first is the frame); offsets start at zero."""
        self.compare.state.offsets = []
        self._set_records(list(records[:MAX_VIEWS]))

    def _set_records(self, records: list[ImageRecord], save: bool = True) -> None:
        self.records = records
        labels = project_labels(self.project, records) if self.project and records else []
        self.compare.set_slots(labels)
        self.controls.set_labels(labels)
        self._generation += 1
        self._pending = list(records)
        if self.isVisible():
            self._load_pending()
        if save:
            self._save_timer.start()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self._load_pending()

    def _load_pending(self) -> None:
        """Decode the images now shown (deferred while the view is hidden)."""
        if not self._pending or self.project is None:
            self._pending = None
            return
        records, self._pending = self._pending, None
        max_pixels = getattr(self.context.settings, "max_pixels", None)
        for slot, record in enumerate(records):
            cached = self._cache.get(record.sha256)
            if cached is not None:
                self.compare.set_image(slot, cached)
                continue
            path = str(self.project.image_path(record))
            key = (self._generation, slot, record.sha256)
            self._loader.request(key, load_pyramid, path, max_pixels)

    def _on_loaded(self, key, levels) -> None:
        generation, slot, sha = key
        image = self._cache.get(sha) or PyramidImage(levels)
        wanted = {r.sha256 for r in self.records}
        self._cache = {k: v for k, v in self._cache.items() if k in wanted}
        if sha in wanted:
            self._cache[sha] = image
        if generation == self._generation:
            self.compare.set_image(slot, image)

    def _on_failed(self, key, message: str) -> None:
        generation, slot, _sha = key
        if generation == self._generation:
            self.compare.set_image(slot, None)
            self.compare.set_label(slot, f"cannot load: {message.splitlines()[0]}")
            self.context.show_status(f"Compare: cannot load an image: {message.splitlines()[0]}")

    def _fill_add_menu(self) -> None:
        self.add_menu.clear()
        if self.project is None:
            return
        records = self.project.images()
        labels = project_labels(self.project, records)
        by_kind: dict[str, QMenu] = {}
        for record, label in zip(records, labels, strict=True):
            menu = by_kind.get(record.kind)
            if menu is None:
                menu = by_kind[record.kind] = self.add_menu.addMenu(record.kind)
            action = menu.addAction(label)
            action.setEnabled(len(self.records) < MAX_VIEWS)
            action.triggered.connect(lambda _=False, r=record: self.add_record(r))

    def add_record(self, record: ImageRecord) -> None:
        if len(self.records) < MAX_VIEWS:
            state = self.compare.state_dict()
            self._set_records([*self.records, record])
            self.compare.apply_state(state)

    def remove_selected(self) -> None:
        slot = self.compare.active
        if 0 <= slot < len(self.records):
            state = self.compare.state_dict()
            offsets = state.get("offsets", [])
            if slot < len(offsets):
                offsets.pop(slot)
            for key in ("reference", "swipe_a", "swipe_b"):  # indices after the removed view
                index = int(state.get(key, 0))
                state[key] = 0 if index == slot else index - (index > slot)
            self._set_records([r for i, r in enumerate(self.records) if i != slot])
            self.compare.apply_state(state)

    # -- persistence -------------------------------------------------------------

    def save_state(self) -> None:
        """Write layout, mode, crop, camera and images into the project.

        A save still pending when the window has already closed the project goes
        through a connection of its own.
        """
        self._save_timer.stop()
        if self.project is None:
            return
        state = self.compare.state_dict()
        state["image_ids"] = [r.id for r in self.records]
        try:
            self.project.set_view_state(VIEW_NAME, state)
        except sqlite3.ProgrammingError:  # closed under us
            with Project.open(self.project.path) as project:
                project.set_view_state(VIEW_NAME, state)

    def hideEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if self._save_timer.isActive():
            self.save_state()
        super().hideEvent(event)

    def _figure_options_changed(self) -> None:
        self.compare.state.figure_scale = self.figure_scale.value()
        self.compare.state.figure_full = self.figure_full.isChecked()
        self._save_timer.start()

    def _sync_figure_options(self) -> None:
        self.figure_scale.blockSignals(True)
        self.figure_scale.setValue(self.compare.state.figure_scale)
        self.figure_scale.blockSignals(False)
        self.figure_full.blockSignals(True)
        self.figure_full.setChecked(self.compare.state.figure_full)
        self.figure_full.blockSignals(False)

    # -- figures -----------------------------------------------------------------

    def figure_job(self, path: str | None):
        """Submit the figure of the current crop to the compute worker; returns its JobHandle."""
        crop = self.compare.state.crop
        images = [self.compare.image(i) for i in range(self.compare.count)]
        if crop is None:
            self.context.show_status("Draw a crop first (C, then drag in any view)")
            return None
        if not images or any(image is None for image in images):
            self.context.show_status("The images are still loading")
            return None
        state = self.compare.state
        return self.context.worker.submit(
            export_figure,
            [image.pixels for image in images],
            self.compare.labels(),
            Crop(*crop),
            path,
            scale=state.figure_scale,
            with_full=state.figure_full,
            offsets=[state.offset(i) for i in range(len(images))],
            name="Compare figure",
        )

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export figure", "figure.png", "PNG (*.png);;SVG (*.svg);;PDF (*.pdf)"
        )
        if path:
            self.export_to(path)

    def export_to(self, path: str):
        handle = self.figure_job(path)
        if handle is not None:
            handle.succeeded.connect(
                lambda written: self.context.show_status(f"Figure written to {written}")
            )
        return handle

    def copy_figure(self):
        handle = self.figure_job(None)
        if handle is not None:
            handle.succeeded.connect(self._to_clipboard)
        return handle

    def _to_clipboard(self, png: bytes) -> None:
        image = QImage.fromData(png, "PNG")
        QApplication.clipboard().setImage(image)
        self.context.show_status(f"Figure copied ({image.width()}x{image.height()})")
