"""What the Tables view's modes share: references, export formats, the save dialog, a job bar.

Every mode (pivot, Friedman stability, correlation) exports CSV, Markdown and
LaTeX through :func:`export_text`, and the modes that compute on the worker show
their progress and a Cancel button in a :class:`JobBar`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

REFERENCES = ("(none)", "clean", "input", "previous", "step0", "step1")
EXPORTS = {
    "csv": ("CSV", ".csv", "CSV (*.csv)"),
    "md": ("Markdown", ".md", "Markdown (*.md)"),
    "latex": ("LaTeX", ".tex", "LaTeX (*.tex)"),
}
CONTROLS_WIDTH = 280


def reference_value(text: str) -> str | None:
    """The reference a combo names (``(none)``: no reference)."""
    return None if text in ("", "(none)") else text


def split_list(text: str) -> list[str]:
    """Comma-separated names, stripped, empty parts and repeats dropped."""
    return list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def export_buttons(on_export: Callable[[str], None]) -> tuple[QHBoxLayout, dict[str, QPushButton]]:
    """A row of CSV / Markdown / LaTeX buttons, disabled until there is something to export."""
    row = QHBoxLayout()
    buttons = {}
    for fmt, (label, _suffix, _filter) in EXPORTS.items():
        button = QPushButton(f"{label}...")
        button.setToolTip(f"Export the table as {label}")
        button.clicked.connect(lambda _=False, f=fmt: on_export(f))
        button.setEnabled(False)
        buttons[fmt] = button
        row.addWidget(button)
    return row, buttons


def export_text(parent: QWidget, fmt: str, name: str, text: Callable[[], str]) -> str:
    """Ask where to save, write ``text()`` there; the status line to show (saved or why not)."""
    label, suffix, filters = EXPORTS[fmt]
    suggested = str(Path.home() / name)
    path, _ = QFileDialog.getSaveFileName(parent, f"Export {label}", suggested, filters)
    if not path:
        return ""
    if not Path(path).suffix:
        path += suffix
    try:
        Path(path).write_text(text(), encoding="utf-8")
    except OSError as error:
        return f"Export failed: {error}"
    return f"Exported {path}"


class JobBar(QWidget):
    """A progress bar and a Cancel button, shown while a mode's job runs."""

    def __init__(self, on_cancel: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop the computation (scores already made stay stored)")
        self.cancel_button.clicked.connect(on_cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.progress, 1)
        layout.addWidget(self.cancel_button)
        self.setVisible(False)

    def started(self) -> None:
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.setVisible(True)

    def report(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, max(total, 1)))

    def ended(self, _state: str = "") -> None:
        self.setVisible(False)


def message_label(text: str) -> QLabel:
    """A centred, wrapped empty-state message."""
    from PySide6.QtCore import Qt

    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


def lay_out_mode(
    mode: QWidget,
    form: QFormLayout,
    run_button: QPushButton,
    bar: JobBar,
    exports: QHBoxLayout,
    status: QLabel,
    result: QWidget,
    empty_text: str,
) -> tuple[QStackedWidget, QLabel, QLabel]:
    """A statistics mode's layout: its controls in a fixed column (form, Run, progress,
    export, status) beside the result, which a message stands in for until there is one.

    Returns (stack, message, notes): the stack shows ``message`` or ``result``; ``notes``
    sits under it for what a reader of the table must know.
    """
    controls = QWidget()
    controls.setFixedWidth(CONTROLS_WIDTH)
    side = QVBoxLayout(controls)
    side.setContentsMargins(0, 0, 0, 0)
    side.addLayout(form)
    side.addWidget(run_button)
    side.addWidget(bar)
    side.addWidget(QLabel("Export"))
    side.addLayout(exports)
    side.addWidget(status)
    side.addStretch(1)
    message = message_label(empty_text)
    stack = QStackedWidget()
    stack.addWidget(message)
    stack.addWidget(result)
    notes = QLabel("")
    notes.setWordWrap(True)
    notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    right = QVBoxLayout()
    right.addWidget(stack, 1)
    right.addWidget(notes)
    layout = QHBoxLayout(mode)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(controls)
    layout.addLayout(right, 1)
    return stack, message, notes


class ModeJobMixin:
    """Cancel and progress of a statistics mode's one job: the mode has ``owner`` (its
    JobOwner), ``bar`` (a :class:`JobBar`) and ``status`` (a QLabel)."""

    def cancel(self) -> None:
        was_busy = self.owner.busy
        self.owner.cancel()
        self.bar.ended()
        if was_busy:
            self.status.setText("Cancelled.")

    def _progress(self, done: int, total: int) -> None:
        self.bar.report(done, total)
        self.status.setText(f"Scoring {done}/{total}")

    def _finished(self, state: str) -> None:
        self.bar.ended()
        if state == "cancelled":
            self.status.setText("Cancelled.")
