"""The project browser: thumbnails of a project's images and runs, filtered by kind and tag.

Its context menu acts on the selected images: *Edit Tags...* (the tag editor) and
*Export Images...* (their files and a manifest into a folder); both run on the
compute worker and announce what they changed on the project session.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from app.session import ProjectChange
from core.listing import RUNS, Listing, read_listing, read_listing_at
from widgets.background import BackgroundLoader
from widgets.tag_filter import TagFilter
from widgets.thumbnail_grid import ThumbnailGrid, ThumbnailItem

if TYPE_CHECKING:
    import numpy as np

    from app.context import ViewContext
    from app.job_owner import JobOwner
    from app.tag_editor import TagEditor
    from core.naming import ProjectNames
    from core.project import ImageRecord, Project, RunRecord

FILTERS = {
    "All images": None,
    "Inputs (imported)": "imported",
    "Degraded": "degraded",
    "Restored": "restored",
    "Method outputs": "method_output",
    "Run steps": "step",
    "Runs": RUNS,
}


def _thumbnail(path: Path, size: int) -> np.ndarray:
    from core.thumbnails import (
        make_thumbnail,
    )  # PIL and numpy load in the pool thread, not at startup

    return make_thumbnail(path, size)


def choose_export_folder(parent: QWidget) -> str:
    """The folder the user picks for an export ("" when cancelled)."""
    return QFileDialog.getExistingDirectory(parent, "Export the selected images into")


class ProjectBrowser(QWidget):
    """Lists images (or runs) of the open project; emits the records the user selects."""

    images_selected = Signal(list)  # list[ImageRecord]
    run_selected = Signal(object)  # RunRecord
    refreshed = Signal()  # the grid shows a new reading of the project

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.project: Project | None = None
        self._images: dict[int, ImageRecord] = {}
        self._runs: dict[str, RunRecord] = {}
        self._rebuilding = False
        self._reporting = False
        self.names: ProjectNames | None = None  # read with the project (naming loads then)
        self._context: ViewContext | None = None
        self._jobs: dict[str, JobOwner] = {}
        self.tag_editor: TagEditor | None = None  # the open tag editor, if any
        self._reading = 0  # the latest reading asked for; older ones arriving are dropped
        self._reader = BackgroundLoader(self)
        self._reader.loaded.connect(self._on_read)
        self._reader.failed.connect(self._on_read_failed)
        self.context_menu: QMenu | None = None  # the menu being shown, if any
        self.filter = QComboBox()
        self.filter.addItems(list(FILTERS))
        self.filter.currentTextChanged.connect(lambda _text: self.refresh())
        self.tag_filter = TagFilter()
        self.tag_filter.changed.connect(lambda _tags: self.refresh())
        self.summary = QLabel()
        self.grid = ThumbnailGrid(_thumbnail, size=100)
        self.grid.selection_changed.connect(self._on_selection)
        self.grid.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.grid.customContextMenuRequested.connect(self._show_context_menu)
        filters = QHBoxLayout()
        filters.addWidget(self.filter, 1)
        filters.addWidget(self.tag_filter, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filters)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.summary)

    def set_context(self, context: ViewContext) -> None:
        """The worker, session and status the browser's own jobs (tags, export) use."""
        if self._context is context:
            return
        self._context = context
        if context.session is not None:
            context.session.changed.connect(self._on_project_changed)

    def context(self) -> ViewContext | None:
        """The context given, else the window's (a MainWindow offers ``context``)."""
        if self._context is None:
            found = getattr(self.window(), "context", None)
            if found is not None and hasattr(found, "worker"):
                self.set_context(found)
        return self._context

    def set_project(self, project: Project | None) -> None:
        self.project = project
        self.context()  # subscribe to the session once the browser sits in its window
        self.refresh()

    def _on_project_changed(self, what: ProjectChange, _source: object) -> None:
        # Images and runs reach the browser through the window; tags alone, here.
        if what & ProjectChange.TAGS and not what & (ProjectChange.IMAGES | ProjectChange.RUNS):
            self.refresh_soon()

    def refresh(self) -> None:
        """Re-read the project now (the user changed a filter, a project opened).

        The selection is kept: a run or an import never silently changes what the
        user selected (images that no longer exist drop out of it).
        """
        self._reading += 1  # a reading still under way in the pool is out of date
        if self.project is None:
            self._show(None)
            return
        self._show(read_listing(self.project, *self._filters()))

    def refresh_soon(self) -> None:
        """Re-read the project in a pool thread and show it when read (after a job).

        A 100-step run adds 100 images; naming and explaining them on the GUI thread
        would stall the window, so only showing the result happens there.
        """
        if self.project is None:
            self.refresh()
            return
        self._reading += 1
        path = str(self.project.path)
        self._reader.request((self._reading, path), read_listing_at, path, *self._filters())

    @property
    def refresh_pending(self) -> bool:
        """A reading asked for by :meth:`refresh_soon` is not shown yet."""
        return self._reader.pending > 0

    def _filters(self) -> tuple[str | None, dict | None]:
        return FILTERS[self.filter.currentText()], (self.tag_filter.current or None)

    def _on_read(self, key: tuple[int, str], listing: Listing) -> None:
        reading, path = key
        if reading == self._reading and self.project is not None and path == str(self.project.path):
            self._show(listing)

    def _on_read_failed(self, key: tuple[int, str], message: str) -> None:
        # The project changed under the reader (closed, replaced): read it here instead.
        if key[0] == self._reading:
            self.refresh()

    def _show(self, listing: Listing | None) -> None:
        selected = self.grid.selected_keys()
        self._rebuilding = True  # rebuilding clears the list: not a user's deselection
        try:
            self._apply(listing)
            self.grid.select_keys(selected)
        finally:
            self._rebuilding = False
        if self.grid.selected_keys() != selected:
            self._on_selection(self.grid.selected_keys())
        self.refreshed.emit()

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

    def _apply(self, listing: Listing | None) -> None:
        if listing is None:
            self.grid.set_items([])
            self.summary.setText("No project open")
            return
        self.names = listing.names
        self.tag_filter.set_tags(listing.tag_pairs)
        self.tag_filter.setEnabled(self.filter.currentText() != "Runs")
        self._images, self._runs = listing.images, listing.runs
        self.grid.set_items(
            [ThumbnailItem(e.key, e.label, e.path, e.tooltip) for e in listing.entries]
        )
        self.summary.setText(listing.summary)

    def select_image(self, image_id: int) -> None:
        self.grid.select_key(image_id)

    def display_name(self, image: ImageRecord) -> str:
        """The image's short, unique name in this project (its stored name if unknown)."""
        return self.names.images.get(image.id, image.name) if self.names else image.name

    # -- acting on the selection -------------------------------------------------------

    def selected_image_ids(self) -> list[int]:
        """The ids of the selected images, in grid order (runs are not images)."""
        return [key for key in self.grid.selected_keys() if key in self._images]

    def _show_context_menu(self, pos: QPoint) -> None:
        ids = self.selected_image_ids()
        if self.project is None or not ids:
            return
        count = len(ids)
        menu = QMenu(self)
        menu.addAction("Edit &Tags...", self.edit_tags).setStatusTip(
            f"Add or remove study tags on the {count} selected image(s)"
        )
        menu.addAction("&Export Images...", self.export_selected).setStatusTip(
            f"Write the {count} selected image(s) and manifest.csv into a folder"
        )
        self.context_menu = menu
        try:
            menu.exec(self.grid.viewport().mapToGlobal(pos))
        finally:
            self.context_menu = None
            menu.deleteLater()

    def _owner(self, key: str) -> JobOwner | None:
        context = self.context()
        if context is None:
            return None
        if key not in self._jobs:
            from app.job_owner import JobOwner

            self._jobs[key] = JobOwner(context.worker, context.session, self)
        return self._jobs[key]

    def _status(self, text: str) -> None:
        context = self.context()
        if context is not None:
            context.show_status(text)

    def edit_tags(self) -> TagEditor | None:
        """Open the tag editor on the selected images (OK applies it on the worker)."""
        ids = self.selected_image_ids()
        if self.project is None or not ids:
            return None
        from app.tag_editor import TagEditor

        editor = TagEditor(ids, self.project.tags_for(ids), self.project.own_tags_of(ids), self)
        editor.accepted.connect(lambda: self._apply_tags(editor))
        editor.finished.connect(lambda _result: editor.deleteLater())
        self.tag_editor = editor
        editor.open()
        return editor

    def _apply_tags(self, editor: TagEditor) -> None:
        tags, removed = editor.changes()
        owner = self._owner("tags")
        if self.project is None or owner is None or not (tags or removed):
            return
        from app.tag_editor import edit_tags_job

        count = len(editor.image_ids)
        owner.start(
            edit_tags_job,
            str(self.project.path),
            editor.image_ids,
            tags,
            removed,
            name="Edit tags",
            on_done=lambda _rows: self._status(f"Tags changed on {count} image(s)"),
            changes=ProjectChange.TAGS,
        )

    def export_selected(self) -> None:
        """Export the selected images into a folder the user picks, on the worker."""
        ids = self.selected_image_ids()
        owner = self._owner("export")
        if self.project is None or owner is None or not ids:
            return
        folder = choose_export_folder(self)
        if not folder:
            return
        from core.studies.export import export_images

        owner.start(
            export_images,
            str(self.project.path),
            ids,
            folder,
            name="Export images",
            on_done=self._on_exported,
        )

    def _on_exported(self, report) -> None:
        text = f"Exported {len(report.rows)} image(s) to {report.out_dir}"
        if report.errors:
            text += f"; {len(report.errors)} not exported ({report.errors[0][1]})"
        self._status(text)

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
