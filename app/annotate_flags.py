"""The Annotate view's flag editing: region tools, label groups, and the shown image's flags.

Split out of ``app/annotate_view.py`` so that the view keeps one concept, the
review queue (sets, navigation, the shown image, review marks, the keys). A
``FlagEditor`` makes the flagging inputs (compared with, severity, note, the
label palette, the image's flag list; ``app/annotate_layout.py`` lays them out
through the view), picks the region tool, walks the label groups, commits the
drawn shape (or the whole image) with a label, deletes and undoes / redoes
flags, and lists and draws the shown image's flags. Like ``app/rating_mode.py``
it reads the project, the shown image and the annotator from its view, which
delegates its public flag methods here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget

from widgets.annotation_canvas import Overlay
from widgets.label_palette import LabelPalette

if TYPE_CHECKING:
    from app.annotate_view import AnnotateView
    from core.annotations.model import Annotation
    from core.project import Project

# What a flag is judged against: (key, title, compared_with stored with the flag).
COMPARED = [
    ("input", "the input", {"kind": "input"}),
    ("step1", "step 1", {"kind": "step", "step": 1}),
    ("none", "nothing", {}),
]

TOOL_NAMES = {"rect": "Rectangle (R)", "polygon": "Polygon (G)", "brush": "Brush (B)"}


class FlagEditor:
    """Making, deleting, undoing and showing the flags of one Annotate view's shown image."""

    def __init__(self, view: AnnotateView) -> None:
        self.view = view
        self.group_index = 0
        self.last_label: str | None = None
        self.severity = 1
        self.annotations: list[Annotation] = []  # the shown image's, in the list's order
        self.tool_label = QLabel("")
        self.compared_combo = QComboBox()
        self.severity_combo = QComboBox()
        self.severity_combo.addItems(["1 (minor)", "2 (clear)", "3 (severe)"])
        self.severity_combo.currentIndexChanged.connect(self._on_severity)
        self.note_edit = QLineEdit()
        self.note_edit.setPlaceholderText("note for the next annotation")
        self.labels_list = LabelPalette()
        self.annotations_list = QListWidget()
        self.annotations_list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.annotations_list.currentRowChanged.connect(lambda _r: self.paint_overlays())
        view.canvas.shape_drawn.connect(self._on_shape_drawn)

    def set_project(self, project: Project | None) -> None:
        """Start at the first label group; offer ``project``'s methods to compare with."""
        self.group_index = 0
        self.compared_combo.clear()
        for _key, title, value in COMPARED:
            if value.get("kind") != "method":
                self.compared_combo.addItem(title, value)
        for method in project.methods() if project is not None else []:
            name = method["name"]
            self.compared_combo.addItem(f"method {name}", {"kind": "method", "method": name})
        self.show_labels()

    def _on_severity(self, index: int) -> None:
        self.severity = index + 1

    # -- labels and tools ----------------------------------------------------------------

    def show_labels(self) -> None:
        self.labels_list.show_taxonomy(self.view.taxonomy, self.group_index, self.last_label)

    def cycle_group(self, step: int = 1) -> None:
        taxonomy = self.view.taxonomy
        if taxonomy:
            self.group_index = (self.group_index + step) % len(taxonomy.groups)
            self.show_labels()

    def set_tool(self, tool: str) -> None:
        self.view.canvas.set_tool(tool)
        self.tool_label.setText(f"Tool: {TOOL_NAMES[tool]}")

    def _on_shape_drawn(self, kind: str, _region: dict) -> None:
        self.view.status_label.setText(
            f"{kind} drawn: press 1-9 to label it, Enter for the last label"
        )

    # -- editing -------------------------------------------------------------------------

    def label_number(self, number: int) -> None:
        """Number key: the active group's ``number``-th label for the pending shape or image."""
        if self.view.taxonomy is None:
            return
        labels = self.view.taxonomy.groups[self.group_index].labels
        if 1 <= number <= len(labels):
            self.annotate(labels[number - 1].id)

    def annotate(self, label: str) -> Annotation | None:
        """Commit the pending shape (or the whole image) with ``label``."""
        from core.annotations import add
        from core.errors import IrisError

        view = self.view
        image = view.current
        if image is None or view.project is None:
            return None
        kind, region = view.canvas.take_pending() or ("image", {})
        compared = dict(self.compared_combo.currentData() or {})
        try:
            made = add(
                view.project,
                image,
                label=label,
                annotator=view.annotator,
                region_kind=kind,
                region=region,
                severity=self.severity,
                note=self.note_edit.text().strip(),
                compared_with=compared,
            )
        except IrisError as exc:
            view.status_label.setText(f"Not saved: {exc}")
            return None
        self.note_edit.clear()
        self.last_label = label
        self.show_labels()
        view.status_label.setText(f"Saved {view.taxonomy.title(label)} ({kind})")
        self._changed()
        return made

    def delete_selected(self) -> None:
        """Delete the flag selected in the list (the last one when none is)."""
        from core.annotations import delete

        view = self.view
        if not self.annotations or view.project is None:
            return
        row = self.annotations_list.currentRow()
        target = self.annotations[row if row >= 0 else -1]
        delete(view.project, target.uuid, annotator=view.annotator)
        view.status_label.setText(f"Deleted {view.taxonomy.title(target.label)}")
        self._changed()

    def undo(self, redo: bool = False) -> None:
        """Undo (or redo) the annotator's last change, showing the image it was on."""
        from core.annotations import redo as redo_fn
        from core.annotations import undo as undo_fn

        view = self.view
        if view.project is None:
            return
        changed = (redo_fn if redo else undo_fn)(view.project, view.annotator)
        if changed is None:
            view.status_label.setText("Nothing to redo" if redo else "Nothing to undo")
            return
        ids = [image.id for image in view.queue]
        if changed.image_id in ids and changed.image_id != getattr(view.current, "id", None):
            view.go_to(ids.index(changed.image_id))
        verb = "Redid" if redo else "Undid"
        view.status_label.setText(f"{verb} {view.taxonomy.title(changed.label)}")
        self._changed()

    def _changed(self) -> None:
        from core.annotations.store import annotators

        self.refresh()
        self.view.filters.set_annotators(annotators(self.view.project))
        self.view._update_progress()

    # -- showing ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the shown image's flags into the list and onto the canvas."""
        from core.annotations.store import annotations

        view = self.view
        self.annotations = []
        self.annotations_list.clear()
        if view.project is not None and view.current is not None:
            self.annotations = annotations(view.project, image_id=view.current.id)
        for a in self.annotations:
            text = f"{view.taxonomy.title(a.label)}  [{a.region_kind}, sev {a.severity}]  {a.annotator}"
            self.annotations_list.addItem(text + (f"  - {a.note}" if a.note else ""))
        self.paint_overlays()
        view._refresh_counts()

    def paint_overlays(self) -> None:
        """Draw the flags over the image, the one selected in the list highlighted."""
        view = self.view
        selected = self.annotations_list.currentRow()
        overlays = []
        if view.rating.active:  # flags could tell which method made the image
            view.canvas.set_overlays(overlays)
            return
        for row, a in enumerate(self.annotations):
            label = view.taxonomy.label(a.label) if view.taxonomy else None
            colour = self.labels_list.group_colour(label.group if label else "")
            caption = f"{label.title if label else a.label} {a.severity}"
            overlays.append(
                Overlay(a.region_kind, a.region, colour, caption, row == selected, a.uuid)
            )
        view.canvas.set_overlays(overlays)
