"""The Runs view's setting form: input image, editor and its parameters, schedule, seeds, sizes.

It knows nothing of the worker or the runs tree: ``build_spec`` turns the
fields into a :class:`core.iterate.runner.IterateSpec` (or raises the
IrisError that names the bad field), and ``fill_images`` lists a project's
possible inputs.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from widgets.param_form import ParamForm

SCHEDULE_PARAMS = ("prompt", "seed", "temperature", "image_size")
INPUT_KINDS = ("imported", "degraded", "restored", "method_output", "derived")


class RunSettings(QWidget):
    """The fields of one iterative setting; the editor's own parameters follow its spec."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from core.iterate.schedules import DEFAULT_IMAGE_SIZE, IMAGE_SIZES, SCHEDULES, SEED_POLICIES
        from core.methods.registry import METHODS

        self.image_combo = QComboBox()
        self.editor = QComboBox()
        for name in METHODS.names():
            self.editor.addItem(name, name)
        self.editor.setCurrentIndex(self.editor.findData("generation-loss"))
        self.editor.currentIndexChanged.connect(self._on_editor)
        self.form = ParamForm()
        self.schedule = QComboBox()
        self.schedule.setEditable(True)  # a prompt-list file path may be typed
        self.schedule.addItems(list(SCHEDULES))
        self.prompt = QLineEdit()
        self.prompt.setPlaceholderText(
            "the schedule's prompt (an id such as B100-REPLICA, or text)"
        )
        self.steps = QSpinBox()
        self.steps.setRange(1, 1000)
        self.steps.setValue(10)
        self.runs = QSpinBox()
        self.runs.setRange(1, 50)
        self.runs.setToolTip("runs of this setting (the studies use 5)")
        self.seed_policy = QComboBox()
        self.seed_policy.addItems(list(SEED_POLICIES))
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1001)
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(-1.0, 2.0)
        self.temperature.setSingleStep(0.1)
        self.temperature.setValue(-1.0)
        self.temperature.setSpecialValueText("model default")
        self.image_size = QComboBox()
        self.image_size.addItems(list(IMAGE_SIZES))
        self.image_size.setCurrentText(DEFAULT_IMAGE_SIZE)  # Banana100's default resolution
        self.group = QLineEdit()
        self.group.setPlaceholderText("automatic")

        form = QFormLayout()
        form.addRow("Image", self.image_combo)
        form.addRow("Editor", self.editor)
        form.addRow("Schedule", self.schedule)
        form.addRow("Prompt", self.prompt)
        form.addRow("Steps", self.steps)
        form.addRow("Runs", self.runs)
        form.addRow("Seed policy", self.seed_policy)
        form.addRow("Seed", self.seed)
        form.addRow("Temperature", self.temperature)
        form.addRow("Output size", self.image_size)
        form.addRow("Group name", self.group)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(form)
        column.addWidget(QLabel("Editor parameters"))
        column.addWidget(self.form)
        self._on_editor()

    def _on_editor(self) -> None:
        from core.methods.registry import METHODS

        method = METHODS.get(self.editor.currentData())
        self.form.set_params([p for p in method.params if p.name not in SCHEDULE_PARAMS])
        used = {p.name for p in method.params}
        fields = {
            "prompt": (self.prompt,),
            "seed": (self.seed, self.seed_policy),
            "temperature": (self.temperature,),
            "image_size": (self.image_size,),
        }
        for name, widgets in fields.items():  # a field the editor ignores cannot be edited
            for widget in widgets:
                widget.setEnabled(name in used)
                widget.setToolTip(
                    "" if name in used else f"{method.name} has no {name.replace('_', ' ')}"
                )

    def fill_images(self, project) -> None:
        """List the project's possible inputs (not run steps), keeping the current choice."""
        current = self.image_combo.currentData()
        self.image_combo.clear()
        if project is None:
            return
        for image in project.images():
            if image.kind in INPUT_KINDS:
                self.image_combo.addItem(f"{image.name}  ({image.width}x{image.height})", image.id)
        if current is not None and (index := self.image_combo.findData(current)) >= 0:
            self.image_combo.setCurrentIndex(index)

    def select_image(self, image_id: int) -> bool:
        index = self.image_combo.findData(image_id)
        if index >= 0:
            self.image_combo.setCurrentIndex(index)
        return index >= 0

    def build_spec(self, device: str):
        """The IterateSpec of the form (raises IrisError on a bad setting)."""
        from core.iterate.runner import IterateSpec
        from core.iterate.schedules import schedule_from_spec
        from core.methods.registry import METHODS

        method = METHODS.get(self.editor.currentData())
        params = {k: v for k, v in self.form.values().items() if k not in SCHEDULE_PARAMS}
        method.validate(params)
        temperature = self.temperature.value()
        schedule = schedule_from_spec(
            self.schedule.currentText().strip(),
            prompt=self.prompt.text().strip(),
            seed_policy=self.seed_policy.currentText(),
            seed=self.seed.value(),
            temperature=None if temperature < 0 else temperature,
            image_size=self.image_size.currentText(),
        )
        return IterateSpec(method.name, self.steps.value(), schedule, params, device=device)
