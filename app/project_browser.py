"""The project browser: thumbnails of a project's images and runs, filtered by kind."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget

from widgets.thumbnail_grid import ThumbnailGrid, ThumbnailItem

if TYPE_CHECKING:
    import numpy as np

    from core.naming import ProjectNames
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


def describe_image(image: ImageRecord, name: str = "", provenance: str = "") -> str:
    """A thumbnail's tooltip: its display name, its file facts and where it came from."""
    lines = [
        name or image.name,
        f"{image.kind}, {image.width}x{image.height}, {image.bit_depth}-bit {image.format}",
    ]
    if provenance:
        lines.append(provenance)
    elif image.source_path:
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
        self._reporting = False
        self.names: ProjectNames | None = None  # read with the project (naming loads then)
        self.filter = QComboBox()
        self.filter.addItems(list(FILTERS))
        self.filter.currentTextChanged.connect(lambda _text: self.refresh())
        self.summary = QLabel()
        self.grid = ThumbnailGrid(_thumbnail, size=100)
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
        """Show these images as chosen (a view moved to them, an import added them).

        Images already in the selection only become current and are scrolled to: a view
        walking the user's selection (Annotate) neither narrows it nor hears back. Other
        images replace the selection in one change, reported once like a click; a call
        made while that report is delivered only scrolls (nothing can loop).
        """
        ids = [image_id for image_id in image_ids if image_id in self._images]
        if not ids:
            return
        selected = set(self.grid.selected_keys())
        if self._reporting or set(ids) <= selected:
            self.grid.show_key(ids[0])
            return
        self.grid.select_keys(ids)

    def _rebuild(self) -> None:
        if self.project is None:
            self.grid.set_items([])
            self.summary.setText("No project open")
            return
        from core.naming import ProjectNames

        self.names = ProjectNames.read(self.project)
        wanted = FILTERS[self.filter.currentText()]
        if wanted == "runs":
            self._show_runs()
        else:
            images = self.project.images(kind=wanted)
            self._runs = {}
            self._images = {image.id: image for image in images}
            from core.provenance import Provenance

            story = Provenance.read(self.project, self.names)
            items = []
            for image in images:
                name = self.names.images.get(image.id, image.name)
                tooltip = describe_image(image, name, story.text(image))
                items.append(ThumbnailItem(image.id, name, self.project.image_path(image), tooltip))
            self.grid.set_items(items)
        counts = self.project.counts()
        self.summary.setText(f"{counts['images']} images, {counts['runs']} runs")

    def _show_runs(self) -> None:
        assert self.project is not None
        self._runs = {}
        self._images = {}
        items = []
        for run in self.project.runs():
            outputs = self.project.images(run_id=run.id)
            preview = self.project.image_path(outputs[-1]) if outputs else None
            key = f"run:{run.id}"
            self._runs[key] = run
            name = self.names.runs.get(run.id, run.name)
            group = f"\ngroup {run.group_name}" if run.group_name else ""
            tooltip = f"{name}\n{run.kind} run {run.name}, {run.status}{group}"
            if run.error:
                tooltip += f"\n{run.error.splitlines()[0] if run.error.strip() else ''}"
            items.append(ThumbnailItem(key, f"{name}\n{run.status}", preview, tooltip))
        self.grid.set_items(items)

    def select_image(self, image_id: int) -> None:
        self.grid.select_key(image_id)

    def display_name(self, image: ImageRecord) -> str:
        """The image's short, unique name in this project (its stored name if unknown)."""
        return self.names.images.get(image.id, image.name) if self.names else image.name

    def _on_selection(self, keys: list) -> None:
        if self._rebuilding:
            return
        self._reporting = True
        try:
            runs = [self._runs[key] for key in keys if isinstance(key, str) and key in self._runs]
            if runs:
                self.run_selected.emit(runs[0])
                return
            self.images_selected.emit([self._images[key] for key in keys if key in self._images])
        finally:
            self._reporting = False
