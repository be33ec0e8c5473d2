"""The Annotate view: a keyboard-driven review queue for flagging infidelity regions.

Walk a set (all images, a run's steps, a method's outputs, a prompt's results,
or the browser selection). Keys: N / P or arrows move; 1-9 give the active
label group's label to the drawn shape (or to the whole image); Tab cycles the
group; R / G / B pick rectangle / polygon / brush; Enter commits the pending
shape with the last label, Esc drops it; S cycles severity; Delete removes the
selected annotation; Ctrl+Z / Ctrl+Shift+Z undo / redo (persistent); Space marks
the image reviewed and moves on, Shift+Space clears the mark; wheel or + / -
zoom, F fits, right or middle drag pans. Every change is
committed to the project as it is made.

This module is the queue and the shown image; making and showing flags is
``app/annotate_flags.py``, the keys ``app/annotate_keys.py``, the layout
``app/annotate_layout.py`` and the blind rating ``app/rating_mode.py``.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from app.annotate_flags import FlagEditor
from app.views import ViewContext
from widgets.annotation_canvas import AnnotationCanvas
from widgets.background import BackgroundLoader
from widgets.case_counts import CaseCounts
from widgets.qimage import rgb_to_qimage
from widgets.queue_filters import QueueFilters

if TYPE_CHECKING:
    from core.annotations.model import Annotation
    from core.annotations.taxonomy import Taxonomy
    from core.project import ImageRecord, Project

ANNOTATOR_KEY = "annotations/annotator"


def _load_for_display(path: str, max_pixels: int):
    from core.imageio import load_image

    return rgb_to_qimage(load_image(path, max_pixels=max_pixels).pixels)


def default_annotator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


class AnnotateView(QWidget):
    """Review queue: one image at a time, its annotations drawn over it, all keyboard-driven."""

    def __init__(self, context: ViewContext, parent=None) -> None:
        super().__init__(parent)
        from app.settings import open_qsettings

        self.context = context
        self.project: Project | None = None
        self.taxonomy: Taxonomy | None = None
        self.queue: list[ImageRecord] = []
        self.index = 0
        self.selection: list[ImageRecord] = []
        self._qsettings = open_qsettings()
        self._loader = BackgroundLoader(self)
        self._loader.loaded.connect(self._on_loaded)
        self._loader.failed.connect(self._on_failed)

        self.canvas = AnnotationCanvas()
        self.canvas.key_handler = self.handle_key
        self.filters = QueueFilters()
        self.filters.changed.connect(self.rebuild_queue)
        self.set_combo, self.label_filter = self.filters.set_combo, self.filters.label_filter
        self.annotator_filter = self.filters.annotator_filter
        self.method_filter = self.filters.method_filter
        self.progress_label = self.filters.progress_label
        self.annotator_edit = QLineEdit(
            str(self._qsettings.value(ANNOTATOR_KEY, default_annotator()))
        )
        self.annotator_edit.editingFinished.connect(self._save_annotator)
        self.status_label = QLabel("")
        self.editor = editor = FlagEditor(self)
        self.tool_label, self.compared_combo = editor.tool_label, editor.compared_combo
        self.severity_combo, self.note_edit = editor.severity_combo, editor.note_edit
        self.labels_list, self.annotations_list = editor.labels_list, editor.annotations_list
        self.cases = CaseCounts()
        self.cases.grouping_changed.connect(lambda _grouping: self._refresh_counts())
        self.count_by, self.counts_table = self.cases.count_by, self.cases.table
        from app.rating_mode import RatingMode

        self.rating = RatingMode(self)
        self._build_layout()
        self.set_tool("rect")

    def _build_layout(self) -> None:
        from app.annotate_layout import build_layout

        build_layout(self)

    # -- settings ------------------------------------------------------------------------

    @property
    def annotator(self) -> str:
        return self.annotator_edit.text().strip() or default_annotator()

    def _save_annotator(self) -> None:
        self._qsettings.setValue(ANNOTATOR_KEY, self.annotator)
        self.canvas.setFocus()

    @property
    def loading(self) -> bool:
        return self._loader.pending > 0

    # -- project and sets ----------------------------------------------------------------

    def set_project(self, project: Project | None) -> None:
        from core.annotations.sets import image_sets
        from core.annotations.taxonomy import default_taxonomy, project_taxonomy
        from core.errors import IrisError

        self.project = project
        self.selection = []
        self.taxonomy = None
        if project is not None:
            try:
                self.taxonomy = project_taxonomy(project)
            except IrisError as exc:  # a broken override must not stop the project opening
                self.taxonomy = default_taxonomy()
                self.status_label.setText(f"Using the default labels: {exc}")
        if project is None:
            self.filters.clear()
        else:
            from core.annotations.store import annotators

            self.filters.fill(
                image_sets(project),
                [(label.id, label.title) for label in self.taxonomy.labels],
                annotators(project),
                [method["name"] for method in project.methods()],
            )
        self.editor.set_project(project)
        self.rebuild_queue()

    def show_images(self, images: list[ImageRecord]) -> None:
        """Browser selection: several images become the queue; one image is jumped to."""
        if self.project is None or not images:
            return
        if len(images) == 1 and self.current is not None and images[0].id == self.current.id:
            return  # the browser following our own navigation
        self.selection = list(images)
        if len(images) > 1:
            self.set_combo.setCurrentIndex(self.set_combo.findData("selection"))
            self.rebuild_queue()
            return
        ids = [image.id for image in self.queue]
        if images[0].id in ids:
            self.go_to(ids.index(images[0].id))
        elif self.set_combo.currentData() == "selection":
            self.rebuild_queue()
        else:
            self.status_label.setText(
                f"{images[0].name} is not in this set or filter; choose Set: Browser selection"
            )

    def set_queue_key(self, key: str) -> None:
        """Walk set ``key`` (``all``, ``run:ID``, ``method:ID``, ``prompt:ID``, ``selection``)."""
        index = self.set_combo.findData(key)
        if index < 0:
            raise ValueError(f"no set {key!r} in this project")
        self.set_combo.setCurrentIndex(index)
        self.rebuild_queue()

    def rebuild_queue(self) -> None:
        """Recompute the queue from the set and the filters, keeping the current image."""
        from core.annotations.sets import review_queue

        current = self.current
        self.queue = []
        if self.project is not None:
            self.queue = review_queue(
                self.project,
                self.set_combo.currentData() or "all",
                selection=self.selection,
                label=self.label_filter.currentData(),
                annotator=self.annotator_filter.currentData(),
                method=self.method_filter.currentData(),
            )
            if self.rating.active:
                self.queue = self.rating.order(self.queue)
        ids = [image.id for image in self.queue]
        self.index = ids.index(current.id) if current is not None and current.id in ids else 0
        self._show_current()

    @property
    def current(self) -> ImageRecord | None:
        return self.queue[self.index] if 0 <= self.index < len(self.queue) else None

    # -- navigation ----------------------------------------------------------------------

    def go_to(self, index: int) -> None:
        if not self.queue:
            return
        self.index = max(0, min(index, len(self.queue) - 1))
        self._show_current()

    def next(self) -> None:
        self.go_to(self.index + 1)
        self._follow_in_browser()

    def previous(self) -> None:
        self.go_to(self.index - 1)
        self._follow_in_browser()

    def _follow_in_browser(self) -> None:
        """The browser highlights the image shown (not when walking the browser's selection,
        which a one-image selection would replace)."""
        if self.rating.active:
            return  # blind: the browser would show the image's name
        if self.current is not None and self.set_combo.currentData() != "selection":
            self.context.select([self.current.id])

    def _show_current(self) -> None:
        self.canvas.discard_pending()
        image = self.current
        if image is None or self.project is None:
            self.canvas.set_image(None)
            self.editor.refresh()
            self._update_progress()
            return
        path = str(self.project.image_path(image))
        self._loader.request(image.id, _load_for_display, path, self.context.settings.max_pixels)
        self.editor.refresh()
        self._update_progress()

    def _on_loaded(self, key: int, image) -> None:
        if self.current is not None and key == self.current.id:
            self.canvas.set_image(image)

    def _on_failed(self, key: int, message: str) -> None:
        if self.current is not None and key == self.current.id:
            self.canvas.set_image(None)
            self.status_label.setText(f"Cannot show this image: {message.splitlines()[0]}")

    def _update_progress(self) -> None:
        from core.annotations.store import reviewed_images

        if self.project is None or not self.queue:
            self.progress_label.setText("0 of 0")
            self.image_title.setText("No image in this set: choose another Set or filter above")
            return
        if self.rating.active:
            title, progress = self.rating.title()
            self.image_title.setText(title)
            self.image_title.setToolTip("")
            self.progress_label.setText(progress)
            self.rating.refresh()
            return
        marks = reviewed_images(self.project, self.annotator)
        done = sum(1 for image in self.queue if image.id in marks)
        here = "reviewed" if self.current.id in marks else "not reviewed"
        self.progress_label.setText(f"{self.index + 1} of {len(self.queue)}  ({done} reviewed)")
        self.image_title.setText(f"{self.current.name}: {here}")
        self.image_title.setToolTip(self.current.name)

    # -- flags (app/annotate_flags.py) ---------------------------------------------------

    @property
    def last_label(self) -> str | None:
        return self.editor.last_label

    @property
    def severity(self) -> int:
        return self.editor.severity

    def cycle_group(self, step: int = 1) -> None:
        self.editor.cycle_group(step)

    def set_tool(self, tool: str) -> None:
        self.editor.set_tool(tool)

    def label_number(self, number: int) -> None:
        self.editor.label_number(number)

    def annotate(self, label: str) -> Annotation | None:
        return self.editor.annotate(label)

    def delete_selected(self) -> None:
        self.editor.delete_selected()

    def undo(self, redo: bool = False) -> None:
        self.editor.undo(redo)

    # -- review marks and case counts ----------------------------------------------------

    def mark_reviewed(self, reviewed: bool = True, advance: bool = True) -> None:
        from core.annotations import mark_reviewed

        if self.current is None or self.project is None:
            return
        mark_reviewed(self.project, self.current.id, self.annotator, reviewed)
        if advance and reviewed and self.index < len(self.queue) - 1:
            self.next()
        else:
            self._update_progress()
        self._refresh_counts()

    def _refresh_counts(self) -> None:
        from core.annotations.summary import case_table, groupings

        if self.project is None:
            self.cases.clear()
            return
        self.cases.set_groupings(groupings(self.project))
        table = case_table(self.project, self.cases.grouping, taxonomy=self.taxonomy)
        self.cases.show_table(table, self._row_title)

    def _row_title(self, row: str) -> str:
        """A case row's title: a label group in capitals, a label indented under it."""
        group = next((g for g in self.taxonomy.groups if g.id == row), None)
        return group.title.upper() if group is not None else "  " + self.taxonomy.title(row)

    # -- rating ----------------------------------------------------------------------

    @property
    def rating_active(self) -> bool:
        return self.rating.active

    def set_rating_mode(self, on: bool) -> None:
        """Rate blind (seeded order, names hidden, keys 0-5) or flag regions again."""
        self.annotate_panel.setVisible(not on)
        self.canvas.discard_pending()
        self.status_label.setText("")
        self.rebuild_queue()
        if on:
            self.go_to(0)  # the blind order starts at its beginning
        self.canvas.setFocus()

    def rate(self, score: int) -> None:
        self.rating.rate(score)

    # -- keyboard ------------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        self.canvas.setFocus()  # keys work at once when the tab is shown

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if not self.handle_key(event):
            super().keyPressEvent(event)

    @staticmethod
    def keymap() -> list[tuple[str, str]]:
        """(keys, what they do) for Help > Keyboard Shortcuts, from the key table itself."""
        from app.annotate_keys import key_help

        return key_help()

    def handle_key(self, event: QKeyEvent) -> bool:
        """Apply the review-queue key map (``app/annotate_keys.py``); whether the key was used."""
        from app.annotate_keys import handle_key

        return handle_key(self, event)

    def event(self, event) -> bool:
        # Window-wide shortcuts (another view's "1", "F") must not steal the queue's keys.
        if (
            event.type() == event.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and self.canvas.hasFocus()
            and event.text()
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            event.accept()
            return True
        return super().event(event)
