"""Tools > Import Chains: bring iterative chains made elsewhere (Banana100's) in as run groups.

The same import as ``iris runs import``: a folder under a layout pattern (default
``{image}/{run}/{step}.png``, ``{step}.txt`` beside a step holds its thoughts) or a CSV
manifest. Finding the files and storing the chains run on the compute worker, with
progress and cancel; the Runs view then lists the new groups.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.session import ProjectChange
from core.iterate.chain_import import DEFAULT_LAYOUT, import_chains, plan_folder, plan_manifest
from core.iterate.schedules import SCHEDULES

FOLDER, MANIFEST = "Folder with a layout", "CSV manifest"


def import_job(
    project_dir: str, source: str, layout: str | None, editor: str, schedule: str, *,
    progress, cancel,
) -> list[dict]:  # fmt: skip
    """Runs on the worker: find the chains (``layout`` None: a manifest), then store them."""
    plans = plan_manifest(source) if layout is None else plan_folder(source, layout)
    runs = import_chains(
        project_dir, plans, editor=editor, schedule=schedule, source=source,
        progress=progress, cancel=cancel,
    )  # fmt: skip
    return [run.as_dict() for run in runs]


class ChainImportDialog(QDialog):
    """A non-modal dialog: source, layout, editor label and schedule, then Import."""

    imported = Signal(list)  # the runs stored, as dicts

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Import Chains")
        self.kind = QComboBox()
        self.kind.addItems([FOLDER, MANIFEST])
        self.kind.currentTextChanged.connect(self._kind_changed)
        self.path = QLineEdit()
        self.path.setPlaceholderText("the folder of chains")
        self.browse = QPushButton("Browse...")
        self.browse.clicked.connect(self._browse)
        row = QWidget()
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.path, 1)
        line.addWidget(self.browse)
        self.layout_edit = QLineEdit(DEFAULT_LAYOUT)
        self.layout_edit.setToolTip(
            "Files under the folder: {image} becomes a run group, {run} a run, {step} the "
            "step (0 = the input); {step}.txt beside a step holds its thoughts"
        )
        self.editor = QLineEdit("imported")
        self.schedule = QComboBox()
        self.schedule.addItems(list(SCHEDULES))
        form = QFormLayout()
        form.addRow("Source", self.kind)
        form.addRow("Path", row)
        form.addRow("Layout", self.layout_edit)
        form.addRow("Editor", self.editor)
        form.addRow("Schedule", self.schedule)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.import_button = QPushButton("Import")
        self.import_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.import_button, self.cancel_button, close):
            buttons.addWidget(button)
        outer = QVBoxLayout(self)
        outer.addLayout(form)
        outer.addWidget(self.progress)
        outer.addWidget(self.status)
        outer.addLayout(buttons)
        self.resize(560, self.sizeHint().height())

    def _kind_changed(self, kind: str) -> None:
        self.layout_edit.setEnabled(kind == FOLDER)
        self.path.setPlaceholderText("the folder of chains" if kind == FOLDER else "a .csv file")

    def _browse(self) -> None:
        if self.kind.currentText() == FOLDER:
            path = QFileDialog.getExistingDirectory(self, "Folder of chains")
        else:
            path, _filter = QFileDialog.getOpenFileName(self, "Manifest", "", "CSV (*.csv)")
        if path:
            self.path.setText(path)

    def start(self):
        """Import on the compute worker; returns the job handle (None when nothing to do)."""
        project = self.window_.project
        if project is None:
            self.window_.report_error("No project open", "Open a project before importing.")
            return None
        source = self.path.text().strip()
        if not source:
            self.status.setText("Choose the folder (or manifest) to import first.")
            return None
        layout = self.layout_edit.text().strip() if self.kind.currentText() == FOLDER else None
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.import_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText("Importing...")
        return self.window_.job_owner("import-chains").start(
            import_job,
            str(project.path),
            source,
            layout,
            self.editor.text().strip() or "imported",
            self.schedule.currentText(),
            name="Import chains",
            on_done=self._done,
            on_failed=self._failed,
            on_progress=self._progress,
            on_finished=self._finished,
            changes=ProjectChange.IMAGES | ProjectChange.RUNS,
        )

    def cancel(self) -> None:
        self.window_.job_owner("import-chains").cancel()
        self._finished("cancelled")
        self.status.setText("Cancelled: the chains stored so far are kept, each one whole.")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, runs: list) -> None:
        groups = sorted({run["group"] for run in runs})
        steps = sum(run["steps"] for run in runs)
        self.status.setText(
            f"Imported {len(runs)} runs in {len(groups)} groups ({steps} steps): "
            + ", ".join(groups[:6])
            + ("..." if len(groups) > 6 else "")
        )
        self.window_.show_status(f"Imported {len(runs)} chains")
        self.imported.emit(list(runs))

    def _failed(self, message: str) -> None:
        self.status.setText(f"Not imported: {message}")

    def _finished(self, _state: str) -> None:
        self.progress.setVisible(False)
        self.import_button.setEnabled(True)
        self.cancel_button.setEnabled(False)


def open_chain_import(window) -> ChainImportDialog:
    """Tools > Import Chains: one dialog per window, raised if already open."""
    dialog = getattr(window, "_chain_import_dialog", None)
    if dialog is None:
        dialog = ChainImportDialog(window)
        window._chain_import_dialog = dialog
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
