"""The Compare view: the project's images in synchronized views, difference maps, figure export.

The project browser's selection feeds it: two or more selected images replace
the compared set (one image is shown only when nothing is compared yet); "Add
image..." opens a searchable picker of every image of the project; adding and
removing views is undoable (Ctrl+Z). A new set keeps the zoom, position and
crop only when it is related to the old one (:mod:`core.compare.related`: same
frame size and source), else it starts fitted. Images are decoded and their
pyramids built off the GUI thread. Layout, mode, crop, camera and the compared
images are saved in the project (``view_state("compare")``) and restored on reopen.
The compare widget's shortcuts fire wherever the focus is inside the view.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QImage, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from app.compare_undo import AddView, RemovedView, RemoveView, state_with, state_without
from app.context import ViewContext
from core.compare.figure import Crop, export_figure
from core.compare.labels import project_labels
from core.compare.pyramid import load_pyramid
from core.compare.related import related
from core.compare.state import MAX_VIEWS
from core.project import ImageRecord, Project
from widgets.background import BackgroundLoader
from widgets.compare.controls import CompareControls, spin_box
from widgets.compare.picker import ImagePicker, PickerEntry
from widgets.compare.pyramid_image import PyramidImage
from widgets.compare.shortcuts import share_shortcuts
from widgets.compare.widget import CompareWidget

VIEW_NAME = "compare"
SAVE_DELAY_MS = 400
EMPTY_TEXT = "Pick two or more images in the browser (Ctrl+click) to compare them, or Add image..."
TEXT_FIELDS = (QLineEdit, QAbstractSpinBox, QTextEdit, QPlainTextEdit)


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

        self.compare.empty_text = EMPTY_TEXT
        self.undo_stack = QUndoStack(self)
        self.picker: ImagePicker | None = None

        self.add_button = QToolButton()
        self.add_button.setText("Add image...")
        self.add_button.setToolTip("Add any image of the project: a searchable list")
        self.add_button.clicked.connect(self.open_picker)
        self.remove_action = self._action(
            "Compare: Remove Selected View", self.remove_selected, "Delete", "Remove view"
        )
        self.undo_action = self._action(
            "Compare: Undo Add/Remove View", self.undo_stack.undo, "Ctrl+Z", "Undo"
        )
        self.redo_action = self._action(
            "Compare: Redo Add/Remove View", self.undo_stack.redo, "Ctrl+Shift+Z", None
        )
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_stack.undoTextChanged.connect(
            lambda text: self.undo_action.setToolTip(f"Undo {text} (Ctrl+Z)" if text else "Undo")
        )
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.export_action = self._action(
            "Compare: Export Figure...", self.export_dialog, "Ctrl+Shift+E", "Export..."
        )
        self.copy_action = self._action(
            "Compare: Copy Figure", self.copy_figure, "Ctrl+Shift+C", "Copy"
        )
        self._build_figure_menu()

        bar = self.controls.display_row
        bar.addSeparator()
        bar.addWidget(self.add_button)
        bar.addAction(self.remove_action)
        bar.addAction(self.undo_action)
        bar.addSeparator()
        crop = self.compare.actions_by_name["crop"]
        crop.setToolTip("Draw Crop (C): drag a rectangle in any view; it is the figure's crop")
        bar.addAction(crop)
        bar.addWidget(self.export_button)
        bar.addAction(self.copy_action)
        self.figure_bar = bar
        share_shortcuts(self.compare, self)  # G, D, S, F... also while a tool bar has focus

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.controls)
        layout.addWidget(self.compare, 1)

    def _action(self, text: str, slot, shortcut: str, icon_text: str | None) -> QAction:
        action = QAction(text, self)
        action.setIconText(icon_text or text.removeprefix("Compare: "))
        action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(f"{text.removeprefix('Compare: ')} ({shortcut})")
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _=False: slot())
        self.addAction(action)
        return action

    def _build_figure_menu(self) -> None:
        """Export... as a button; its menu holds Copy and the rarely changed figure options."""
        self.figure_scale = spin_box(0.25, 32.0, 1.0, 2, "x")
        self.figure_scale.setToolTip("Figure scale: output pixels per frame pixel of the crop")
        self.figure_full = QAction("With full images", self)
        self.figure_full.setCheckable(True)
        self.figure_full.setToolTip("Add each full image with the crop box drawn on it")
        self.figure_scale.valueChanged.connect(self._figure_options_changed)
        self.figure_full.toggled.connect(self._figure_options_changed)
        menu = QMenu(self)
        menu.addAction(self.export_action)
        menu.addAction(self.copy_action)
        menu.addSeparator()
        scale_row = QWidget()
        row = QHBoxLayout(scale_row)
        row.setContentsMargins(24, 2, 8, 2)
        row.addWidget(QLabel("Figure scale"))
        row.addWidget(self.figure_scale)
        scale_action = QWidgetAction(menu)
        scale_action.setDefaultWidget(scale_row)
        menu.addAction(scale_action)
        menu.addAction(self.figure_full)
        self.figure_menu = menu
        self.export_button = QToolButton()
        self.export_button.setDefaultAction(self.export_action)
        self.export_button.setMenu(menu)
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.export_button.setToolTip(
            "Export the crop of every view as PNG, SVG or PDF (Ctrl+Shift+E); "
            "the arrow: copy, figure scale, full images"
        )

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
        self.undo_stack.clear()
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
        """Compare exactly ``records`` (the first is the frame); offsets start at zero.

        The zoom, position and crop stay only for a related set (same frame size and
        source, :func:`core.compare.related.related`); otherwise the view starts fitted.
        """
        records = list(records[:MAX_VIEWS])
        if not self._related(self.records, records):
            self.compare.reset_view()
        self.compare.state.offsets = []
        self.undo_stack.clear()  # a new comparison: the old set's adds and removes are gone
        self._set_records(records)

    def _related(self, old: list[ImageRecord], new: list[ImageRecord]) -> bool:
        if not old or not new or self.project is None:
            return False
        parents = {r.id: r.parent_id for r in self.project.images()}
        return related(
            [r.id for r in old],
            [r.id for r in new],
            parents,
            (old[0].width, old[0].height),
            (new[0].width, new[0].height),
        )

    def _set_records(self, records: list[ImageRecord], save: bool = True) -> None:
        self.records = records
        self.remove_action.setEnabled(bool(records))
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
        QTimer.singleShot(0, self._take_focus)

    def _take_focus(self) -> None:
        """Give the keyboard to the views when the user turns to this view.

        Kept where it is when the focus is already inside the view or in a text field
        (the browser's filter, a spin box): the user is typing there.
        """
        focus = QApplication.focusWidget()
        if not self.isVisible() or (focus is not None and self.isAncestorOf(focus)):
            return
        if isinstance(focus, TEXT_FIELDS) and focus.isVisible():
            return
        self.compare.setFocus(Qt.FocusReason.OtherFocusReason)

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

    def picker_entries(self) -> tuple[list[ImageRecord], list[PickerEntry]]:
        """Every image of the project, with what the picker searches by."""
        project = self.project
        if project is None:
            return [], []
        records = project.images()
        labels = project_labels(project, records)
        methods = {m["id"]: m["name"] for m in project.methods()}
        runs = {r.id: r.name for r in project.runs()}
        entries = [
            PickerEntry(
                label=label,
                kind=record.kind,
                run=runs.get(record.run_id, "") if record.run_id else "",
                step=record.step_index,
                method=methods.get(record.method_id, "") if record.method_id else "",
                size=f"{record.width}x{record.height}",
            )
            for record, label in zip(records, labels, strict=True)
        ]
        return records, entries

    def open_picker(self) -> ImagePicker | None:
        """Open the searchable list of the project's images; the chosen one is added."""
        if self.project is None:
            self.context.show_status("Open a project first")
            return None
        if len(self.records) >= MAX_VIEWS:
            self.context.show_status(f"Compare shows {MAX_VIEWS} images at most: remove one first")
            return None
        records, entries = self.picker_entries()
        picker = ImagePicker(entries, self)
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.chosen.connect(lambda index: self.add_record(records[index]))
        picker.finished.connect(self._picker_closed)
        self.picker = picker
        picker.open()
        return picker

    def _picker_closed(self, _result: int) -> None:
        self.picker = None
        self.compare.setFocus(Qt.FocusReason.PopupFocusReason)

    def add_record(self, record: ImageRecord) -> None:
        """Add ``record`` as the last view (undoable)."""
        if len(self.records) < MAX_VIEWS and self.project is not None:
            label = project_labels(self.project, [record])[0]
            self.undo_stack.push(AddView(self, record, label))

    def remove_selected(self) -> None:
        """Remove the selected view (undoable: Ctrl+Z puts it back)."""
        slot = self.compare.active
        if 0 <= slot < len(self.records):
            label = self.compare.label(slot)
            self.undo_stack.push(RemoveView(self, slot, label))
            self.context.show_status(f"Removed view {slot + 1} ({label}); Ctrl+Z puts it back")

    def take_view(self, slot: int) -> RemovedView:
        """Remove view ``slot``, keeping every other setting; what it took is returned."""
        state, offset, roles = state_without(self.compare.state_dict(), slot)
        removed = RemovedView(slot, self.records[slot], offset, roles)
        self._set_records([r for i, r in enumerate(self.records) if i != slot])
        self.compare.apply_state(state)
        self.compare.select_view(min(self.compare.active, max(self.compare.count - 1, 0)))
        return removed

    def put_view(self, view: RemovedView) -> None:
        """Insert a view at its slot (undo of a removal, or an add at the end)."""
        slot = min(view.slot, len(self.records))
        state = state_with(self.compare.state_dict(), slot, view.offset, view.roles)
        self._set_records([*self.records[:slot], view.record, *self.records[slot:]])
        self.compare.apply_state(state)
        self.compare.select_view(slot)

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
