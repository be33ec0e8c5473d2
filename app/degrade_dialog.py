"""The Degrade dialog: build a chain of degradations, preview it live, add results to the project.

The preview runs on Qt's thread pool (a reduced copy of the selected image);
the full-resolution batch runs on the compute worker and stores each result
as a ``degraded`` image linked to its clean original, with recipe and seed.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.session import ProjectChange
from core.degrade import DEGRADATIONS, Recipe, Step, get_degradation
from core.degrade.batch import degrade_into_project
from core.degrade.preview import load_preview_source, render_preview
from core.degrade.registry import kinds_in_order
from core.errors import IrisError
from widgets.background import BackgroundLoader
from widgets.param_form import ParamForm, differs
from widgets.qimage import rgb_to_qimage

PREVIEW_SIDE = 320
PREVIEW_DELAY_MS = 120
MAX_SEED = 2**31 - 1


class DegradeDialog(QDialog):
    """A non-modal dialog bound to the main window's project, selection and worker."""

    preview_ready = Signal()  # a preview was drawn (tests wait for it)
    applied = Signal(list)  # ids of the degraded images added to the project

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Degrade")
        self.steps: list[dict[str, Any]] = [{"kind": "gaussian_blur", "severity": 3, "params": {}}]
        self.images: list = []
        self.preview_error: str | None = None
        self.degraded_preview: np.ndarray | None = None
        self._sources: dict[tuple[str, str], np.ndarray] = {}
        self._generation = itertools.count(1)
        self._wanted = 0
        self._loader = BackgroundLoader(self)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self._start_preview)
        self._build()
        window.browser.images_selected.connect(self.set_images)
        self.set_images(self._selected_records())
        self._refresh_chain(0)

    # -- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.chain = QListWidget()
        self.chain.setMaximumHeight(130)
        self.chain.currentRowChanged.connect(self._show_step)
        buttons = QHBoxLayout()
        for text, slot in (
            ("Add", self.add_step),
            ("Remove", self.remove_step),
            ("Up", lambda: self.move_step(-1)),
            ("Down", lambda: self.move_step(1)),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)

        self.kind = QComboBox()
        for name in kinds_in_order():
            self.kind.addItem(DEGRADATIONS.meta(name).get("title", name), name)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.severity = QSpinBox()
        self.severity.setRange(1, 5)
        self.severity.valueChanged.connect(self._on_severity)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.form = ParamForm()
        self.form.value_changed.connect(self._on_param)
        reset = QPushButton("Reset to severity defaults")
        reset.clicked.connect(self._reset_params)
        step_box = QGroupBox("Step")
        step_layout = QGridLayout(step_box)
        step_layout.addWidget(QLabel("Kind"), 0, 0)
        step_layout.addWidget(self.kind, 0, 1)
        step_layout.addWidget(QLabel("Severity"), 1, 0)
        step_layout.addWidget(self.severity, 1, 1)
        step_layout.addWidget(self.summary, 2, 0, 1, 2)
        step_layout.addWidget(self.form, 3, 0, 1, 2)
        step_layout.addWidget(reset, 4, 0, 1, 2)

        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)
        self.seed.valueChanged.connect(self.schedule_preview)
        self.mode = QComboBox()
        self.mode.addItem("Whole image (reduced)", "fit")
        self.mode.addItem("Centre at 1:1", "crop")
        self.mode.currentIndexChanged.connect(self.schedule_preview)
        load = QPushButton("Load recipe...")
        load.clicked.connect(self.load_recipe_dialog)
        save = QPushButton("Save recipe...")
        save.clicked.connect(self.save_recipe_dialog)

        left = QVBoxLayout()
        left.addWidget(QLabel("Chain (applied top to bottom)"))
        left.addWidget(self.chain)
        left.addLayout(buttons)
        left.addWidget(step_box, 1)
        seed_row = QHBoxLayout()
        seed_row.addWidget(QLabel("Seed"))
        seed_row.addWidget(self.seed, 1)
        left.addLayout(seed_row)
        files = QHBoxLayout()
        files.addWidget(load)
        files.addWidget(save)
        left.addLayout(files)

        self.clean_label = QLabel()
        self.degraded_label = QLabel()
        for label in (self.clean_label, self.degraded_label):
            label.setFixedSize(PREVIEW_SIDE, PREVIEW_SIDE)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setStyleSheet("background: #202024; color: #bbb;")
        self.source_label = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.apply_button = QPushButton()
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        close = QPushButton("Close")
        close.clicked.connect(self.close)

        previews = QGridLayout()
        previews.addWidget(QLabel("Clean"), 0, 0)
        previews.addWidget(QLabel("Degraded"), 0, 1)
        previews.addWidget(self.clean_label, 1, 0)
        previews.addWidget(self.degraded_label, 1, 1)
        right = QVBoxLayout()
        mode_row = QHBoxLayout()
        mode_row.addWidget(self.source_label, 1)
        mode_row.addWidget(QLabel("Preview"))
        mode_row.addWidget(self.mode)
        right.addLayout(mode_row)
        right.addLayout(previews)
        right.addWidget(self.status)
        right.addStretch(1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.apply_button)
        actions.addWidget(close)
        right.addLayout(actions)

        layout = QHBoxLayout(self)
        left_widget = QWidget()
        left_widget.setLayout(left)
        left_widget.setMinimumWidth(330)
        layout.addWidget(left_widget)
        layout.addLayout(right, 1)

    # -- the chain -----------------------------------------------------------------------

    def recipe(self) -> Recipe:
        """The chain as a recipe (parameter overrides only)."""
        return Recipe([Step(s["kind"], s["severity"], dict(s["params"])) for s in self.steps])

    def set_recipe(self, recipe: Recipe) -> None:
        self.steps = [
            {"kind": s.kind, "severity": s.severity, "params": dict(s.params)} for s in recipe.steps
        ]
        self._refresh_chain(0)

    def _refresh_chain(self, row: int) -> None:
        self.chain.blockSignals(True)
        self.chain.clear()
        for index, step in enumerate(self.steps, start=1):
            title = DEGRADATIONS.meta(step["kind"]).get("title", step["kind"])
            edited = " *" if step["params"] else ""
            self.chain.addItem(f"{index}. {title}, severity {step['severity']}{edited}")
        self.chain.blockSignals(False)
        self._show_step(max(0, min(row, len(self.steps) - 1)))

    def _current(self) -> dict[str, Any] | None:
        row = self.chain.currentRow()
        return self.steps[row] if 0 <= row < len(self.steps) else None

    def add_step(self) -> None:
        current = self._current()
        kind = current["kind"] if current else "gaussian_blur"
        self.steps.append({"kind": kind, "severity": 3, "params": {}})
        self._refresh_chain(len(self.steps) - 1)

    def remove_step(self) -> None:
        row = self.chain.currentRow()
        if len(self.steps) > 1 and 0 <= row < len(self.steps):
            del self.steps[row]
            self._refresh_chain(row)

    def move_step(self, delta: int) -> None:
        row = self.chain.currentRow()
        target = row + delta
        if 0 <= row < len(self.steps) and 0 <= target < len(self.steps):
            self.steps[row], self.steps[target] = self.steps[target], self.steps[row]
            self._refresh_chain(target)

    def _show_step(self, row: int) -> None:
        if not 0 <= row < len(self.steps):
            return
        if self.chain.currentRow() != row:
            self.chain.blockSignals(True)
            self.chain.setCurrentRow(row)
            self.chain.blockSignals(False)
        step = self.steps[row]
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData(step["kind"]))
        self.kind.blockSignals(False)
        self.severity.blockSignals(True)
        self.severity.setValue(step["severity"])
        self.severity.blockSignals(False)
        kind = get_degradation(step["kind"])
        self.summary.setText(kind.summary)
        defaults = kind.resolve(step["severity"])
        self.form.set_params(
            [p.describe() for p in kind.params], {**defaults, **step["params"]}, defaults
        )
        self.schedule_preview()

    def _on_kind(self, _index: int) -> None:
        step = self._current()
        if step is not None:
            step["kind"], step["params"] = self.kind.currentData(), {}
            self._refresh_chain(self.chain.currentRow())

    def _on_severity(self, value: int) -> None:
        step = self._current()
        if step is None:
            return
        step["severity"] = int(value)
        kind = get_degradation(step["kind"])
        defaults = kind.resolve(step["severity"])
        self.form.set_values({**defaults, **step["params"]}, defaults)
        self._refresh_chain(self.chain.currentRow())

    def _on_param(self, name: str, value: Any) -> None:
        step = self._current()
        if step is None:
            return
        default = get_degradation(step["kind"]).resolve(step["severity"])[name]
        if differs(value, default):
            step["params"][name] = value
        else:
            step["params"].pop(name, None)
        row = self.chain.currentRow()
        item = self.chain.item(row)
        title = DEGRADATIONS.meta(step["kind"]).get("title", step["kind"])
        item.setText(
            f"{row + 1}. {title}, severity {step['severity']}" + (" *" if step["params"] else "")
        )
        self.schedule_preview()

    def _reset_params(self) -> None:
        step = self._current()
        if step is not None:
            step["params"] = {}
            self._refresh_chain(self.chain.currentRow())

    # -- images and preview ----------------------------------------------------------------

    def _selected_records(self) -> list:
        project = self.window_.project
        if project is None:
            return []
        keys = self.window_.browser.grid.selected_keys()
        return [project.image(key) for key in keys if isinstance(key, int)]

    def set_images(self, images: list) -> None:
        """The images the dialog previews (the first) and degrades (all)."""
        self.images = list(images)
        count = len(self.images)
        self.apply_button.setText(
            f"Add {count} degraded image{'s' if count != 1 else ''} to project"
        )
        self.apply_button.setEnabled(count > 0)
        self.source_label.setText(
            f"Preview of: {self.images[0].name}" if self.images else "Pick an image in the project"
        )
        self.schedule_preview()

    def schedule_preview(self, *_args) -> None:
        self._timer.start()

    def _start_preview(self) -> None:
        project = self.window_.project
        if not self.images or project is None:
            self.clean_label.setText("no image selected")
            self.degraded_label.clear()
            return
        path = str(project.image_path(self.images[0]))
        mode = self.mode.currentData()
        generation = next(self._generation)
        self._wanted = generation
        source = self._sources.get((path, mode))
        recipe, seed = self.recipe(), int(self.seed.value())
        self._loader.request(
            generation, _preview_job, path, mode, source, recipe, seed, PREVIEW_SIDE
        )
        self.status.setText("Rendering preview...")

    def _on_loaded(self, generation: int, result: tuple) -> None:
        path, mode, source, degraded = result
        self._sources[(path, mode)] = source
        if generation != self._wanted:
            return  # a newer preview is on its way
        self.preview_error = None
        self.degraded_preview = degraded
        self.clean_label.setPixmap(QPixmap.fromImage(rgb_to_qimage(source)))
        self.degraded_label.setPixmap(QPixmap.fromImage(rgb_to_qimage(degraded)))
        self.status.setText(f"Recipe: {self.recipe().label()}, seed {self.seed.value()}")
        self.preview_ready.emit()

    def _on_failed(self, generation: int, message: str) -> None:
        if generation != self._wanted:
            return
        self.preview_error = message.splitlines()[0]
        self.degraded_label.clear()
        self.degraded_label.setText("no preview")
        self.status.setText(f"Cannot preview: {self.preview_error}")
        self.preview_ready.emit()

    # -- recipes on disk ---------------------------------------------------------------------

    def load_recipe_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load recipe", "", "Recipe (*.json)")
        if path:
            self.load_recipe(path)

    def load_recipe(self, path: str | Path) -> bool:
        try:
            self.set_recipe(Recipe.load(path))
        except IrisError as exc:
            self.window_.report_error("Cannot load the recipe", str(exc))
            return False
        return True

    def save_recipe_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save recipe", "recipe.json", "Recipe (*.json)")
        if path:
            self.save_recipe(path)

    def save_recipe(self, path: str | Path) -> bool:
        try:
            self.recipe().validate().save(path)
        except (IrisError, OSError) as exc:
            self.window_.report_error("Cannot save the recipe", str(exc))
            return False
        self.window_.show_status(f"Saved recipe {path}")
        return True

    # -- running -------------------------------------------------------------------------------

    def apply(self):
        """Degrade every selected image at full resolution on the compute worker."""
        project = self.window_.project
        if project is None or not self.images:
            return None
        try:
            recipe = self.recipe().validate()
        except IrisError as exc:
            self.window_.report_error("Invalid recipe", str(exc))
            return None
        ids = [image.id for image in self.images]
        return self.window_.job_owner("degrade").start(
            degrade_into_project,
            project.path,
            ids,
            recipe,
            int(self.seed.value()),
            name="Degrade",
            on_done=self._on_applied,
            changes=ProjectChange.IMAGES,
        )

    def _on_applied(self, ids: list) -> None:
        self.window_.show_status(f"Added {len(ids)} degraded images ({self.recipe().label()})")
        self.applied.emit(list(ids))


def _preview_job(
    path: str, mode: str, source: np.ndarray | None, recipe: Recipe, seed: int, side: int
) -> tuple[str, str, np.ndarray, np.ndarray]:
    """Runs in the thread pool: reduce the image once, then apply the recipe to it."""
    if source is None:
        source = load_preview_source(path, mode, side)
    return path, mode, source, render_preview(source, recipe, seed)


def open_degrade_dialog(window) -> DegradeDialog:
    """Tools > Degrade: one dialog per window, raised if already open."""
    dialog = getattr(window, "_degrade_dialog", None)
    if dialog is None:
        dialog = DegradeDialog(window)
        window._degrade_dialog = dialog
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
