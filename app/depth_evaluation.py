"""The Depth view's evaluation panel: ground truth, alignment, metrics, and the error map.

Ground truth is found by itself where it can be (the truth file a project image's
metadata names, as the sample's depth map does, or a project image whose name is
the map's with ``_gt`` / ``_truth``), or chosen with **Choose truth file...**.
**Evaluate** scores the decoded map on the compute worker with
:mod:`core.depth.map_evaluation` (the numbers ``iris evaluate`` gives) and hands
the per-pixel error to the view, which shows it and colours the cloud with it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.depth_readouts import metric_rows
from app.job_owner import JobOwner
from core.depth import defaults

if TYPE_CHECKING:
    from core.project import ImageRecord, Project

TRUTH_FILES = {
    "depth": "Depth truth (*.npy *.png *.tif *.tiff);;All files (*)",
    "normals": "Normal truth (*.npy *.png *.jpg *.tif *.tiff);;All files (*)",
}
META_KEYS = {"depth": "true_depth", "normals": "true_normals"}  # what a map's metadata names
_TRUTH_SUFFIX = re.compile(r"[_\-. ](gt|truth|ground[_\- ]?truth)$", re.I)
NO_TRUTH = "(no ground truth)"


def truth_key(name: str) -> str | None:
    """``room_gt.png`` -> ``room``; None for a name that does not say it is ground truth."""
    stem = name.rsplit(".", 1)[0]
    match = _TRUTH_SUFFIX.search(stem)
    return stem[: match.start()].lower() if match else None


def find_truths(
    kind: str, project: Project | None, map_image: ImageRecord | None
) -> list[tuple[str, str]]:
    """(label, path) of the ground truths of ``map_image``: the file its metadata names first."""
    if project is None or map_image is None:
        return []
    from app.depth_pairing import pair_key

    found = []
    named = (map_image.meta or {}).get(META_KEYS[kind])
    if isinstance(named, str):
        path = (project.path / named).resolve()
        if path.is_file() and project.path.resolve() in path.parents:
            found.append((f"project truth: {named}", str(path)))
    key = pair_key(map_image.name)
    for image in project.images():
        if image.id != map_image.id and truth_key(image.name) in (key, map_image.name.lower()):
            found.append((f"image: {image.name}", str(project.image_path(image))))
    return found


class EvaluationPanel(QGroupBox):
    """Truth, alignment, Evaluate; the metrics table and the error map's range."""

    evaluated = Signal(object)  # a core.depth.map_evaluation.MapEvaluation
    cleared = Signal()

    def __init__(self, context, parent=None) -> None:
        super().__init__("Evaluation", parent)
        self.context = context
        self.jobs = JobOwner(context.worker, context.session, self)
        self.kind = "depth"
        self.prediction = None  # the decoded array the map's scene holds
        self.result = None
        self.files: list[str] = []  # truth files chosen in the dialog, offered for every map
        self.truth = QComboBox()
        self.truth.setMinimumContentsLength(12)
        self.truth.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.truth.currentIndexChanged.connect(self._clear)
        self.choose = QPushButton("Choose truth file...")
        self.choose.clicked.connect(self._choose_file)
        self.align = QComboBox()
        from core.depth.evaluate import ALIGNMENTS

        self.align.addItems(list(ALIGNMENTS))
        self.align.setCurrentText(defaults.DEFAULT_ALIGN)
        self.align.setToolTip("none: metric depth (the paper's Table 3); the others fit a scale")
        self.space = QComboBox()
        self.space.addItems(list(defaults.ALIGN_SPACES))
        self.resize_filter = QComboBox()
        self.resize_filter.addItems(list(defaults.RESIZE_FILTERS))
        self.resize_filter.setCurrentText(defaults.DEFAULT_RESIZE_FILTER)
        self.resize_filter.setToolTip("How the decoded map is brought to the truth's size")
        for combo in (self.align, self.space, self.resize_filter):
            combo.currentTextChanged.connect(self._clear)
        self.evaluate = QPushButton("Evaluate")
        self.evaluate.clicked.connect(self.start)
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.table = QWidget()
        self.table_layout = QGridLayout(self.table)
        self.table_layout.setContentsMargins(0, 0, 0, 0)
        self.table_layout.setVerticalSpacing(1)
        self.values: dict[str, QLabel] = {}

        form = QFormLayout()
        form.addRow("Truth", self.truth)
        form.addRow("", self.choose)
        form.addRow("Align", self.align)
        form.addRow("in", self.space)
        form.addRow("Resize", self.resize_filter)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.evaluate)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        self._refresh_enabled()

    # -- inputs --------------------------------------------------------------------------

    def set_map(self, kind: str, project, map_image, prediction) -> None:
        """The map now shown (its kind and decoded array): refills the truths, clears results."""
        self.kind, self.prediction = kind, prediction
        self.truth.blockSignals(True)
        self.truth.clear()
        self.truth.addItem(NO_TRUTH, None)
        for label, path in find_truths(kind, project, map_image) if kind in META_KEYS else []:
            self.truth.addItem(label, path)
        for path in self.files:
            self.truth.addItem(f"file: {Path(path).name}", path)
        self.truth.setCurrentIndex(1 if self.truth.count() > 1 else 0)
        self.truth.blockSignals(False)
        depth = kind == "depth"
        self.align.setEnabled(depth)
        self.space.setEnabled(depth)
        self._clear()

    def truth_path(self) -> str | None:
        return self.truth.currentData()

    def choose_file(self, path: str) -> None:
        """Use the ground-truth file ``path`` (what the file dialog hands over)."""
        index = self.truth.findData(path)
        if index < 0:
            self.files.append(path)
            self.truth.addItem(f"file: {Path(path).name}", path)
            index = self.truth.count() - 1
        self.truth.setCurrentIndex(index)

    def _choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Choose ground truth", "", TRUTH_FILES.get(self.kind, "All files (*)")
        )
        if path:
            self.choose_file(path)

    # -- running -------------------------------------------------------------------------

    def start(self):
        """Score the map against the chosen truth on the worker; returns the job handle."""
        from core.depth.map_evaluation import evaluate_depth_map, evaluate_normal_map

        path = self.truth_path()
        if path is None or self.prediction is None or self.kind not in META_KEYS:
            return None
        self.status.setText(f"Evaluating against {Path(path).name}...")
        if self.kind == "depth":
            fn, options = (
                evaluate_depth_map,
                {
                    "align": self.align.currentText(),
                    "space": self.space.currentText(),
                },
            )
        else:
            fn, options = evaluate_normal_map, {}
        handle = self.jobs.start(
            fn,
            self.prediction,
            path,
            resize=self.resize_filter.currentText(),
            name=f"Evaluate {self.kind}",
            on_done=self._on_done,
            on_failed=self._on_failed,
            **options,
        )
        self._refresh_enabled()
        return handle

    @property
    def busy(self) -> bool:
        return self.jobs.busy

    def _on_done(self, result) -> None:
        self.result = result
        lo, hi = result.error_range
        self.status.setText(
            f"Error map: {lo:g} (dark) to {hi:.3g} (bright) {result.units}; grey: not scored"
        )
        self._show_rows(metric_rows(result))
        self._refresh_enabled()
        self.evaluated.emit(result)

    def _on_failed(self, message: str) -> None:
        first = message.splitlines()[0] if message else "failed"
        self.status.setText(f"Cannot evaluate: {first}")
        self.context.show_status(f"Evaluate: {first}")
        self._refresh_enabled()

    def _show_rows(self, rows: list[tuple[str, str]]) -> None:
        while self.table_layout.count():
            item = self.table_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.values = {}
        for row, (label, value) in enumerate(rows):
            value_label = QLabel(value)
            value_label.setAlignment(Qt.AlignmentFlag.AlignRight)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.table_layout.addWidget(QLabel(label), row, 0)
            self.table_layout.addWidget(value_label, row, 1)
            self.values[label] = value_label

    def _clear(self, *_args) -> None:
        self.jobs.cancel()
        had = self.result is not None
        self.result = None
        self._show_rows([])
        self.status.setText(" " if self.truth_path() else "Choose a ground truth to evaluate")
        self._refresh_enabled()
        if had:
            self.cleared.emit()

    def _refresh_enabled(self) -> None:
        ready = self.prediction is not None and self.kind in META_KEYS
        self.choose.setEnabled(ready)
        self.evaluate.setEnabled(ready and self.truth_path() is not None)
