"""The Annotate view's layout: the queue filters, the title row, the canvas and the side panel.

Split out of ``app/annotate_view.py`` (which keeps the behaviour): the left
column is the filter row, the shown image's title with the queue counter, the
canvas and the status row; the right column is the rating switch
(``app/rating_mode.py``) above the flagging panel (annotator, compared-with,
severity, note, labels, the image's flags, the case counts), which the rating
mode hides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from app.annotate_view import AnnotateView


def build_layout(view: AnnotateView) -> None:
    """Lay out ``view``'s widgets (made by the view) and make its title and panel widgets."""
    left = QWidget()
    left_layout = QVBoxLayout(left)
    left_layout.setContentsMargins(0, 0, 0, 0)
    left_layout.addWidget(view.filters)
    view.image_title = QLabel("")  # the shown image and its review state, never cut off
    view.image_title.setStyleSheet("font-weight: bold;")
    title_row = QHBoxLayout()
    title_row.addWidget(view.image_title, 1)
    title_row.addWidget(view.filters.progress_label)  # moved off the crowded filter row
    left_layout.addLayout(title_row)
    left_layout.addWidget(view.canvas, 1)
    bottom = QHBoxLayout()
    bottom.addWidget(view.status_label, 1)
    bottom.addWidget(view.tool_label)
    left_layout.addLayout(bottom)

    right = QWidget()
    outer = QVBoxLayout(right)
    who = QFormLayout()
    who.addRow("Annotator", view.annotator_edit)  # also the rater of the rating mode
    outer.addLayout(who)
    outer.addWidget(view.rating)
    view.annotate_panel = QWidget()
    right_layout = QVBoxLayout(view.annotate_panel)
    right_layout.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(view.annotate_panel, 1)
    form = QFormLayout()
    form.addRow("Compared with", view.compared_combo)
    form.addRow("Severity (S)", view.severity_combo)
    form.addRow("Note", view.note_edit)
    right_layout.addLayout(form)
    right_layout.addWidget(QLabel("Labels (1-9, Tab: next group)"))
    right_layout.addWidget(view.labels_list, 3)
    on_image = QLabel("Flags on this image (Del removes the selected one)")
    on_image.setWordWrap(True)
    right_layout.addWidget(on_image)
    right_layout.addWidget(view.annotations_list, 2)
    right_layout.addWidget(view.cases, 3)

    # Small windows squeeze the panels instead of growing the whole main window.
    left.setMinimumSize(160, 120)
    right.setMinimumSize(120, 120)
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(left)
    splitter.addWidget(right)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([900, 360])
    layout = QVBoxLayout(view)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(splitter)
