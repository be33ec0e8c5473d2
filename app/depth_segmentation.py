"""The Depth view's segmentation panel: the class colours, the threshold, and the legend.

Classes are JSON or the prompt's own text (``core.depth.seg_classes.parse_classes``
reads every form Vision Banana's prompts use); a map whose metadata names a
classes file (the sample's) starts with it. The legend lists each class with its
colour swatch and share of pixels, and the unassigned pixels.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.depth_settings_panel import spin
from core.depth.seg_defaults import DEFAULT_SEMANTIC_THRESHOLD
from core.errors import IrisError

CLASS_FILES = "Classes (*.json *.txt);;All files (*)"
MAX_LEGEND = 40  # classes listed; the rest are summed in one line


def classes_of(project, map_image) -> str | None:
    """The text of the classes file a map's metadata names (inside the project), or None."""
    named = (map_image.meta or {}).get("classes") if map_image is not None else None
    if project is None or not isinstance(named, str):
        return None
    from core.depth.seg_classes import MAX_CLASS_TEXT
    from core.files import decode_text, read_bounded

    path = (project.path / named).resolve()
    if not path.is_file() or project.path.resolve() not in path.parents:
        return None
    try:
        return decode_text(read_bounded(path, MAX_CLASS_TEXT * 4, str(path)), str(path))
    except IrisError:
        return None


class SegmentationPanel(QGroupBox):
    """Classes text, threshold, Load classes...; the legend of the last decoding."""

    changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__("Segmentation", parent)
        self.classes_text = QPlainTextEdit()
        self.classes_text.setPlaceholderText(
            '{"cat": <255, 0, 0>, "background": "black"}\nor the prompt text'
        )
        self.classes_text.setMaximumHeight(90)
        self.apply = QPushButton("Apply classes")
        self.apply.clicked.connect(self.changed.emit)
        self.load = QPushButton("Load classes...")
        self.load.clicked.connect(self._load)
        self.threshold = spin(0.0, 450.0, DEFAULT_SEMANTIC_THRESHOLD, 5.0, 1)
        self.threshold.setToolTip("Largest RGB distance from a class colour (8-bit units)")
        self.threshold.valueChanged.connect(lambda _v: self.changed.emit())
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a04000;")
        self.legend = QWidget()
        self.legend_layout = QGridLayout(self.legend)
        self.legend_layout.setContentsMargins(0, 0, 0, 0)
        self.legend_layout.setVerticalSpacing(1)
        self.legend_rows: dict[str, QLabel] = {}
        form = QFormLayout()
        form.addRow("Max distance", self.threshold)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Classes (JSON or prompt text)"))
        layout.addWidget(self.classes_text)
        buttons = QWidget()
        row = QGridLayout(buttons)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.apply, 0, 0)
        row.addWidget(self.load, 0, 1)
        layout.addWidget(buttons)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.legend)

    def set_text(self, text: str | None) -> None:
        """Start from ``text`` (a map's classes file) unless the user typed classes already."""
        if text and not self.classes_text.toPlainText().strip():
            self.classes_text.setPlainText(text)

    def classes(self) -> dict[str, tuple[int, int, int]]:
        """The parsed classes; IrisError (shown under the box) when the text names none."""
        from core.depth.seg_classes import parse_classes

        try:
            classes = parse_classes(self.classes_text.toPlainText(), label="classes")
        except IrisError as exc:
            self.error.setText(str(exc))
            raise
        self.error.setText("")
        return classes

    def _load(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, "Load classes", "", CLASS_FILES)
        if path:
            self.load_file(path)

    def load_file(self, path: str) -> None:
        """Put the classes file ``path`` (bounded, UTF-8) in the box and decode with it."""
        from core.depth.seg_classes import MAX_CLASS_TEXT
        from core.files import decode_text, read_bounded

        try:
            text = decode_text(read_bounded(path, MAX_CLASS_TEXT * 4, path), path)
        except IrisError as exc:
            self.error.setText(str(exc))
            return
        self.classes_text.setPlainText(text)
        self.changed.emit()

    def show_legend(self, result) -> None:
        """One row per class: a colour swatch, the name, the share of pixels."""
        while self.legend_layout.count():
            item = self.legend_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.legend_rows = {}
        total = max(int(result.labels.size), 1)
        rows = list(zip(result.names, result.colours, result.counts, strict=True))
        shown = rows[:MAX_LEGEND]
        for index, (name, colour, count) in enumerate(shown):
            swatch = QLabel()
            swatch.setFixedSize(14, 14)
            swatch.setStyleSheet(f"background: rgb{tuple(colour)}; border: 1px solid #333;")
            label = QLabel(f"{name}  {count / total:.1%}")
            label.setToolTip(f"{name}: RGB{tuple(colour)}, {count:,} pixels")
            self.legend_layout.addWidget(swatch, index, 0)
            self.legend_layout.addWidget(label, index, 1)
            self.legend_rows[name] = label
        extra = len(shown)
        if len(rows) > MAX_LEGEND:
            rest = sum(count for _n, _c, count in rows[MAX_LEGEND:])
            self.legend_layout.addWidget(
                QLabel(f"{len(rows) - MAX_LEGEND} more: {rest / total:.1%}"), extra, 1
            )
            extra += 1
        self.legend_layout.addWidget(
            QLabel(f"unassigned  {result.unassigned / total:.1%}"), extra, 1
        )
