"""The project browser: thumbnails of a project's images and runs, filtered by kind."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from widgets.thumbnail_grid import ThumbnailGrid, ThumbnailItem

if TYPE_CHECKING:
    import numpy as np

    from core.project import ImageRecord, Project, RunRecord

FILTERS = {
    "All images": None,
    "Inputs (imported)": "imported",
    "Degraded": "degraded",
    "Restored": "restored",
    "Method outputs": "method_output",
    "Run steps": "step",
    "Runs": "runs",
}


def _thumbnail(path: Path, size: int) -> np.ndarray:
    from core.thumbnails import (
        make_thumbnail,
    )  # PIL and numpy load in the pool thread, not at startup

    return make_thumbnail(path, size)


def describe_image(image: ImageRecord) -> str:
    lines = [
        image.name,
        f"{image.kind}, {image.width}x{image.height}, {image.bit_depth}-bit {image.format}",
    ]
    if image.source_path:
        lines.append(f"from {image.source_path}")
    return "\n".join(lines)


class ProjectBrowser(QWidget):
    """Lists images (or runs) of the open project; emits the records the user selects."""

    images_selected = Signal(list)  # list[ImageRecord]
    run_selected = Signal(object)  # RunRecord

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self._images: dict[int, ImageRecord] = {}
        self._runs: dict[str, RunRecord] = {}
        self._rebuilding = False
        self.filter = QComboBox()
        self.filter.addItems(list(FILTERS))
        self.filter.currentTextChanged.connect(lambda _text: self.refresh())
        self.summary = QLabel()
        self.grid = ThumbnailGrid(_thumbnail, size=112)
        self.grid.selection_changed.connect(self._on_selection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.summary)

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self.refresh()

    def refresh(self) -> None:
        """Re-read the project (after an import or a run) and rebuild the grid.

        The selection is kept: a run or an import never silently changes what the
        user selected (images that no longer exist drop out of it).
        """
        selected = self.grid.selected_keys()
        self._rebuilding = True  # rebuilding clears the list: not a user's deselection
        try:
            self._rebuild()
            self.grid.select_keys(selected)
        finally:
            self._rebuilding = False
        if self.grid.selected_keys() != selected:
            self._on_selection(self.grid.selected_keys())

    def select_images(self, image_ids: list[int]) -> None:
        """Select these images (and scroll to the first), as a user's click would."""
        self.grid.select_keys(list(image_ids))

    def _rebuild(self) -> None:
        if self.project is None:
            self.grid.set_items([])
            self.summary.setText("No project open")
            return
        wanted = FILTERS[self.filter.currentText()]
        if wanted == "runs":
            self._show_runs()
        else:
            images = self.project.images(kind=wanted)
            self._images = {image.id: image for image in images}
            self.grid.set_items(
                [
                    ThumbnailItem(
                        image.id, image.name, self.project.image_path(image), describe_image(image)
                    )
                    for image in images
                ]
            )
        counts = self.project.counts()
        self.summary.setText(f"{counts['images']} images, {counts['runs']} runs")

    def _show_runs(self) -> None:
        assert self.project is not None
        self._runs = {}
        items = []
        for run in self.project.runs():
            outputs = self.project.images(run_id=run.id)
            preview = self.project.image_path(outputs[-1]) if outputs else None
            key = f"run:{run.id}"
            self._runs[key] = run
            items.append(
                ThumbnailItem(
                    key, f"{run.name}\n{run.status}", preview, f"{run.kind} run, {run.status}"
                )
            )
        self.grid.set_items(items)

    def select_image(self, image_id: int) -> None:
        self.grid.select_key(image_id)

    def _on_selection(self, keys: list) -> None:
        if self._rebuilding:
            return
        runs = [self._runs[key] for key in keys if isinstance(key, str) and key in self._runs]
        if runs:
            self.run_selected.emit(runs[0])
            return
        self.images_selected.emit([self._images[key] for key in keys if key in self._images])
