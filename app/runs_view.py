"""The Runs view: configure and start iterative edit runs, watch the filmstrip grow, compare steps.

Left, the setting (image, editor and its parameters, schedule, prompt, steps,
runs, seed policy, temperature, output size) with Start, Resume and Cancel.
Right, the project's iterative runs by group, the selected run's filmstrip,
and the selected step's thought summary and facts, with buttons that open the
step in the compare view against step 0, step 1 or the previous step. With
*aligned to the original* checked (mirror/rotate runs), both images are shown
turned back to the original's orientation (stored once as derived images, made
on the thread pool: never behind a run on the compute worker).

The run is :func:`core.iterate.runner.iterate` on the compute worker. Each
committed step comes back through a queued signal with a small thumbnail the
job already made, so the GUI thread only builds a pixmap per step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.job_owner import JobOwner
from app.runs_settings import RunSettings
from app.session import ProjectChange
from app.views import ViewContext
from widgets.background import BackgroundLoader
from widgets.filmstrip import Filmstrip

THUMB = 96
RUN_ROLE = Qt.ItemDataRole.UserRole


def _thumbnail(path, size: int):
    from core.thumbnails import make_thumbnail

    return make_thumbnail(path, size)


def step_thumbnail(pixels, size: int = THUMB):
    """A uint8 RGB thumbnail of a step's float pixels (built in the job, not on the GUI thread)."""
    import numpy as np
    from PIL import Image

    from core.pixels import to_uint8

    image = Image.fromarray(to_uint8(pixels))
    image.thumbnail((size, size), Image.Resampling.BILINEAR)
    return np.ascontiguousarray(np.asarray(image))


def iterate_with_thumbnails(*args: Any, on_step, **kwargs: Any):
    """:func:`core.iterate.runner.iterate` whose steps are reported as (event, thumbnail).

    Runs on the compute worker: the thumbnail is made there and the step's full
    pixels dropped, so the GUI thread only builds a pixmap per step.
    """
    from core.iterate.runner import iterate

    def forward(event) -> None:
        thumb = step_thumbnail(event.pixels) if event.pixels is not None else None
        event.pixels = None
        on_step((event, thumb))

    return iterate(*args, on_step=forward, **kwargs)


def describe_step(meta: dict[str, Any], step) -> str:
    """The facts of a step shown under its thought summary."""
    lines = [f"Step {step.index}: {step.status}"]
    if step.width:
        lines.append(f"size {step.width}x{step.height}")
    if meta.get("prompt"):
        lines.append(f"prompt: {meta['prompt']}")
    for key in ("seed", "image_size", "temperature"):
        if meta.get(key) is not None:
            lines.append(f"{key.replace('_', ' ')}: {meta[key]}")
    if step.seconds is not None:
        lines.append(f"seconds: {step.seconds:.2f}")
    if change := meta.get("aspect_change"):
        crop = meta.get("crop") or {}
        lines.append(
            f"aspect ratio changed {change['from'][0]}x{change['from'][1]} -> "
            f"{change['to'][0]}x{change['to'][1]}; shows x={crop.get('x')} y={crop.get('y')} "
            f"{crop.get('w')}x{crop.get('h')} of the original"
        )
    inputs = meta.get("inputs") or []
    if step.index > 0 and inputs and list(inputs) != [step.index - 1]:
        lines.append("edited steps " + " and ".join(str(i) for i in inputs))
    if (performed := meta.get("transform_performed")) is not None:
        correlation = meta.get("transform_correlation") or {}
        lines.append(
            f"transform performed: {'yes' if performed else 'NO'} (correlation "
            f"{correlation.get('expected')} with the parent transformed as asked, "
            f"{correlation.get('untransformed')} with it as it was)"
        )
    if meta.get("failed_attempts"):
        lines.append(f"failed attempts: {len(meta['failed_attempts'])}")
    if meta.get("retried"):
        lines.append("retried: " + "; ".join(meta["retried"]))
    if step.error:
        lines.append(f"error: {step.error}")
    return "\n".join(lines)


class RunsView(QWidget):
    """Iterative runs of the open project; see the module docstring."""

    def __init__(self, context: ViewContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.project = None
        self.handle = None
        self.shown_run: str | None = None
        self.follow = True
        self._steps: dict[int, Any] = {}
        self._job_project = None
        self.jobs = JobOwner(context.worker, context.session, self)
        self._live_run: str | None = None  # the run whose filmstrip the job is filling
        self._aligner = BackgroundLoader(self)  # aligned steps: small, never behind a run
        self._aligner.loaded.connect(self._on_aligned)
        self._aligner.failed.connect(
            lambda _key, message: self.status.setText(message.splitlines()[0])
        )
        self._align_request = 0
        if context.session is not None:  # runs made elsewhere (the CLI, an import) appear here
            context.session.changed.connect(self._on_project_changed)
        self._build()

    # -- building ---------------------------------------------------------------------

    def _build(self) -> None:
        self.settings_form = RunSettings()
        self.start_button = QPushButton("Start")
        self.start_button.clicked.connect(self.start)
        self.resume_button = QPushButton("Resume")
        self.resume_button.setToolTip("continue the selected run's group after its last step")
        self.resume_button.clicked.connect(self.resume_selected)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel()
        self.status.setWordWrap(True)

        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.resume_button)
        buttons.addWidget(self.cancel_button)
        settings = QWidget()
        column = QVBoxLayout(settings)
        column.addWidget(self.settings_form)
        column.addLayout(buttons)
        column.addWidget(self.progress)
        column.addWidget(self.status)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(settings)
        scroll.setMinimumWidth(340)

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Run", "Status", "Steps", "Editor", "Schedule"])
        self.tree.setColumnWidth(0, 260)
        self.tree.currentItemChanged.connect(self._on_tree_current)
        self.filmstrip = Filmstrip(_thumbnail, THUMB)
        self.filmstrip.step_selected.connect(self._on_step_selected)
        self.thoughts = QPlainTextEdit()
        self.thoughts.setReadOnly(True)
        self.thoughts.setPlaceholderText("the selected step's thought summary")
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.compare_buttons = {}
        compare_row = QHBoxLayout()
        compare_row.addWidget(QLabel("Compare with:"))
        for key, label in (("0", "step 0"), ("1", "step 1"), ("previous", "previous step")):
            button = QPushButton(label)
            button.clicked.connect(lambda _checked=False, k=key: self.compare_step(k))
            compare_row.addWidget(button)
            self.compare_buttons[key] = button
        self.aligned_box = QCheckBox("aligned to the original")
        self.aligned_box.setToolTip(
            "mirror/rotate runs: show both steps turned back to the original's orientation"
        )
        compare_row.addWidget(self.aligned_box)
        compare_row.addStretch(1)
        details = QWidget()
        details_layout = QHBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.thoughts, 3)
        details_layout.addWidget(self.facts, 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.run_title = QLabel("No run selected")
        right_layout.addWidget(self.tree, 2)
        right_layout.addWidget(self.run_title)
        right_layout.addWidget(self.filmstrip)
        right_layout.addWidget(details, 3)
        right_layout.addLayout(compare_row)
        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._update_buttons()

    # -- project and selection -------------------------------------------------------------

    def set_project(self, project) -> None:
        self.project = project
        self.shown_run = None
        self.filmstrip.clear_frames()
        self.refresh()
        self._show_latest_run()

    def _show_latest_run(self) -> None:
        """Open on content: the project's latest iterative run, its filmstrip filled."""
        if self.project is None:
            return
        runs = [r for r in self.project.runs() if r.kind == "iterate"]
        if runs and (item := self._tree_item(runs[-1].name)) is not None:
            self.tree.setCurrentItem(item)  # shows it, as a click would

    def show_images(self, records: list) -> None:
        """The browser's selection picks the input image (steps excluded)."""
        for record in records:
            if self.settings_form.select_image(record.id):
                return

    def refresh(self) -> None:
        """Re-read the image list and the runs tree from the project."""
        from core.iterate.steps import iterate_runs

        self.settings_form.fill_images(self.project)
        self.tree.clear()
        if self.project is None:
            return
        groups: dict[str, QTreeWidgetItem] = {}
        for run in iterate_runs(self.project):
            name = run["group"] or run["run"]
            parent = groups.get(name)
            if parent is None:
                parent = QTreeWidgetItem([name, "", "", run["editor"], run["schedule"]])
                self.tree.addTopLevelItem(parent)
                parent.setExpanded(True)
                groups[name] = parent
            item = QTreeWidgetItem(
                [run["run"], run["status"], f"{run['completed']}/{run['steps']}",
                 run["editor"], run["schedule"]]
            )  # fmt: skip
            item.setData(0, RUN_ROLE, run["run"])
            if run["error"]:
                item.setToolTip(1, run["error"])
            parent.addChild(item)
            if run["run"] == self.shown_run:
                self.tree.setCurrentItem(item)

    def _tree_item(self, run_name: str) -> QTreeWidgetItem | None:
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            for j in range(group.childCount()):
                if group.child(j).data(0, RUN_ROLE) == run_name:
                    return group.child(j)
        return None

    def _on_tree_current(self, item: QTreeWidgetItem | None, _previous) -> None:
        name = item.data(0, RUN_ROLE) if item is not None else None
        if name and name != self.shown_run:
            self.follow = self.handle is None or self.handle.is_finished
            self.show_run(name)

    def show_run(self, run_name: str) -> None:
        """Fill the filmstrip with the stored steps of ``run_name`` (thumbnails load in the pool)."""
        from core.iterate.steps import run_steps

        if self.project is None:
            return
        run = self.project.run(run_name)
        self.shown_run = run_name
        self._steps = {step.index: step for step in run_steps(self.project, run)}
        self.run_title.setText(
            f"{run.name}: {run.params.get('editor')} / {run.params.get('schedule')}, "
            f"{run.status}" + (f" ({run.error})" if run.error else "")
        )
        self.filmstrip.clear_frames()
        for step in self._steps.values():
            self.filmstrip.add_frame(
                step.index, path=step.image, failed=step.status != "ok", tooltip=step.error or ""
            )
        self._update_aligned_box()
        if self._steps:
            self.filmstrip.select_step(max(self._steps))

    def _update_aligned_box(self) -> None:
        """The toggle applies only to runs whose steps are turned (mirror/rotate schedules)."""
        from core.iterate.aligned_images import step_transform

        turned = any(not step_transform(s.meta).is_identity for s in self._steps.values())
        self.aligned_box.setEnabled(turned)
        if not turned:
            self.aligned_box.setChecked(False)

    def _on_step_selected(self, index: int) -> None:
        step = self._steps.get(index)
        if step is None:
            return
        self.thoughts.setPlainText(step.thoughts or "(no thought summary)")
        self.facts.setText(describe_step(step.meta, step))
        for key, button in self.compare_buttons.items():
            button.setEnabled(step.image is not None and index > (1 if key == "1" else 0))

    def compare_step(self, against: str) -> None:
        """Open the selected step in the compare view against step 0, step 1 or the previous one."""
        index = self.filmstrip.current_step()
        if index is None or self.project is None:
            return
        ref_index = {"0": 0, "1": 1}.get(against, index - 1)
        step, ref = self._steps.get(index), self._steps.get(ref_index)
        if step is None or ref is None or step.image_id is None or ref.image_id is None:
            return
        if self.aligned_box.isChecked() and self.aligned_box.isEnabled():
            from core.iterate.aligned_images import aligned_ids

            items = [(s.image_id, s.meta.get("expected_transform")) for s in (ref, step)]
            self._align_request += 1
            self.status.setText("Turning the steps back to the original's orientation...")
            self._aligner.request(self._align_request, aligned_ids, self.project.path, items)
            return
        self._open_compare([ref.image_id, step.image_id])

    def _on_aligned(self, request: int, image_ids: list[int]) -> None:
        if request != self._align_request or self.project is None:
            return  # a later click, or another project, since
        self.status.setText("Compared aligned to the original.")
        if self.context.session is not None:  # new derived images: the browser lists them
            self.context.session.notify(ProjectChange.IMAGES, self)
        self._open_compare(image_ids)

    def _open_compare(self, image_ids: list[int]) -> None:
        window = self.window()
        if hasattr(window, "show_view"):
            view = window.show_view("compare")
            records = [self.project.image(i) for i in image_ids]
            getattr(view, "set_records", view.show_images)(records)

    # -- running ---------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        running = self.handle is not None and not self.handle.is_finished
        self.start_button.setEnabled(not running)
        self.resume_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)

    def build_spec(self):
        """The IterateSpec of the setting form (raises IrisError on a bad setting)."""
        return self.settings_form.build_spec(self.context.settings.device)

    def start(self, resume_group: str | None = None):
        """Start (or resume) runs on the compute worker; returns the JobHandle."""
        from core.errors import IrisError
        from core.iterate.resume import plan_resume
        from core.methods.registry import METHODS

        if self.project is None:
            self.status.setText("Open a project first.")
            return None
        try:
            if resume_group:
                plan = plan_resume(self.project, run=self.shown_run)
                spec, image_id, runs = plan.spec, plan.image_id, plan.runs
            else:
                spec = self.build_spec()
                image_id = self.settings_form.image_combo.currentData()
                runs = self.settings_form.runs.value()
                if image_id is None:
                    raise IrisError("the project has no image to edit")
            METHODS.get(spec.editor).prepare(spec.editor_params)
        except IrisError as exc:
            self.status.setText(str(exc))
            return None
        self.follow = True
        self.shown_run = None
        self.filmstrip.clear_frames()
        self._job_project = self.project.path
        self.handle = self.jobs.start(
            iterate_with_thumbnails,
            self.project.path,
            image_id,
            spec,
            runs=runs,
            group=resume_group or (self.settings_form.group.text().strip() or None),
            resume=bool(resume_group),
            name=f"Iterate ({spec.editor}, {spec.steps} steps)",
            partial_to="on_step",
            on_partial=lambda step: self._on_step(*step),
            on_progress=self._on_progress,
            on_done=self._on_done,
            on_failed=self.status.setText,
            on_finished=self._on_finished,
            changes=ProjectChange.RUNS | ProjectChange.IMAGES,
        )
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.status.setText(f"Running {spec.steps} steps x {runs} run(s) with {spec.editor}...")
        self._update_buttons()
        return self.handle

    def resume_selected(self):
        if self.shown_run is None or self.project is None:
            self.status.setText("Choose a run to resume.")
            return None
        group = self.project.run(self.shown_run).group_name or self.shown_run
        return self.start(resume_group=group)

    def cancel(self) -> None:
        if self.handle is not None:
            self.handle.cancel()
            self.status.setText("Cancelling...")

    def _on_step(self, event, thumb) -> None:
        """A committed step arrived from the job: grow the filmstrip of the run it belongs to."""
        if not self.follow or self.project is None or self.project.path != self._job_project:
            return  # the user looks at another run, or opened another project meanwhile
        if event.run != self.shown_run:
            self.refresh()
            self.show_run(event.run)
            self.tree.blockSignals(True)
            if item := self._tree_item(event.run):
                self.tree.setCurrentItem(item)
            self.tree.blockSignals(False)
            return
        from core.iterate.steps import StepRecord

        self._steps[event.index] = StepRecord(
            event.index, event.status,
            str(self.project.image_path(event.image_id)) if event.image_id else None,
            event.image_id, event.width, event.height, event.thoughts, event.error,
            event.seconds, event.meta,
        )  # fmt: skip
        self._live_run = event.run
        self._update_aligned_box()
        self.filmstrip.add_frame(
            event.index, pixels=thumb, failed=event.status != "ok",
            tooltip=event.error or "", follow=True,
        )  # fmt: skip
        if item := self._tree_item(event.run):
            item.setText(1, "running" if event.status == "ok" else event.status)
            item.setText(2, f"{event.index}/{event.steps}")

    def _on_project_changed(self, what, source) -> None:
        if source is not self.jobs and what & ProjectChange.RUNS and not self.jobs.busy:
            self.refresh()

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _on_done(self, outcomes: list) -> None:
        states = ", ".join(f"{o.run} {o.status}" for o in outcomes)
        blocked = [o for o in outcomes if o.status != "done"]
        self.status.setText(f"{states}" + (f": {blocked[0].error}" if blocked else ""))

    def _on_finished(self, state: str) -> None:
        self.progress.setVisible(False)
        self._update_buttons()
        if state == "cancelled":
            self.status.setText("Cancelled; every finished step is kept (Resume goes on).")
        shown = self.shown_run
        self.tree.blockSignals(True)  # the statuses change; the shown run stays
        self.refresh()
        self.tree.blockSignals(False)
        if shown and shown != self._live_run:  # a filmstrip filled live is complete already
            self.shown_run = None
            self.show_run(shown)
        self._live_run = None
