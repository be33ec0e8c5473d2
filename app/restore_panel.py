"""Tools > Restore: pick images, a method and its parameters (or a library prompt), run, compare.

The panel is a dock beside the views. It runs :func:`core.methods.runner.restore_images`
on exactly the images selected in the project browser (shown in the panel; Run is
disabled without a selection), on the compute worker with progress and Cancel;
the project session announces the new results, and the first result opens
against its input in the ``compare`` view (or the ``images`` view).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.session import ProjectChange
from app.views import VIEWS
from core.methods.registry import METHODS
from core.methods.runner import MAX_REPEAT, MAX_RUN_NAME, check_run_name, restore_images
from widgets.param_form import ParamForm


class RestorePanel(QWidget):
    """The Restore dock's contents; ``window`` is the MainWindow."""

    def __init__(self, window) -> None:
        super().__init__()
        self.window = window
        self.selected: list = []
        self.jobs = window.job_owner("restore")
        self.handle = None
        self.runs_total = 0
        self.last_results: list = []

        self.images_label = QLabel()
        self.images_label.setWordWrap(True)
        self.method = QComboBox()
        for name in METHODS.names():
            method = METHODS.get(name)
            self.method.addItem(f"{method.title}  [{name}]", name)
        self.method.currentIndexChanged.connect(self._on_method)
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setStyleSheet("color: palette(mid);")

        self.prompt_library = QComboBox()
        self.prompt_library.activated.connect(self._on_prompt_chosen)
        self.save_prompt = QPushButton("Save prompt")
        self.save_prompt.setToolTip("keep the prompt text in this project's library")
        self.save_prompt.clicked.connect(self.save_current_prompt)
        self.model_files = QComboBox()
        self.model_files.activated.connect(self._on_model_chosen)
        self.form = ParamForm()
        self.repeat = QSpinBox()
        self.repeat.setRange(1, MAX_REPEAT)
        self.repeat.setToolTip(
            "outputs per image in this run; the stability test (iris stats friedman) needs 3"
        )
        self.run_name = QLineEdit()
        self.run_name.setMaxLength(MAX_RUN_NAME)
        self.run_name.setPlaceholderText("run name (optional, e.g. S1 x3)")
        self.run_name.setToolTip("a name to find this run by later; empty makes one up")

        self.run_button = QPushButton("Run")
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)

        top = QFormLayout()
        top.addRow("Images", self.images_label)
        top.addRow("Method", self.method)
        top.addRow("", self.description)
        self.prompt_row = QWidget()
        prompt_layout = QHBoxLayout(self.prompt_row)
        prompt_layout.setContentsMargins(0, 0, 0, 0)
        prompt_layout.addWidget(self.prompt_library, 1)
        prompt_layout.addWidget(self.save_prompt)
        top.addRow("Prompt library", self.prompt_row)
        top.addRow("Models folder", self.model_files)
        top.addRow("Run name", self.run_name)
        self._top = top
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Repeat"))
        buttons.addWidget(self.repeat)
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)

        inner = QWidget()
        column = QVBoxLayout(inner)
        column.addLayout(top)
        column.addWidget(self.form)
        column.addLayout(buttons)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        column.addStretch(1)
        for combo in (self.method, self.prompt_library, self.model_files):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        window.browser.images_selected.connect(self.set_images)
        self._on_method()
        self.set_images(window.context.selection())  # what is selected when the panel opens

    # -- inputs ------------------------------------------------------------------------

    def set_images(self, images: list) -> None:
        """The images the next run uses (the browser's selection)."""
        self.selected = list(images)
        if self.selected:
            names = ", ".join(image.name for image in self.selected[:4])
            more = f" and {len(self.selected) - 4} more" if len(self.selected) > 4 else ""
            self.images_label.setText(f"Runs on {len(self.selected)} selected: {names}{more}")
        else:
            self.images_label.setText(
                "No image selected: pick the images to restore in the project browser "
                "(Ctrl+click for several, Ctrl+A for all)"
            )
        self._update_buttons()

    def target_ids(self) -> list[int]:
        """Exactly the selected images: a run never widens to images the user did not pick."""
        return [image.id for image in self.selected]

    # -- method and parameters ------------------------------------------------------------

    def method_name(self) -> str:
        return self.method.currentData()

    def select_method(self, name: str) -> None:
        self.method.setCurrentIndex(self.method.findData(name))

    def _on_method(self) -> None:
        method = METHODS.get(self.method_name())
        self.description.setText(f"{method.description} Targets: {method.targets}.")
        self.form.set_params(method.params)
        names = {spec.name for spec in method.params}
        model_file = any(s.name == "model" and s.type == "path" for s in method.params)
        self._set_row_visible(self.prompt_row, "prompt" in names)
        self._set_row_visible(self.model_files, model_file)
        if "prompt" in names:
            self._fill_prompts()
        if model_file:
            self._fill_models()

    def _set_row_visible(self, widget: QWidget, visible: bool) -> None:
        widget.setVisible(visible)
        label = self._top.labelForField(widget)
        if label is not None:
            label.setVisible(visible)

    def _fill_prompts(self) -> None:
        from core.prompts import all_prompts

        self.prompt_library.clear()
        for prompt in all_prompts(self.window.project):
            short = prompt.text if len(prompt.text) < 60 else prompt.text[:57] + "..."
            self.prompt_library.addItem(f"{prompt.id}: {short}", prompt.id)
            self.prompt_library.setItemData(
                self.prompt_library.count() - 1,
                f"{prompt.text}\n\n{prompt.citation}".strip(),
                Qt.ItemDataRole.ToolTipRole,
            )
        current = self.form.values().get("prompt", "")
        index = self.prompt_library.findData(current)
        self.prompt_library.setCurrentIndex(max(index, 0))

    def _on_prompt_chosen(self, index: int) -> None:
        self.form.set_value("prompt", self.prompt_library.itemData(index))

    def save_current_prompt(self):
        """Store the prompt text in the project (id ``U<n>``) and choose it."""
        from core.errors import IrisError
        from core.prompts import resolve_prompt, save_user_prompt

        project = self.window.project
        if project is None:
            self.status.setText("Open a project first.")
            return None
        text = resolve_prompt(self.form.values().get("prompt", "") or " ", project).text
        try:
            prompt = save_user_prompt(project, text)
        except IrisError as exc:
            self.status.setText(str(exc))
            return None
        self.form.set_value("prompt", prompt.id)
        self._fill_prompts()
        self.status.setText(f"Saved as {prompt.id} in this project.")
        return prompt

    def _fill_models(self) -> None:
        from core.methods.model_files import list_model_files

        self.model_files.clear()
        folder = self.window.settings.weights_dir
        files = [f for f in list_model_files(folder) if not f["refused"]]
        if not files:
            self.model_files.addItem(f"(no model files in {folder})", "")
        for entry in files:
            self.model_files.addItem(entry["name"], entry["path"])
        if files and not self.form.values().get("model"):
            self.form.set_value("model", files[0]["path"])

    def _on_model_chosen(self, index: int) -> None:
        path = self.model_files.itemData(index)
        if path:
            self.form.set_value("model", path)

    # -- running ---------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        running = self.jobs.busy
        self.run_button.setEnabled(not running and bool(self.selected))
        self.cancel_button.setEnabled(running)

    def run(self):
        """Validate the form and start the run on the compute worker; returns the JobHandle."""
        from core.errors import IrisError

        project = self.window.project
        if project is None:
            self.status.setText("Open a project first.")
            return None
        ids = self.target_ids()
        if not ids:
            self.status.setText("Pick the images to restore in the project browser first.")
            return None
        method = METHODS.get(self.method_name())
        try:
            params = method.prepare(self.form.values())
        except IrisError as exc:
            self.status.setText(str(exc))
            return None
        try:
            run_name = check_run_name(project, self.run_name.text().strip() or None)
        except IrisError as exc:
            self.status.setText(str(exc))
            return None
        self.runs_total = len(ids) * self.repeat.value()
        self.handle = self.jobs.start(
            restore_images,
            project.path,
            ids,
            method.name,
            params,
            repeat=self.repeat.value(),
            run_name=run_name,
            device=self.window.settings.device,
            name=f"Restore ({method.name})",
            on_progress=self._on_progress,
            on_done=self._on_done,
            on_failed=self.status.setText,
            on_finished=self._on_finished,
            changes=ProjectChange.IMAGES | ProjectChange.RUNS,
        )
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText(f"Running {method.title} on {len(ids)} image(s)...")
        self._update_buttons()
        return self.handle

    def cancel(self) -> None:
        if self.jobs.busy and self.handle is not None:
            self.handle.cancel()  # keeps the handle: its end still reaches _on_finished
            self.status.setText("Cancelling...")

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        current = min(self.runs_total, done * self.runs_total // max(total, 1) + 1)
        self.status.setText(f"Restoring image {current} of {self.runs_total}...")

    def _on_finished(self, state: str) -> None:
        self.progress.setVisible(False)
        if state == "cancelled":
            self.status.setText("Cancelled; results finished before the cancel are kept.")
        self._update_buttons()

    def _on_done(self, results: list) -> None:
        self.last_results = results
        self.run_name.clear()  # a name names one run: the next run needs another
        ok = [r for r in results if r.status == "ok"]
        failed = [r for r in results if r.status != "ok"]
        text = f"{len(ok)} result(s) stored"
        if failed:
            text += f"; {len(failed)} failed: {failed[0].error}"
        self.status.setText(text)
        if ok:
            self.show_result(ok[0])

    def show_result(self, result) -> None:
        """The output against its input in the compare view, else the output alone."""
        project = self.window.project
        if project is None or result.output_image_id is None:
            return
        output = project.image(result.output_image_id)
        source = project.image(result.input_image_id)
        if "compare" in VIEWS:
            view = self.window.show_view("compare")
            view.show_images([source, output])
        else:
            view = self.window.show_view("images")
            view.show_images([output])


def open_restore_panel(window) -> QDockWidget:
    """Show the Restore dock (created on first use) on the right of the main window."""
    dock = getattr(window, "restore_dock", None)
    if dock is None:
        dock = QDockWidget("Restore", window)
        dock.setObjectName("restore-dock")
        dock.setWidget(RestorePanel(window))
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        window.resizeDocks([dock], [360], Qt.Orientation.Horizontal)
        window.restore_dock = dock
    dock.show()
    dock.raise_()
    return dock
